"""The actions of the events' buttons, one enum per feature (the answer buttons' `RsvpAction` is in
`lag_bot.events.rsvp_buttons`, since the core builds them). The values are the callback data's
short strings."""

from __future__ import annotations

import enum


class NewAction(enum.StrEnum):
    """/neuertermin and ✏️ (feature "en")."""

    PREVIEW_ANSWER = "pv"  # the answer buttons of the preview: they do nothing
    CANCEL = "x"
    PUBLISH = "pub"
    SAVE = "save"
    CHANGE = "ch"  # from the preview to the menu
    FIELD = "f"  # a field of the menu: step name
    BACK = "back"  # from the menu to the preview
    KIND = "k"  # kind
    DURATION = "dur"  # hours
    SKIP = "sk"  # step name
    AUDIENCE_DONE = "an"
    REMIND_OFFSET = "ro"  # minutes
    REMIND_MAYBE = "rm"
    REMIND_DONE = "rn"
    SHIFT_ALERT = "sa"  # days
    SHIFTS_DONE = "sn"
    # The audience picker's buttons under this feature (handlers.audience_picker.Action, `picker.owns`):
    PICK_AUDIENCE = "aud"
    PICK_MEMBERS = "m"
    PICK_GROUPS = "g"
    PICK_GROUP_KIND = "gk"
    PICK_GROUP_LIST = "gl"
    PICK_GROUP = "gp"
    PICK_SEGMENT = "seg"
    PICK_SEGMENT_VALUE = "st"



class ListAction(enum.StrEnum):
    """/termine (feature "et")."""

    ANSWER = "a"  # event id, answer code, page
    PAGE = "p"  # page
    ICS = "i"  # event id
    ALL_ICS = "all"


class AdminAction(enum.StrEnum):
    """An event's coordinators' screen (feature "ea"); each with the event's id."""

    SCREEN = "m"
    ATTENDEES = "l"
    CSV = "c"
    MESSAGE = "w"
    EDIT = "e"
    CANCEL_ASK = "x"
    CANCEL_YES = "xy"
    DATES = "d"
    DATE_ASK = "dx"  # + the date's start (unix seconds)
    DATE_YES = "dy"  # + the date's start (unix seconds)
    KEEP = "no"


class ShiftAction(enum.StrEnum):
    """An event's shifts (feature "es")."""

    VIEW = "v"  # event id
    JOIN = "j"  # shift id
    LEAVE = "l"  # shift id

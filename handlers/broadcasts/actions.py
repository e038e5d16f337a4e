"""The buttons of `/rundschreiben` (feature BROADCAST): one enum for the draft, the audience screen
and the reports; the audience picker's own buttons come under the same feature."""

from __future__ import annotations

import enum

from lag_bot.callbacks import Feature

FEATURE = Feature.BROADCAST


class Action(enum.StrEnum):
    """What a coordinator's broadcast button does (values are the callback data, unchanged)."""

    NEW = "new"  # ✍️ a new broadcast
    CANCEL = "x"
    READ_BUTTON = "rb"  # "Gelesen ✓" on / off
    WHEN = "when"  # ask for the sending time
    NOW = "now"  # send right away instead
    PREVIEW = "pv"
    SEND = "send"
    EDIT = "edit"  # back from the confirmation to the audience
    REPORT = "rep"
    STOP = "stop"
    CSV = "csv"
    RESEND = "re"  # to those who did not press "Gelesen ✓"

"""The answer buttons under an announcement (feature "ev"), built here because the core puts them on
every copy it sends: Zusage / Absage / Vielleicht, or one "closed" button."""

from __future__ import annotations

import enum

from lag_bot.callbacks import Feature, encode
from lag_bot.events.models import Event
from lag_bot.events.render import Buttons
from lag_bot.i18n import Catalog

FEATURE = Feature.EVENT_RSVP
ANSWER_CODES = {"y": "yes", "n": "no", "m": "maybe"}  # a button's code → the answer


class RsvpAction(enum.StrEnum):
    """What an answer button does."""

    ANSWER = "a"  # event id, answer code
    CLOSED = "z"  # event id: answers are not taken (says why, or shows the buttons again)


def rsvp_buttons(texts: Catalog, lang: str, event: Event, closed: bool) -> Buttons:
    """One row: Zusage / Absage / Vielleicht, or a single "closed" button that changes nothing."""
    if closed:
        key = "event-button-cancelled" if event.cancelled else "event-button-closed"
        return ((texts.t(lang, key), encode(FEATURE, RsvpAction.CLOSED, event.id)),)
    return tuple(
        (
            texts.t(lang, f"event-button-{ANSWER_CODES[code]}"),
            encode(FEATURE, RsvpAction.ANSWER, event.id, code),
        )
        for code in ("y", "n", "m")
    )

"""The attendee list as CSV, and the checks on a coordinator's message to the attendees."""

from __future__ import annotations

from collections.abc import Iterable

from lag_bot.errors import InvalidInput
from lag_bot.events.models import Attendee
from lag_bot.spreadsheet import csv_bytes

HEADER = ("name", "district", "answer", "answered_at", "waitlist_position")
MESSAGE_MAX = 3500  # with the line naming the event, one Telegram message


def attendee_rows_csv(attendees: Iterable[Attendee]) -> bytes:
    """The attendees as CSV, a header row first."""
    return csv_bytes(
        HEADER,
        (
            (a.name, a.district, a.answer, a.answered_at, "" if a.position is None else a.position)
            for a in attendees
        ),
    )


def check_message(html_text: str) -> str:
    """A message body that is not empty and fits one message."""
    body = html_text.strip()
    if not body:
        raise InvalidInput("event-message-empty")
    if len(body) > MESSAGE_MAX:
        raise InvalidInput("event-message-too-long", max=MESSAGE_MAX, length=len(body))
    return body

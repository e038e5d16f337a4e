"""The attendee list as CSV, and the checks on a coordinator's message to the attendees."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from lag_bot.errors import InvalidInput
from lag_bot.event_models import Attendee

HEADER = ("name", "district", "answer", "answered_at", "waitlist_position")
MESSAGE_MAX = 3500  # with the line naming the event, one Telegram message


def _safe(cell: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def attendee_rows_csv(attendees: Iterable[Attendee]) -> bytes:
    """Semicolon-separated, UTF-8 with BOM (spreadsheets open it as it is), a header row first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for a in attendees:
        position = "" if a.position is None else str(a.position)
        writer.writerow(
            [_safe(str(cell)) for cell in (a.name, a.district, a.answer, a.answered_at, position)]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def check_message(html_text: str) -> str:
    """A message body that is not empty and fits one message."""
    body = html_text.strip()
    if not body:
        raise InvalidInput("event-message-empty")
    if len(body) > MESSAGE_MAX:
        raise InvalidInput("event-message-too-long", max=MESSAGE_MAX, length=len(body))
    return body

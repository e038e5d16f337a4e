"""The attendee list as CSV (headers and answers in the coordinator's language, times in the bot's
time zone), and the checks on a coordinator's message to the attendees."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo

from lag_bot.errors import InvalidInput
from lag_bot.events.models import Attendee
from lag_bot.i18n import Catalog
from lag_bot.spreadsheet import csv_bytes, csv_time
from lag_bot.text_input import strip_control

COLUMNS = ("name", "district", "answer", "answered_at", "waitlist_position")  # headers: event-csv-<column>
MESSAGE_MAX = 3500  # with the line naming the event, one Telegram message


def attendee_rows_csv(texts: Catalog, lang: str, tz: tzinfo, attendees: Iterable[Attendee]) -> bytes:
    """The attendees as CSV, a header row (from the catalog) first."""
    return csv_bytes(
        [texts.t(lang, f"event-csv-{column}") for column in COLUMNS],
        (
            (
                a.name,
                a.district,
                texts.t(lang, f"event-answer-{a.answer}"),
                csv_time(a.answered_at, tz),
                "" if a.position is None else a.position,
            )
            for a in attendees
        ),
    )


def check_message(html_text: str) -> str:
    """A message body that is not empty and fits one message."""
    body = strip_control(html_text).strip()
    if not body:
        raise InvalidInput("event-message-empty")
    if len(body) > MESSAGE_MAX:
        raise InvalidInput("event-message-too-long", max=MESSAGE_MAX, length=len(body))
    return body

"""The fields of an event one at a time, as the dialog asks for them: each check returns the
cleaned value or raises InvalidInput with an `event-…` catalog key.

    title = check_title(text)             # one line, 1 to TITLE_MAX characters
    capacity = parse_capacity("20")       # 1 to CAPACITY_MAX, None for "keine"
    link = parse_link("https://…")        # http(s) with a host
    offsets = parse_offsets("1 Tag, 2 Stunden")    # (1440, 120) minutes before
    shift = parse_shift("10-12 2-3", day_of=start, zone=BERLIN)
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lag_bot.errors import InvalidInput
from lag_bot.text_input import echo, one_line, strip_control

TITLE_MAX = 120
PLACE_MAX = 200
LINK_MAX = 500
DESCRIPTION_MAX = 2000
CAPACITY_MAX = 10_000
OFFSETS_MAX = 5
OFFSET_MAX_MIN = 30 * 24 * 60
_NO_CAPACITY = frozenset({"keine", "unbegrenzt", "none", "unlimited"})


class ShiftDraft(NamedTuple):
    """One shift of an info stand: when, and how many people it needs at least and at most."""

    starts_at: datetime
    ends_at: datetime
    min_people: int
    max_people: int | None


def check_title(text: str) -> str:
    """The title without surrounding spaces; refused when empty, over TITLE_MAX or on several lines."""
    title = strip_control(text).strip()
    if "\n" in title or "\r" in title:
        raise InvalidInput("event-title-newline")
    title = one_line(title)
    if not title:
        raise InvalidInput("event-title-empty")
    if len(title) > TITLE_MAX:
        raise InvalidInput("event-title-too-long", max=TITLE_MAX, length=len(title))
    return title


def check_place(text: str) -> str:
    """A place of at most PLACE_MAX characters (may be empty for online events)."""
    place = one_line(strip_control(text))
    if len(place) > PLACE_MAX:
        raise InvalidInput("event-place-too-long", max=PLACE_MAX, length=len(place))
    return place


def parse_link(text: str) -> str:
    """An http(s) URL with a host, else InvalidInput."""
    link = strip_control(text).strip()
    try:
        parts = urlsplit(link)
        host = parts.hostname or ""
    except ValueError as error:
        raise InvalidInput("event-link-invalid", text=echo(link, 100)) from error
    if (
        parts.scheme.lower() not in ("http", "https")
        or not host
        or ("." not in host and host != "localhost")
        or any(c.isspace() for c in link)
        or len(link) > LINK_MAX
    ):
        raise InvalidInput("event-link-invalid", text=echo(link, 100))
    return link


def check_description(text: str) -> str:
    """A description of at most DESCRIPTION_MAX characters."""
    description = strip_control(text).strip()
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput("event-description-too-long", max=DESCRIPTION_MAX, length=len(description))
    return description


def parse_capacity(text: str) -> int | None:
    """A typed number of seats: 1 to CAPACITY_MAX, or None for "keine"/"unbegrenzt"."""
    value = text.strip().lower()
    if value in _NO_CAPACITY:
        return None
    if not re.fullmatch(r"[-+]?\d{1,9}", value):
        raise InvalidInput("event-capacity-invalid", text=echo(text, 50))
    number = int(value)
    if not 1 <= number <= CAPACITY_MAX:
        raise InvalidInput("event-capacity-range", max=CAPACITY_MAX)
    return number


def check_offsets(offsets: tuple[int, ...]) -> None:
    """Up to OFFSETS_MAX different reminder offsets, each a minute to 30 days."""
    if len(offsets) > OFFSETS_MAX or len(set(offsets)) != len(offsets):
        raise InvalidInput("event-remind-invalid")
    if any(not 1 <= m <= OFFSET_MAX_MIN for m in offsets):
        raise InvalidInput("event-remind-invalid")


_UNITS = {"d": 1440, "t": 1440, "h": 60, "s": 60, "m": 1}
_OFFSET = re.compile(
    r"(\d{1,4})\s*(tagen|tage|tag|tg|days|day|d|stunden|stunde|std|hours|hour|h|"
    r"minutes|minuten|minute|min|m)\b",
    re.I,
)


def parse_offsets(text: str) -> tuple[int, ...]:
    """Reminder offsets typed as "1 Tag, 2 Stunden" or "1d 2h 30min" ("keine": none), in minutes."""
    value = text.strip().lower()
    if value in ("keine", "none", "-"):
        return ()
    found = _OFFSET.findall(value)
    rest = _OFFSET.sub("", value).replace(",", " ").replace("und", " ").replace("and", " ")
    if not found or rest.strip():
        raise InvalidInput("event-remind-unknown", text=echo(text, 50))
    offsets = tuple(sorted({int(n) * _UNITS[unit[0].lower()] for n, unit in found}, reverse=True))
    check_offsets(offsets)
    return offsets


_SHIFT = re.compile(
    r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr)?\s*[,;:]?\s*"
    r"(\d{1,3})(?:\s*(?:[-–/]|bis|to)\s*(\d{1,3}))?\s*$",
    re.I,
)


def parse_shift(text: str, day_of: datetime, zone: ZoneInfo) -> ShiftDraft:
    """A shift typed as "10-12 2-3" (10 to 12 o'clock, at least 2, at most 3 people) on the local
    date of `day_of`; "12:30–14 2" has no maximum."""
    match = _SHIFT.match(text)
    if match is None:
        raise InvalidInput("event-shift-unknown", text=echo(text, 50))
    h1, m1, h2, m2, low, high = match.groups()
    day = day_of.astimezone(zone).date()
    try:
        start = datetime(day.year, day.month, day.day, int(h1), int(m1 or 0), tzinfo=zone)
        end = datetime(day.year, day.month, day.day, int(h2), int(m2 or 0), tzinfo=zone)
    except ValueError as error:
        raise InvalidInput("event-shift-unknown", text=echo(text, 50)) from error
    shift = ShiftDraft(start, end, int(low), int(high) if high else None)
    check_shift(shift)
    return shift


def check_shift(shift: ShiftDraft, number: int = 1) -> None:
    """A shift ends after it starts and needs 0 ≤ min ≤ max (max at least 1, or None: open)."""
    if shift.ends_at <= shift.starts_at:
        raise InvalidInput("event-shift-end-before-start", n=number)
    if shift.min_people < 0 or (shift.max_people is not None and shift.max_people < max(1, shift.min_people)):
        raise InvalidInput("event-shift-min-max", n=number)

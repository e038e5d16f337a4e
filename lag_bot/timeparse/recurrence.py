"""Recurrence: the subset of RFC 5545 rules the bot writes, and the instants they fire at.

    rule = Rule("MONTHLY", weekdays=(1,), nth=2, hour=18)
    rule.to_rrule()            # "FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=18;BYMINUTE=0;BYSECOND=0"
    occurrences(rule.to_rrule(), ZoneInfo("Europe/Berlin"), anchor=date(2026, 12, 8), after=now, count=3)

Occurrences are computed by dateutil's rrule in local wall time and only then given their
UTC offset by `localize` (the DST rule is stated in `lag_bot.timeparse.parse`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WORKDAYS = (0, 1, 2, 3, 4)
_BYDAY = re.compile(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)")


@dataclass(frozen=True)
class Rule:
    """One recurrence: a frequency, which days, and a wall-clock time (weekdays 0 = Monday)."""

    freq: str
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    nth: int | None = None  # with one weekday, monthly: 2 = the 2nd, -1 = the last of the month
    monthday: int | None = None  # -1 = the last day of the month
    month: int | None = None
    hour: int = 0
    minute: int = 0

    def to_rrule(self) -> str:
        """The RRULE value (without DTSTART), parts in a fixed order so equal rules give equal text."""
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.month is not None:
            parts.append(f"BYMONTH={self.month}")
        if self.monthday is not None:
            parts.append(f"BYMONTHDAY={self.monthday}")
        if self.weekdays:
            sign = f"{self.nth:+d}" if self.nth is not None else ""
            parts.append("BYDAY=" + ",".join(sign + DAY_CODES[d] for d in self.weekdays))
        parts += [f"BYHOUR={self.hour}", f"BYMINUTE={self.minute}", "BYSECOND=0"]
        return ";".join(parts)

    @classmethod
    def from_rrule(cls, text: str) -> Rule:
        """Read back what `to_rrule` writes; ValueError for anything outside that subset."""
        fields = dict(part.split("=", 1) for part in text.strip().upper().split(";") if "=" in part)
        if fields.get("FREQ") not in FREQS or not set(fields) <= _KNOWN_FIELDS:
            raise ValueError(f"unsupported rule: {text}")
        nth, weekdays = _read_byday(fields.get("BYDAY", ""))
        return cls(
            freq=fields["FREQ"],
            interval=int(fields.get("INTERVAL", "1")),
            weekdays=weekdays,
            nth=nth,
            monthday=int(fields["BYMONTHDAY"]) if "BYMONTHDAY" in fields else None,
            month=int(fields["BYMONTH"]) if "BYMONTH" in fields else None,
            hour=int(fields.get("BYHOUR", "0")),
            minute=int(fields.get("BYMINUTE", "0")),
        )


_KNOWN_FIELDS = {"FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND"}


def _read_byday(value: str) -> tuple[int | None, tuple[int, ...]]:
    """The ordinal (if any) and the weekdays of a BYDAY value such as "+2TU" or "MO,TU"."""
    nth: int | None = None
    days: list[int] = []
    for item in filter(None, value.split(",")):
        found = _BYDAY.fullmatch(item)
        if found is None:
            raise ValueError(f"unsupported BYDAY: {value}")
        nth = int(found.group(1)) if found.group(1) else nth
        days.append(DAY_CODES.index(found.group(2)))
    return nth, tuple(days)


def localize(wall: datetime, zone: ZoneInfo) -> datetime:
    """A naive wall time in `zone`, made aware: a missing time moves on by the gap, a doubled one: the first.

    fold=0 makes zoneinfo use the offset in force before the change; going through UTC then
    normalises a time in the spring gap (02:30 at +01:00 is 03:30 at +02:00).
    """
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def wall_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """The naive local wall time of an aware instant."""
    return moment.astimezone(zone).replace(tzinfo=None)


def occurrences(rrule: str, zone: ZoneInfo, anchor: date, after: datetime, count: int) -> list[datetime]:
    """The first `count` firings strictly after `after`; `anchor` is the local date the rule counts from.

    The anchor matters for INTERVAL (which weeks are "every other"), so it is the date of the
    first firing and never changes while the reminder exists.
    """
    # A gap shifts a firing at most an hour later, so starting a day early misses none.
    earliest = wall_time(after, zone) - timedelta(days=1)
    start = datetime.combine(_skip_ahead(rrule, anchor, earliest.date()), time())
    rule = rrulestr(rrule, dtstart=start)
    found: list[datetime] = []
    for wall in rule.xafter(max(start, earliest), inc=True):
        moment = localize(wall, zone)
        if moment > after and (not found or moment > found[-1]):
            found.append(moment)
        if len(found) >= count:
            break
    return found


def _skip_ahead(rrule: str, anchor: date, earliest: date) -> date:
    """A later start with the same phase as `anchor`, so rrule need not walk years of past firings.

    With INTERVAL=1 the start is only a lower bound (if the rule names its days); with an
    interval, whole periods are skipped: n days, or n weeks counted from Monday.
    """
    fields = dict(part.split("=", 1) for part in rrule.upper().split(";") if "=" in part)
    interval = int(fields.get("INTERVAL", "1"))
    if earliest <= anchor or not _names_its_days(fields):
        return anchor
    if interval == 1:
        return earliest
    if fields.get("FREQ") == "DAILY":
        return anchor + timedelta(days=(earliest - anchor).days // interval * interval)
    if fields.get("FREQ") == "WEEKLY":
        monday = anchor - timedelta(days=anchor.weekday())
        periods = (earliest - monday).days // (7 * interval)
        return anchor if periods == 0 else monday + timedelta(days=periods * 7 * interval)
    return anchor


_DAY_PARTS = {"WEEKLY": ("BYDAY",), "MONTHLY": ("BYDAY|BYMONTHDAY",), "YEARLY": ("BYMONTH", "BYMONTHDAY")}


def _names_its_days(fields: dict[str, str]) -> bool:
    """Whether the rule names its days; if not, rrule copies them from the start, which must then stay."""
    needed = _DAY_PARTS.get(fields.get("FREQ", ""), ())
    return all(any(name in fields for name in need.split("|")) for need in needed)

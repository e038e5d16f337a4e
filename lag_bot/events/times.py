"""When an event takes place: its dates (a series' occurrences without the cancelled ones), and the
reminder rows that follow from them.

    next_date(event, after=now)        # (start, end) of the next date starting after now, or None
    current_date(event, now)           # the date under way or next (for lists), or None when over
    reminder_rows(event, now)          # one row per offset (and one for the shift alert)

A series' dates keep the wall-clock time of the first one across daylight-saving changes and the
first one's wall-clock length.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from lag_bot.clock import iso_ms
from lag_bot.events.models import Event
from lag_bot.repositories.reminders import ReminderRow
from lag_bot.timeparse.recurrence import localize, occurrences, wall_time

Date = tuple[datetime, datetime]
SHIFTS_BODY = "shifts"
REMIND_PREFIX = "remind:"


def dates(event: Event, after: datetime, count: int) -> list[Date]:
    """Up to `count` dates starting strictly after `after`, cancelled ones left out."""
    if event.rrule is None:
        return [(event.starts_at, event.ends_at)] if event.starts_at > after and count > 0 else []
    zone = ZoneInfo(event.tz)
    length = wall_time(event.ends_at, zone) - wall_time(event.starts_at, zone)
    anchor = event.starts_at.astimezone(zone).date()
    skipped = set(event.exdates)
    since = max(after, event.starts_at - timedelta(seconds=1))
    starts = occurrences(event.rrule, zone, anchor, since, count + len(skipped))
    found = [s for s in starts if s not in skipped][:count]
    return [(s, localize(wall_time(s, zone) + length, zone)) for s in found]


def next_date(event: Event, after: datetime) -> Date | None:
    """The first date starting strictly after `after`."""
    found = dates(event, after, 1)
    return found[0] if found else None


def current_date(event: Event, now: datetime) -> Date | None:
    """The date under way at `now`, else the next one; None when the event is over."""
    longest = event.ends_at - event.starts_at + timedelta(hours=2)  # a DST change may lengthen a date
    for start, end in dates(event, now - longest, 3):
        if end > now:
            return start, end
    return None


def is_date(event: Event, moment: datetime) -> bool:
    """Whether a series has a (not cancelled) date starting at `moment`."""
    found = dates(event, moment - timedelta(seconds=1), 1)
    return bool(found) and found[0][0] == moment


def offset_of(row: ReminderRow) -> int | None:
    """The minutes before a date that a reminder row fires (None for the shift alert)."""
    if row.body.startswith(REMIND_PREFIX):
        return int(row.body.removeprefix(REMIND_PREFIX))
    return None


def following_due(event: Event, row: ReminderRow, after: datetime) -> datetime | None:
    """The row's next firing strictly after `after`: the next date minus its offset."""
    offset = offset_of(row)
    if offset is None or event.cancelled:
        return None
    found = next_date(event, after + timedelta(minutes=offset))
    return found[0] - timedelta(minutes=offset) if found else None


def reminder_rows(event: Event, now: datetime) -> list[ReminderRow]:
    """The event's reminder rows from `now` on (firings already past are left out)."""
    if event.cancelled:
        return []
    due: list[tuple[str, datetime]] = []
    for offset in event.remind_offsets:
        found = next_date(event, now + timedelta(minutes=offset))
        if found:
            due.append((f"{REMIND_PREFIX}{offset}", found[0] - timedelta(minutes=offset)))
    if event.shift_alert_days is not None:
        alert = event.starts_at - timedelta(days=event.shift_alert_days)
        if alert > now:
            due.append((SHIFTS_BODY, alert))
    return [
        ReminderRow(
            id=0,
            created_by=None,  # nobody is told about a missed firing: it belongs to the event
            target_kind="event",
            member_id=None,
            group_id=None,
            audience=None,
            body=body,
            rrule=None,  # a series' next firing comes from the event (`following_due`)
            tz=event.tz,
            first_at=at.isoformat(),
            next_due=iso_ms(at),
            last_fired=None,
            status="active",
            event_id=event.id,
        )
        for body, at in due
    ]

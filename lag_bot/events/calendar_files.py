"""Calendar files (.ics, RFC 5545) for events, built with `icalendar`.

    event_ics(event)                  # one event: bytes of a VCALENDAR with one VEVENT
    calendar_ics(events)              # all of a member's upcoming events in one file
    await events.calendar.ics(event_id)   # the service: a stored event, a member's events

The UID is the event's stored one (stable across edits, so calendars update the entry instead of
adding a second), SEQUENCE the stored sequence (raised on every change). Times carry the event's
TZID with a VTIMEZONE generated from zoneinfo; a series has its RRULE and an EXDATE per cancelled
date; a cancelled event has STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from lag_bot.clock import Clock
from lag_bot.events.listing import Listing
from lag_bot.events.models import Event
from lag_bot.events.records import EventRecords
from lag_bot.models import Member

PRODID = "-//LAG Kommunalpolitik//lag-bot//DE"


class EventCalendar:
    """Calendar files of stored events."""

    def __init__(self, clock: Clock, records: EventRecords, listing: Listing) -> None:
        self.clock = clock
        self.records = records
        self.listing = listing

    async def ics(self, event_id: int) -> bytes:
        """One event as a calendar file."""
        return event_ics(await self.records.get(event_id), stamp=self.clock())

    async def member_calendar(self, member: Member) -> bytes:
        """All of a member's upcoming events (not those they declined) in one calendar file."""
        chosen = [u.event for u in await self.listing.upcoming_for_member(member) if u.answer != "no"]
        return calendar_ics(chosen, stamp=self.clock())


def event_ics(event: Event, *, stamp: datetime | None = None) -> bytes:
    """One event as a calendar file."""
    return calendar_ics([event], stamp=stamp)


def calendar_ics(events: Iterable[Event], *, stamp: datetime | None = None, name: str | None = None) -> bytes:
    """Several events in one calendar file; `stamp` is DTSTAMP (default: now)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    chosen = list(events)
    for event in chosen:
        calendar.add_component(_vevent(event, stamp or datetime.now(UTC)))
    if chosen:
        # Transitions from a year before the first event on, not since 1970: a much shorter file.
        earliest = min(e.starts_at for e in chosen).date() - timedelta(days=366)
        calendar.add_missing_timezones(first_date=earliest)
    return bytes(calendar.to_ical())


def _vevent(event: Event, stamp: datetime) -> icalendar.Event:
    zone = ZoneInfo(event.tz)
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp.astimezone(UTC))
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", event.title)
    if event.place:
        vevent.add("location", event.place)
    if event.link:
        vevent.add("url", event.link)
    description = "\n\n".join(part for part in (event.description, event.link) if part)
    if description:
        vevent.add("description", description)
    if event.rrule is not None:
        vevent.add("rrule", icalendar.vRecur.from_ical(event.rrule))
        for exdate in event.exdates:
            vevent.add("exdate", exdate.astimezone(zone))
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("last-modified", datetime.fromisoformat(event.updated_at).astimezone(UTC))
    return vevent

"""Which events a member, a group or a coordinator sees listed, and the dates of one event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lag_bot.clock import Clock, iso
from lag_bot.errors import NotFound
from lag_bot.events.models import Event
from lag_bot.events.records import EventRecords
from lag_bot.events.rsvp import invited
from lag_bot.events.times import Date, current_date, dates
from lag_bot.models import Member


@dataclass(frozen=True)
class Upcoming:
    """An event in a list, with the date under way or next and the member's answer."""

    event: Event
    starts_at: datetime
    ends_at: datetime
    answer: str | None = None


class Listing:
    """Events not over, as each kind of reader may see them."""

    def __init__(self, clock: Clock, records: EventRecords) -> None:
        self.clock = clock
        self.records = records

    async def dates(self, event_id: int, count: int = 10) -> list[Date]:
        """The next dates of an event (for choosing one of a series to cancel)."""
        return dates(await self.records.get(event_id), self.clock(), count)

    async def upcoming_for_member(self, member: Member, now: datetime | None = None) -> list[Upcoming]:
        """Events not over whose audience includes the member (or that they answered), soonest first."""
        now = now or self.clock()
        answers = await self.records.answers.answers_of(member.id)
        facets = await self.records.repo.facets(member.id)
        found = []
        for event in await self.records.repo.current(iso(now)):
            date = current_date(event, now)
            if date is not None and (event.id in answers or invited(event, facets)):
                found.append(Upcoming(event, *date, answers.get(event.id)))
        return sorted(found, key=lambda u: (u.starts_at, u.event.id))

    async def upcoming_for_group(self, group_id: int, now: datetime | None = None) -> list[Upcoming]:
        """Events not over that were announced to a group (its id in `chats`), soonest first."""
        now = now or self.clock()
        found = []
        for event in await self.records.repo.current_of_group(group_id, iso(now)):
            date = current_date(event, now)
            if date is not None:
                found.append(Upcoming(event, *date))
        return sorted(found, key=lambda u: (u.starts_at, u.event.id))

    async def upcoming_for_coordinator(self, member: Member, now: datetime | None = None) -> list[Upcoming]:
        """Every event not over (coordinators manage them all), with the member's answer."""
        now = now or self.clock()
        answers = await self.records.answers.answers_of(member.id)
        found = []
        for event in await self.records.repo.current(iso(now)):
            date = current_date(event, now)
            if date is not None:
                found.append(Upcoming(event, *date, answers.get(event.id)))
        return sorted(found, key=lambda u: (u.starts_at, u.event.id))

    async def visible_to(self, member: Member, event_id: int) -> Event:
        """The event, if the member may see it in private: invited as a member, or answered (a
        group's people answer in the group first); else NotFound, as for an unknown one (a forged
        id learns nothing)."""
        event = await self.records.get(event_id)
        if await self.records.answers.answer(event_id, member.id) is not None:
            return event
        if not invited(event, await self.records.repo.facets(member.id)):
            raise NotFound("event-unknown")
        return event

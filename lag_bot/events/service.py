"""Events: publish to an audience, answer, change, cancel; every message goes through the outbox.

    event_id = await events.publish(actor, draft)          # coordinators; announces with buttons
    result = await events.rsvp(member, event_id, "yes")    # waitlist when full
    changed = await events.edit(actor, event_id, {"place": "Rathaus Güstrow"})
    await events.cancel(actor, event_id, occurrence=None)  # or one date of a series
    upcoming = await events.upcoming_for_member(member)    # for /termine, with the member's answer

Each change writes its rows, its reminder rows and its outbox rows in ONE transaction. The
coordinators' actions are in `lag_bot.events.admin`, the shared state in `lag_bot.events.base`; the
texts in `lag_bot.events.render`, the rules for each field in `lag_bot.events.draft`/`event_input`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from lag_bot.authorization import Actor
from lag_bot.clock import iso, iso_ms
from lag_bot.delivery.message_parts import Part
from lag_bot.errors import NotFound
from lag_bot.events.admin import EDITABLE, EventAdmin
from lag_bot.events.base import normalized
from lag_bot.events.calendar_files import calendar_ics, event_ics
from lag_bot.events.cards import CardCopy
from lag_bot.events.draft import EventDraft, validate
from lag_bot.events.models import Event, RsvpCounts, Shift
from lag_bot.events.render import is_closed, per_language, render_announcement, rsvp_buttons
from lag_bot.events.rsvp import RsvpResult, invited
from lag_bot.events.times import Date, current_date, dates
from lag_bot.models import Member, Role

__all__ = ["EDITABLE", "Events", "RsvpResult", "Upcoming"]


@dataclass(frozen=True)
class Upcoming:
    """An event in a list, with the date under way or next and the member's answer."""

    event: Event
    starts_at: datetime
    ends_at: datetime
    answer: str | None = None


class Events(EventAdmin):
    """The events service (coordinators' actions inherited from `EventAdmin`)."""

    async def publish(self, actor: Actor, draft: EventDraft) -> int:
        """Store the event, its shifts and reminder rows, and one announcement with the answer
        buttons per recipient of its audience (groups in their forum topic); return its id."""
        actor.require(Role.COORDINATOR)
        now = self.clock()
        draft = normalized(draft)
        validate(draft, now)
        recipients = await self.audience.resolve(draft.audience)
        async with self.db.transaction():
            event_id = await self.repo.create(draft, f"{uuid.uuid4()}@lag-bot", actor.member_id, iso(now))
            await self.shift_repo.add(event_id, draft.shifts)
            await self.repo.add_groups(event_id, [r.group_id for r in recipients if r.group_id is not None])
            event = await self.get(event_id)
            await self._schedule(event, now)
            parts = self.announcement_parts(event, RsvpCounts(), now)
            await self.outbox.enqueue("event", recipients, parts, iso_ms(now), ref_id=event_id)
            detail = {"event": event_id, "recipients": len(recipients)}
            await self.audit.record(iso(now), actor.member_id, "event.publish", None, detail)
        self._wake()
        return event_id

    def announcement_parts(self, event: Event, counts: RsvpCounts, now: datetime) -> dict[str, list[Part]]:
        """The announcement with its buttons, per language."""
        closed = is_closed(event, now)
        return per_language(
            self.default_language,
            lambda lang: render_announcement(self.texts, lang, event, counts, now=now),
            lambda lang: rsvp_buttons(self.texts, lang, event, closed),
        )

    async def rsvp(
        self, member: Member, event_id: int, answer: str, in_group: int | None = None
    ) -> RsvpResult:
        """Store an answer ("yes", "no", "maybe"); a full event puts a yes on the waitlist, and a
        freed seat goes to the first waiting, who is told (same transaction). `in_group`: the linked
        group (`chats.id`) the press came from, which admits anyone there to a group's event."""
        now = self.clock()
        async with self.db.transaction():
            result = await self.book.answer(member, await self.get(event_id), answer, now, in_group)
        if result.changed:
            self.cards.mark(event_id)
        if result.promoted_member_id is not None:
            self._wake()
        return result

    async def counts(self, event_id: int) -> RsvpCounts:
        """The answers counted."""
        return await self.answers.counts(event_id)

    async def answer_of(self, member_id: int, event_id: int) -> tuple[str | None, int | None]:
        """A member's answer and waitlist place."""
        return await self.answers.answer(event_id, member_id), await self.answers.position(
            event_id, member_id
        )

    async def dates(self, event_id: int, count: int = 10) -> list[Date]:
        """The next dates of an event (for choosing one of a series to cancel)."""
        return dates(await self.get(event_id), self.clock(), count)

    async def upcoming_for_member(self, member: Member, now: datetime | None = None) -> list[Upcoming]:
        """Events not over whose audience includes the member (or that they answered), soonest first."""
        now = now or self.clock()
        answers = await self.answers.answers_of(member.id)
        facets = await self.repo.facets(member.id)
        found = []
        for event in await self.repo.current(iso(now)):
            date = current_date(event, now)
            if date is not None and (event.id in answers or invited(event, facets)):
                found.append(Upcoming(event, *date, answers.get(event.id)))
        return sorted(found, key=lambda u: (u.starts_at, u.event.id))

    async def upcoming_for_group(self, group_id: int, now: datetime | None = None) -> list[Upcoming]:
        """Events not over that were announced to a group (its id in `chats`), soonest first."""
        now = now or self.clock()
        found = []
        for event in await self.repo.current_of_group(group_id, iso(now)):
            date = current_date(event, now)
            if date is not None:
                found.append(Upcoming(event, *date))
        return sorted(found, key=lambda u: (u.starts_at, u.event.id))

    async def upcoming_for_coordinator(self, member: Member, now: datetime | None = None) -> list[Upcoming]:
        """Every event not over (coordinators manage them all), with the member's answer."""
        now = now or self.clock()
        answers = await self.answers.answers_of(member.id)
        found = []
        for event in await self.repo.current(iso(now)):
            date = current_date(event, now)
            if date is not None:
                found.append(Upcoming(event, *date, answers.get(event.id)))
        return sorted(found, key=lambda u: (u.starts_at, u.event.id))

    async def visible_to(self, member: Member, event_id: int) -> Event:
        """The event, if the member may see it in private: invited as a member, or answered (a
        group's people answer in the group first); else NotFound, as for an unknown one (a forged
        id learns nothing)."""
        event = await self.get(event_id)
        if await self.answers.answer(event_id, member.id) is not None:
            return event
        if not invited(event, await self.repo.facets(member.id)):
            raise NotFound("event-unknown")
        return event

    async def group_copies(self, event_id: int) -> list[CardCopy]:
        """The delivered copies of the announcement in groups (to show live counts on)."""
        return [CardCopy(*found) for found in await self.outbox.group_messages("event", event_id)]

    async def group_card(self, event_id: int) -> Part:
        """The announcement as a group sees it now (counts, no one's own answer): the part carrying
        the buttons, i.e. the delivered message that is edited in place."""
        now = self.clock()
        event = await self.get(event_id)
        return self.announcement_parts(event, await self.counts(event_id), now)[""][-1]

    async def ics(self, event_id: int) -> bytes:
        """One event as a calendar file."""
        return event_ics(await self.get(event_id), stamp=self.clock())

    async def member_calendar(self, member: Member) -> bytes:
        """All of a member's upcoming events (not those they declined) in one calendar file."""
        chosen = [u.event for u in await self.upcoming_for_member(member) if u.answer != "no"]
        return calendar_ics(chosen, stamp=self.clock())

    async def shifts(self, event_id: int, member_id: int | None = None) -> list[Shift]:
        """An event's shifts with counts (and which the member signed up for)."""
        return await self.shift_repo.of_event(event_id, member_id)

    async def shift_signup(self, member: Member, shift_id: int) -> Shift:
        """Sign a member up for a shift (InvalidInput when it is full); the shift with its new count."""
        async with self.db.transaction():
            return await self.shift_book.sign_up(member, shift_id, self.clock())

    async def shift_leave(self, member: Member, shift_id: int) -> Shift:
        """Take a member off a shift; the shift with its new count."""
        async with self.db.transaction():
            return await self.shift_book.leave(member, shift_id, self.clock())

"""Shifts of an info stand: the list with counts, signing up (up to the maximum) and leaving."""

from __future__ import annotations

from datetime import datetime

from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed, NotFound, Stale
from lag_bot.events.models import Shift
from lag_bot.events.rsvp import invited
from lag_bot.models import Member, Status
from lag_bot.repositories.event_answers import AnswerRepository
from lag_bot.repositories.event_shifts import ShiftRepository
from lag_bot.repositories.events import EventRepository


class NotOnShift(Stale):
    """A leave press for a shift the member is not on (an older screen): the shift as it is now."""

    def __init__(self, shift: Shift) -> None:
        super().__init__("event-shifts-not-on")
        self.shift = shift


class Shifts:
    """Sign-ups for shifts; the maximum holds because the check and the insert share a transaction."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.events = EventRepository(db)
        self.answers = AnswerRepository(db)
        self.repo = ShiftRepository(db)

    async def of_event(self, event_id: int, member_id: int | None = None) -> list[Shift]:
        """An event's shifts with counts (and which the member signed up for)."""
        return await self.repo.of_event(event_id, member_id)

    async def sign_up(self, member: Member, shift_id: int) -> Shift:
        """Put the member on the shift (no change if they are on it); InvalidInput when it is full.
        The shift with its new count."""
        async with self.db.transaction():
            now = self.clock()
            shift = await self._open(member, shift_id, now)
            if shift.mine:
                return shift
            if shift.full:
                raise InvalidInput("event-shift-full")
            await self.repo.sign_up(shift_id, member.id, iso(now))
            return await self._get(member, shift_id)

    async def leave(self, member: Member, shift_id: int) -> Shift:
        """Take the member off the shift; the shift with its new count. NotOnShift (nothing changes)
        if they were not on it."""
        async with self.db.transaction():
            shift = await self._open(member, shift_id, self.clock())
            if not shift.mine:
                raise NotOnShift(shift)
            await self.repo.leave(shift_id, member.id)
            return await self._get(member, shift_id)

    async def _get(self, member: Member, shift_id: int) -> Shift:
        shift = await self.repo.get(shift_id, member.id)
        if shift is None:
            raise NotFound("event-shift-gone")
        return shift

    async def _open(self, member: Member, shift_id: int, now: datetime) -> Shift:
        """The shift, if the member may still change their part in it."""
        if member.status is not Status.ACTIVE:
            raise NotAllowed("event-members-only")
        shift = await self._get(member, shift_id)
        event = await self.events.get(shift.event_id)
        if event is None or event.cancelled:
            raise Stale("event-cancelled")
        if shift.starts_at <= now:
            raise Stale("event-shift-closed")
        answered = await self.answers.answer(event.id, member.id) is not None
        if not (answered or invited(event, await self.events.facets(member.id))):
            raise NotAllowed("event-not-invited")
        return shift

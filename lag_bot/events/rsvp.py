"""Answers to an event: checks, capacity and waitlist, moving up with a notice.

`Rsvp` is the members' side (answer, counts, one's own answer); `RsvpBook` the rules, which run
inside the caller's transaction: the database lock serialises transactions, so of two presses for
the last seat one reads the seat free and takes it, the other then reads it taken and goes on the
waitlist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lag_bot.audience import Recipient, Segment
from lag_bot.clock import Clock, iso, iso_ms
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed, Stale
from lag_bot.events.cards import LiveCards
from lag_bot.events.models import Event, MemberFacets, RsvpCounts
from lag_bot.events.notices import render_promoted
from lag_bot.events.records import EventRecords, Waker
from lag_bot.events.render import per_language
from lag_bot.events.rsvp_buttons import ANSWER_CODES
from lag_bot.events.times import next_date
from lag_bot.i18n import Catalog
from lag_bot.models import Member, Status
from lag_bot.repositories.event_answers import AnswerRepository
from lag_bot.repositories.events import EventRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.outbox import OutboxRepository

CHOICES = ("yes", "no", "maybe")


@dataclass(frozen=True)
class RsvpResult:
    """What became of a press: the stored answer, the waitlist place, who moved up, the new counts."""

    answer_stored: str
    waitlist_position: int | None
    promoted_member_id: int | None
    counts: RsvpCounts
    changed: bool = True  # False: the same answer again, nothing was written


def answer_for(code: str) -> str:
    """The answer a button's code stands for ("y" → "yes"); a forged code is refused."""
    answer = ANSWER_CODES.get(code)
    if answer is None:
        raise InvalidInput("event-bad-answer")
    return answer


def segment_matches(segment: Segment, facets: MemberFacets) -> bool:
    """Whether a member falls into a segment (any value within a dimension, all dimensions)."""
    return (
        (not segment.districts or facets.district_id in segment.districts)
        and (not segment.roles or facets.role in segment.roles)
        and (not segment.levels or bool(segment.levels & facets.levels))
        and (not segment.bodies or bool(segment.bodies & facets.bodies))
        and (not segment.topics or bool(segment.topics & facets.topics))
    )


def invited(event: Event, facets: MemberFacets | None) -> bool:
    """Whether the event's member audience includes the member."""
    spec = event.audience
    if spec.members == "all":
        return True
    return spec.members == "segment" and facets is not None and segment_matches(spec.segment, facets)


class RsvpBook:
    """Stores answers and fills free seats from the waitlist."""

    def __init__(self, db: Database, texts: Catalog, default_language: str) -> None:
        self.events = EventRepository(db)
        self.answers = AnswerRepository(db)
        self.outbox = OutboxRepository(db)
        self.members = MemberRepository(db)
        self.texts = texts
        self.default_language = default_language

    async def answer(
        self, member: Member, event: Event, answer: str, now: datetime, in_group: int | None = None
    ) -> RsvpResult:
        """Store a member's answer (inside a transaction); refusals change nothing. `in_group`: the
        group (`chats.id`) the press came from."""
        if answer not in CHOICES:
            raise InvalidInput("event-bad-answer")
        if member.status is not Status.ACTIVE:
            raise NotAllowed("event-members-only")
        check_open(event, now)
        current = await self.answers.answer(event.id, member.id)
        from_its_group = in_group is not None and in_group in event.group_ids
        if current is None and not from_its_group and not invited(event, await self.events.facets(member.id)):
            # An event announced to groups takes answers from anyone pressing in those groups (the bot
            # cannot list their people); elsewhere only from those invited as members.
            raise NotAllowed("event-not-invited")
        if current == answer or (answer == "yes" and current == "waitlist"):
            counts = await self.answers.counts(event.id)
            position = await self.answers.position(event.id, member.id)
            return RsvpResult(current, position, None, counts, changed=False)
        stored = answer
        full = event.capacity is not None and (await self.answers.counts(event.id)).yes >= event.capacity
        if answer == "yes" and full:
            stored = "waitlist"
        await self.answers.set_answer(event.id, member.id, stored, iso(now))
        promoted = None
        if current == "yes" and event.capacity is not None:
            moved = await self.promote(event, now)
            promoted = moved[0] if moved else None
        counts = await self.answers.counts(event.id)
        return RsvpResult(stored, await self.answers.position(event.id, member.id), promoted, counts)

    async def promote(self, event: Event, now: datetime) -> list[int]:
        """Move people up from the waitlist while seats are free, telling each (in the transaction)."""
        moved: list[int] = []
        if event.capacity is None:
            return moved
        while (await self.answers.counts(event.id)).yes < event.capacity:
            member_id = await self.answers.first_waiting(event.id)
            if member_id is None:
                break
            await self.answers.set_answer(event.id, member_id, "yes", iso(now))
            member = await self.members.get(member_id)
            if member is not None:
                recipient = Recipient(member.telegram_id, member_id=member.id, language=member.language)
                parts = per_language(
                    self.default_language, lambda lang: render_promoted(self.texts, lang, event, now)
                )
                await self.outbox.enqueue("event-promoted", [recipient], parts, iso_ms(now))
            moved.append(member_id)
        return moved


class Cancelled(Stale):
    """An answer to a cancelled event: the card pressed is older than the cancellation."""

    def __init__(self) -> None:
        super().__init__("event-cancelled")


def check_open(event: Event, now: datetime) -> None:
    """Refuse answers to a cancelled or past event, or after the registration deadline."""
    if event.cancelled:
        raise Cancelled()
    if next_date(event, now) is None:
        raise Stale("event-past")
    if event.deadline is not None and now >= event.deadline:
        raise Stale("event-closed")


class Rsvp:
    """Members answer an event; the counts and one's own answer."""

    def __init__(
        self, db: Database, clock: Clock, records: EventRecords, book: RsvpBook, live: LiveCards, wake: Waker
    ) -> None:
        self.db = db
        self.clock = clock
        self.records = records
        self.book = book
        self.live = live
        self.wake = wake

    async def answer(
        self, member: Member, event_id: int, answer: str, in_group: int | None = None
    ) -> RsvpResult:
        """Store an answer ("yes", "no", "maybe"); a full event puts a yes on the waitlist, and a
        freed seat goes to the first waiting, who is told (same transaction). `in_group`: the linked
        group (`chats.id`) the press came from, which admits anyone there to a group's event."""
        now = self.clock()
        async with self.db.transaction():
            result = await self.book.answer(member, await self.records.get(event_id), answer, now, in_group)
        if result.changed:
            self.live.mark(event_id)
        if result.promoted_member_id is not None:
            self.wake()
        return result

    async def counts(self, event_id: int) -> RsvpCounts:
        """The answers counted."""
        return await self.records.answers.counts(event_id)

    async def answer_of(self, member_id: int, event_id: int) -> tuple[str | None, int | None]:
        """A member's answer and waitlist place."""
        answers = self.records.answers
        return await answers.answer(event_id, member_id), await answers.position(event_id, member_id)

"""What the parts of the events service share: repositories, the clock, and a few steps that every
change takes (rebuilding reminder rows, finding who answered, waking the sender)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from lag_bot.audience import AudienceRepository, Recipient
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import NotFound
from lag_bot.events.cards import LiveCards
from lag_bot.events.draft import EventDraft
from lag_bot.events.input import check_description, check_place, check_title, parse_link
from lag_bot.events.models import ANSWERS, Event
from lag_bot.events.rsvp import RsvpBook
from lag_bot.events.shifts import ShiftBook
from lag_bot.events.times import reminder_rows
from lag_bot.i18n import Catalog
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.event_answers import AnswerRepository
from lag_bot.repositories.event_shifts import ShiftRepository
from lag_bot.repositories.events import EventRepository
from lag_bot.repositories.outbox import OutboxRepository
from lag_bot.repositories.reminders import ReminderRepository


class EventBase:
    """The state of the events service."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        texts: Catalog,
        default_language: str = "de",
        notify: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.texts = texts
        self.default_language = default_language
        self.notify = notify  # wakes the sender; set once the sender runs
        self.repo = EventRepository(db)
        self.answers = AnswerRepository(db)
        self.shift_repo = ShiftRepository(db)
        self.outbox = OutboxRepository(db)
        self.audit = AuditRepository(db)
        self.audience = AudienceRepository(db)
        self.reminder_repo = ReminderRepository(db)
        self.book = RsvpBook(db, texts, default_language)
        self.shift_book = ShiftBook(db)
        self.cards = LiveCards()  # events whose group copies need new counts (see event_cards)

    async def get(self, event_id: int) -> Event:
        """One event, or NotFound."""
        event = await self.repo.get(event_id)
        if event is None:
            raise NotFound("event-unknown")
        return event

    async def draft_of(self, event_id: int) -> EventDraft:
        """A stored event as a draft (with its shifts), e.g. to prefill an edit dialog."""
        return await self._draft_of(await self.get(event_id))

    async def _schedule(self, event: Event, now: datetime) -> None:
        """Replace the event's reminder rows with those that follow from it now (in a transaction)."""
        await self.repo.delete_reminders(event.id)
        for row in reminder_rows(event, now):
            await self.reminder_repo.create(row, iso(now))

    async def _draft_of(self, event: Event) -> EventDraft:
        """The stored event as a draft, for an edit."""
        return EventDraft(
            title=event.title,
            kind=event.kind,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            tz=event.tz,
            rrule=event.rrule,
            place=event.place,
            link=event.link,
            description=event.description,
            audience=event.audience,
            capacity=event.capacity,
            deadline=event.deadline,
            remind_offsets=event.remind_offsets,
            remind_maybe=event.remind_maybe,
            shifts=await self.shift_repo.drafts(event.id),
            shift_alert_days=event.shift_alert_days,
        )

    async def _answered(self, event: Event) -> list[Recipient]:
        """Everyone who answered, and the groups the event was announced to."""
        members = await self.answers.member_recipients(event.id, ANSWERS)
        return [*members, *await self.repo.group_recipients(event.id)]

    def _wake(self) -> None:
        if self.notify is not None:
            self.notify()


def normalized(draft: EventDraft) -> EventDraft:
    """The draft with its texts cleaned as the single-field checks clean them."""
    return replace(
        draft,
        title=check_title(draft.title),
        place=check_place(draft.place),
        link=parse_link(draft.link) if draft.link.strip() else "",
        description=check_description(draft.description),
    )

"""What the parts of the events service share: reading an event (or a draft of it), rebuilding its
reminder rows, finding who answered, and waking the sender."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from lag_bot.audience import Recipient
from lag_bot.clock import iso
from lag_bot.db import Database
from lag_bot.errors import NotFound
from lag_bot.events.draft import EventDraft
from lag_bot.events.input import check_description, check_place, check_title, parse_link
from lag_bot.events.models import ANSWERS, Event
from lag_bot.events.times import reminder_rows
from lag_bot.repositories.event_answers import AnswerRepository
from lag_bot.repositories.event_shifts import ShiftRepository
from lag_bot.repositories.events import EventRepository
from lag_bot.repositories.reminders import ReminderRepository


class Waker:
    """Wakes the sender after outbox rows were written; `notify` is set once the sender runs."""

    def __init__(self) -> None:
        self.notify: Callable[[], None] | None = None

    def __call__(self) -> None:
        if self.notify is not None:
            self.notify()


class EventRecords:
    """Stored events as the other parts of the service read them."""

    def __init__(self, db: Database) -> None:
        self.repo = EventRepository(db)
        self.answers = AnswerRepository(db)
        self.shifts = ShiftRepository(db)
        self.reminders = ReminderRepository(db)

    async def get(self, event_id: int) -> Event:
        """One event, or NotFound."""
        event = await self.repo.get(event_id)
        if event is None:
            raise NotFound("event-unknown")
        return event

    async def draft_of(self, event_id: int) -> EventDraft:
        """A stored event as a draft (with its shifts), e.g. to prefill an edit dialog."""
        return await self.as_draft(await self.get(event_id))

    async def as_draft(self, event: Event) -> EventDraft:
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
            shifts=await self.shifts.drafts(event.id),
            shift_alert_days=event.shift_alert_days,
        )

    async def schedule(self, event: Event, now: datetime) -> None:
        """Replace the event's reminder rows with those that follow from it now (in a transaction)."""
        await self.repo.delete_reminders(event.id)
        for row in reminder_rows(event, now):
            await self.reminders.create(row, iso(now))

    async def answered(self, event: Event) -> list[Recipient]:
        """Everyone who answered, and the groups the event was announced to."""
        members = await self.answers.member_recipients(event.id, ANSWERS)
        return [*members, *await self.repo.group_recipients(event.id)]


def normalized(draft: EventDraft) -> EventDraft:
    """The draft with its texts cleaned as the single-field checks clean them."""
    return replace(
        draft,
        title=check_title(draft.title),
        place=check_place(draft.place),
        link=parse_link(draft.link) if draft.link.strip() else "",
        description=check_description(draft.description),
    )

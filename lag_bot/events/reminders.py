"""The reminders' target kind 'event': who hears of an event's reminder rows, what, and when next.

    reminders.register("event", EventReminders(db, texts))

Rows with body "remind:<minutes>" fire that long before each date, to the members who said yes
(and maybe, if the event says so) and to the groups it was announced to; not to those who said no
or wait on the waitlist. The row with body "shifts" fires once, `shift_alert_days` before the
event, to its whole audience, and only while a shift lacks people. A cancelled event (or date)
reaches nobody.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lag_bot.audience import AudienceRepository, Recipient
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part
from lag_bot.events.models import Event, Shift
from lag_bot.events.notices import render_reminder, render_shift_alert
from lag_bot.events.render import per_language
from lag_bot.events.times import SHIFTS_BODY, following_due, is_date, next_date, offset_of
from lag_bot.i18n import Catalog
from lag_bot.repositories.event_answers import AnswerRepository
from lag_bot.repositories.event_shifts import ShiftRepository
from lag_bot.repositories.events import EventRepository
from lag_bot.repositories.reminders import ReminderRow


class EventReminders:
    """Implements `lag_bot.reminders.service.TargetKind` for events."""

    def __init__(self, db: Database, texts: Catalog, default_language: str = "de") -> None:
        self.repo = EventRepository(db)
        self.answers = AnswerRepository(db)
        self.shifts = ShiftRepository(db)
        self.audience = AudienceRepository(db)
        self.texts = texts
        self.default_language = default_language

    async def recipients(self, row: ReminderRow) -> list[Recipient]:
        """Who gets this firing (`row.next_due` is the firing under way)."""
        event = await self._event(row)
        if event is None:
            return []
        if row.body == SHIFTS_BODY:
            return await self.audience.resolve(event.audience) if await self._understaffed(event) else []
        offset = offset_of(row)
        due = datetime.fromisoformat(row.next_due) if row.next_due else None
        if offset is None or due is None or not is_date(event, due + timedelta(minutes=offset)):
            return []  # that date was cancelled meanwhile
        answers = ("yes", "maybe") if event.remind_maybe else ("yes",)
        return [
            *await self.answers.member_recipients(event.id, answers),
            *await self.repo.group_recipients(event.id),
        ]

    async def parts(self, row: ReminderRow, due_at: datetime, late: bool) -> dict[str, list[Part]]:
        """The reminder (or the list of understaffed shifts) per language."""
        event = await self._event(row)
        if event is None:
            return {"": []}
        if row.body == SHIFTS_BODY:
            short = await self._understaffed(event)
            return per_language(
                self.default_language, lambda lang: render_shift_alert(self.texts, lang, event, short)
            )
        offset = offset_of(row) or 0
        found = next_date(event, due_at + timedelta(minutes=offset) - timedelta(seconds=1))
        start, end = found or (event.starts_at, event.ends_at)
        return per_language(
            self.default_language, lambda lang: render_reminder(self.texts, lang, event, start, end, late)
        )

    async def following(self, row: ReminderRow, after: datetime) -> datetime | None:
        """A series' next date minus the offset; None for a single event and the shift alert."""
        event = await self._event(row)
        return following_due(event, row, after) if event is not None else None

    async def _event(self, row: ReminderRow) -> Event | None:
        event = await self.repo.get(row.event_id) if row.event_id is not None else None
        return None if event is None or event.cancelled else event

    async def _understaffed(self, event: Event) -> list[Shift]:
        return [s for s in await self.shifts.of_event(event.id) if s.missing > 0]

"""What coordinators do with a published event: change it, cancel it (or one date of a series),
look at who answered, and write to the attendees. Each change is one transaction with its
reminder rows and its notices in the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from lag_bot.authorization import Actor
from lag_bot.clock import Clock, iso, iso_ms
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, Stale
from lag_bot.events.attendees import attendee_rows_csv, check_message
from lag_bot.events.cards import LiveCards
from lag_bot.events.draft import EventDraft, align_rrule, validate
from lag_bot.events.models import ANSWERS, Attendee
from lag_bot.events.notices import NOTICE_FIELDS, render_cancel, render_change, render_message
from lag_bot.events.records import EventRecords, Waker, normalized
from lag_bot.events.render import per_language
from lag_bot.events.rsvp import RsvpBook
from lag_bot.events.times import current_date, is_date
from lag_bot.i18n import Catalog
from lag_bot.models import Role
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.events import columns
from lag_bot.repositories.outbox import OutboxRepository

# What `edit` may change, in the order the changed names are reported.
EDITABLE = (
    *("title", "kind", "starts_at", "ends_at", "tz", "rrule", "place", "link", "description"),
    *("capacity", "deadline", "remind_offsets", "remind_maybe", "shift_alert_days"),
)


class EventAdmin:
    """Coordinators' actions on events; every one re-checks the role."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        texts: Catalog,
        default_language: str,
        records: EventRecords,
        book: RsvpBook,
        live: LiveCards,
        wake: Waker,
    ) -> None:
        self.db = db
        self.clock = clock
        self.texts = texts
        self.default_language = default_language
        self.records = records
        self.repo = records.repo
        self.answers = records.answers
        self.book = book
        self.live = live
        self.wake = wake
        self.outbox = OutboxRepository(db)
        self.audit = AuditRepository(db)

    async def edit(self, actor: Actor, event_id: int, changes: dict[str, Any]) -> list[str]:
        """Change fields (values as in `EventDraft`); those who answered and the event's groups are
        told what changed. Returns the changed names ([] if nothing differs: nothing is written).
        A new start without a new end moves the end along; a series keeps its rule at the new time."""
        actor.require(Role.COORDINATOR)
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise InvalidInput("event-edit-field", field=unknown[0])
        now = self.clock()
        # Read inside the transaction: an edit racing a cancel sees the cancel (and is refused)
        # instead of sending change notices for a cancelled event.
        async with self.db.transaction():
            event = await self.records.get(event_id)
            if event.cancelled:
                raise Stale("event-cancelled")
            if current_date(event, now) is None:
                raise Stale("event-past")
            old = await self.records.as_draft(event)
            new = changed_draft(old, changes)
            changed = [name for name in EDITABLE if getattr(old, name) != getattr(new, name)]
            if not changed:
                return []
            validate(new, now, changed)
            await self.repo.update(
                event_id, {k: v for k, v in columns(new).items() if k in changed}, iso(now)
            )
            event = await self.records.get(event_id)
            await self.records.schedule(event, now)
            if "capacity" in changed:
                await self.book.promote(event, now)
            shown = [name for name in changed if name in NOTICE_FIELDS]
            if shown:
                parts = per_language(
                    self.default_language, lambda lang: render_change(self.texts, lang, event, shown, now)
                )
                told = await self.records.answered(event)
                await self.outbox.enqueue("event-change", told, parts, iso_ms(now))
            await self.audit.record(
                iso(now), actor.member_id, "event.edit", None, {"event": event_id, "fields": changed}
            )
        self.live.mark(event_id)
        self.wake()
        return changed

    async def cancel(self, actor: Actor, event_id: int, occurrence: datetime | None = None) -> None:
        """Cancel the whole event, or the date of a series starting at `occurrence`; those who
        answered and the event's groups are told."""
        actor.require(Role.COORDINATOR)
        now = self.clock()
        event = await self.records.get(event_id)
        if event.cancelled:
            raise Stale("event-already-cancelled")
        if occurrence is not None:
            if event.rrule is None:
                raise InvalidInput("event-not-series")
            if occurrence <= now or not is_date(event, occurrence):
                raise InvalidInput("event-occurrence-unknown")
        async with self.db.transaction():
            if occurrence is None:
                if not await self.repo.cancel(event_id, iso(now)):
                    raise Stale("event-already-cancelled")
            elif not await self.repo.add_exdate(event_id, iso(occurrence), iso(now)):
                raise InvalidInput("event-occurrence-unknown")
            event = await self.records.get(event_id)
            await self.records.schedule(event, now)
            parts = per_language(
                self.default_language, lambda lang: render_cancel(self.texts, lang, event, occurrence)
            )
            await self.outbox.enqueue("event-cancel", await self.records.answered(event), parts, iso_ms(now))
            detail = {"event": event_id, "occurrence": iso(occurrence) if occurrence else None}
            await self.audit.record(iso(now), actor.member_id, "event.cancel", None, detail)
        self.live.mark(event_id)
        self.wake()

    async def attendees(self, actor: Actor, event_id: int) -> list[Attendee]:
        """Everyone who answered, with name and district (coordinators; the look is audited)."""
        return await self._attendees(actor, event_id, "event.attendees")

    async def attendees_csv(self, actor: Actor, event_id: int, lang: str, tz: tzinfo) -> bytes:
        """The attendee list as CSV in `lang`, times in `tz` (coordinators; the export is audited)."""
        found = await self._attendees(actor, event_id, "event.export")
        return attendee_rows_csv(self.texts, lang, tz, found)

    async def message_attendees(
        self, actor: Actor, event_id: int, html_text: str, answers: Sequence[str] = ("yes",)
    ) -> int:
        """Send a coordinator's message (HTML) to those who gave one of `answers`; return how many."""
        actor.require(Role.COORDINATOR)
        body = check_message(html_text)
        if not answers or any(a not in ANSWERS for a in answers):
            raise InvalidInput("event-bad-answer")
        event = await self.records.get(event_id)
        now = self.clock()
        async with self.db.transaction():
            recipients = await self.answers.member_recipients(event_id, tuple(answers))
            if not recipients:
                raise InvalidInput("event-message-nobody")
            parts = per_language(
                self.default_language, lambda lang: render_message(self.texts, lang, event, body)
            )
            await self.outbox.enqueue("event-message", recipients, parts, iso_ms(now))
            detail = {"event": event_id, "recipients": len(recipients)}
            await self.audit.record(iso(now), actor.member_id, "event.message", None, detail)
        self.wake()
        return len(recipients)

    async def _attendees(self, actor: Actor, event_id: int, action: str) -> list[Attendee]:
        actor.require(Role.COORDINATOR)
        await self.records.get(event_id)
        found = await self.answers.attendees(event_id)
        async with self.db.transaction():
            detail = {"event": event_id, "count": len(found)}
            await self.audit.record(iso(self.clock()), actor.member_id, action, None, detail)
        return found


def changed_draft(old: EventDraft, changes: dict[str, Any]) -> EventDraft:
    """The stored event's draft with the changes: a new start without a new end moves the end
    along, and a series keeps its rule at the new time."""
    new = normalized(replace(old, **changes))
    if "starts_at" in changes and "ends_at" not in changes:
        new = replace(new, ends_at=new.starts_at + (old.ends_at - old.starts_at))
    if new.rrule is not None and "rrule" not in changes and new.starts_at != old.starts_at:
        new = replace(new, rrule=align_rrule(new.rrule, new.starts_at, ZoneInfo(new.tz)))
    return new

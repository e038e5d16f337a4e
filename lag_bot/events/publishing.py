"""Publishing an event: store it with its shifts and reminder rows, and announce it with the answer
buttons to its audience, all in one transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

from lag_bot.audience import AudienceRepository
from lag_bot.authorization import Actor
from lag_bot.clock import Clock, iso, iso_ms
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part
from lag_bot.events.draft import EventDraft, validate
from lag_bot.events.models import Event, RsvpCounts
from lag_bot.events.records import EventRecords, Waker, normalized
from lag_bot.events.render import is_closed, per_language, render_announcement
from lag_bot.events.rsvp_buttons import rsvp_buttons
from lag_bot.i18n import Catalog
from lag_bot.models import Role
from lag_bot.repositories.audit import AuditRepository, audience_detail
from lag_bot.repositories.outbox import OutboxRepository


def announcement_parts(
    texts: Catalog, default_language: str, event: Event, counts: RsvpCounts, now: datetime
) -> dict[str, list[Part]]:
    """The announcement with its buttons, per language."""
    closed = is_closed(event, now)
    return per_language(
        default_language,
        lambda lang: render_announcement(texts, lang, event, counts, now=now),
        lambda lang: rsvp_buttons(texts, lang, event, closed),
    )


class Publishing:
    """Coordinators publish a finished draft."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        texts: Catalog,
        default_language: str,
        records: EventRecords,
        wake: Waker,
    ) -> None:
        self.db = db
        self.clock = clock
        self.texts = texts
        self.default_language = default_language
        self.records = records
        self.wake = wake
        self.audience = AudienceRepository(db)
        self.outbox = OutboxRepository(db)
        self.audit = AuditRepository(db)

    async def publish(self, actor: Actor, draft: EventDraft) -> int:
        """Store the event, its shifts and reminder rows, and one announcement with the answer
        buttons per recipient of its audience (groups in their forum topic); return its id."""
        actor.require(Role.COORDINATOR)
        now = self.clock()
        draft = normalized(draft)
        validate(draft, now)
        recipients = await self.audience.resolve(draft.audience)
        repo = self.records.repo
        async with self.db.transaction():
            event_id = await repo.create(draft, f"{uuid.uuid4()}@lag-bot", actor.member_id, iso(now))
            await self.records.shifts.add(event_id, draft.shifts)
            await repo.add_groups(event_id, [r.group_id for r in recipients if r.group_id is not None])
            event = await self.records.get(event_id)
            await self.records.schedule(event, now)
            parts = announcement_parts(self.texts, self.default_language, event, RsvpCounts(), now)
            await self.outbox.enqueue("event", recipients, parts, iso_ms(now), ref_id=event_id)
            detail = {"event": event_id, **audience_detail(draft.audience.to_json(), len(recipients))}
            await self.audit.record(iso(now), actor.member_id, "event.publish", None, detail)
        self.wake()
        return event_id

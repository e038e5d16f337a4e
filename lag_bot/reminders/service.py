"""Reminders: created from a parsed time, fired into the outbox, never twice and never lost.

    reminder_id = await reminders.create(actor, Target.member(member), when, "Kreistag vorbereiten")
    report = await reminders.fire_due()        # called by the scheduler whenever something is due

Firing writes the outbox rows and moves `next_due` on in ONE transaction: a crash before the
commit leaves the reminder due (it fires after the restart), a crash after it leaves the rows in
the outbox (the sender delivers them). A reminder found due later than `grace` after its time
(the bot was down) is not sent; its creator is told instead, and a recurring one goes on with
its next time. One due within the grace period is sent once, marked as late.

One file on purpose (about 265 lines): one class, the one scheduler, whose rows are written and
fired under the same rules (`schedule`, `next_after`, the grace period); the rules themselves are
in `rules.py`, the "Erledigt ✓" repeats in `acks.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from lag_bot.audience import AudienceRepository, AudienceSpec, Recipient
from lag_bot.authorization import Actor
from lag_bot.clock import Clock, iso, iso_ms
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part, build_parts
from lag_bot.errors import InvalidInput, NotFound, Stale
from lag_bot.i18n import LANGUAGES, Catalog
from lag_bot.models import Member, Status
from lag_bot.reminders.acks import ACK_CHOICES, AckResult, Acks
from lag_bot.reminders.audit import ReminderAudit
from lag_bot.reminders.rules import Target, check_may_set, clean_body, member_recipient, next_after, schedule
from lag_bot.repositories.chats import ChatRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.outbox import OutboxRepository
from lag_bot.repositories.reminders import ReminderRepository
from lag_bot.repositories.reminders import ReminderRow as ReminderRow  # handlers read it from here
from lag_bot.timeparse.parse import When, describe_moment

log = logging.getLogger(__name__)
LATE_AFTER = timedelta(minutes=1)  # later than this, the message says it is late


class TargetKind(Protocol):
    """A target another feature owns (an event's attendees), registered with `Reminders.register`.

    Its rows are written by that feature (`ReminderRepository.create` inside its own transaction,
    `target_kind` = the registered name); the reminders fire them like any other.
    """

    async def recipients(self, row: ReminderRow) -> list[Recipient]:
        """Who gets this firing, resolved when it fires."""

    async def parts(self, row: ReminderRow, due_at: datetime, late: bool) -> dict[str, list[Part]]:
        """The message per language ("" for recipients without one)."""

    async def following(self, row: ReminderRow, after: datetime) -> datetime | None:
        """The next firing strictly after `after`, or None when the row is done."""


@dataclass(frozen=True)
class FireReport:
    """What one round of firing did."""

    sent: int = 0
    late: int = 0
    missed: int = 0
    repeated: int = 0


class Reminders:
    """Creates, lists, pauses and fires reminders."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        texts: Catalog,
        grace: timedelta = timedelta(hours=1),
        default_language: str = "de",
        notify: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.texts = texts
        self.grace = grace
        self.default_language = default_language
        self.notify = notify  # wakes the sender
        self.repo = ReminderRepository(db)
        self.outbox = OutboxRepository(db)
        self.members = MemberRepository(db)
        self.chats = ChatRepository(db)
        self.audience = AudienceRepository(db)
        self.audited = ReminderAudit(db, self.audience)
        self.kinds: dict[str, TargetKind] = {}
        self.acks = Acks(db, texts, self.repo, self.outbox)

    def register(self, name: str, kind: TargetKind) -> None:
        """Let rows with `target_kind = name` fire through `kind`."""
        self.kinds[name] = kind

    async def create(
        self, actor: Actor, target: Target, when: When, body: str, ack_every: int | None = None
    ) -> int:
        """Store a reminder; members may remind themselves, coordinators also groups and segments.
        With `ack_every` (minutes) each firing repeats until it is confirmed."""
        body = clean_body(body)
        check_may_set(actor, target)
        if ack_every is not None and ack_every not in ACK_CHOICES:
            raise InvalidInput("reminder-ack-invalid")
        row = replace(schedule(when), created_by=actor.member_id, target_kind=target.kind, body=body)
        row = replace(
            row,
            member_id=target.member_id,
            group_id=target.group_id,
            audience=target.audience.to_json() if target.audience else None,
            ack_every_min=ack_every,
        )
        now = iso(self.clock())
        async with self.db.transaction():
            reminder_id = await self.repo.create(row, now)
            await self.audited.record(now, actor, target, reminder_id, edited=False)
        return reminder_id

    async def update(
        self, actor: Actor, target: Target, row: ReminderRow, when: When, body: str, ack_every: int | None
    ) -> None:
        """Give a reminder a new time and text (the caller checked that `row` belongs to `target`)."""
        body = clean_body(body)
        check_may_set(actor, target)
        if ack_every is not None and ack_every not in ACK_CHOICES:
            raise InvalidInput("reminder-ack-invalid")
        scheduled = schedule(when)
        async with self.db.transaction():
            if not await self.repo.update(replace(scheduled, id=row.id, body=body, ack_every_min=ack_every)):
                raise NotFound("reminder-unknown")
            await self.audited.record(iso(self.clock()), actor, target, row.id, edited=True)

    async def acknowledge(self, row: ReminderRow, key: int, member: Member, chat_id: int) -> AckResult:
        """A member pressed "Erledigt ✓" under firing `key` in `chat_id`."""
        return await self.acks.acknowledge(row, key, member, chat_id, self.clock(), self._recipients)

    async def fire_due(self) -> FireReport:
        """Hand every due reminder to the outbox (or report it missed) and move it on; then the
        repeats of firings nobody has confirmed yet."""
        now = self.clock()
        sent = late = missed = 0
        for row in await self.repo.due(iso_ms(now)):
            due_at = datetime.fromisoformat(row.next_due or iso_ms(now))
            overdue = now - due_at
            kind = self.kinds.get(row.target_kind)
            recipients = await self._recipients(row)
            after = max(now, due_at)
            following = await kind.following(row, after) if kind else next_after(row, after)
            async with self.db.transaction():
                if overdue <= self.grace:
                    is_late = overdue > LATE_AFTER
                    if kind:
                        parts = await kind.parts(row, due_at, is_late)
                    else:
                        key = "reminder-message-late" if is_late else "reminder-message"
                        parts = self.acks.button(self._parts(key, row, due_at), row, due_at)
                    await self.outbox.enqueue("reminder", recipients, parts, iso_ms(now))
                    await self.acks.fired(row, due_at, now, following)
                    sent += 1
                    late += is_late
                else:
                    await self._tell_creator_missed(row, due_at, now)
                    missed += 1
                await self.repo.advance(row.id, row.next_due, iso_ms(following) if following else None)
        repeats = await self.acks.fire_repeats(now, self._recipients, self._repeat_parts)
        if (sent or missed or repeats) and self.notify is not None:
            self.notify()
        if sent or missed or repeats:
            log.info("reminders: %d sent (%d late), %d missed, %d repeated", sent, late, missed, repeats)
        return FireReport(sent, late, missed, repeats)

    async def next_due(self) -> datetime | None:
        """When the scheduler must look next (a firing or a repeat)."""
        found = [v for v in (await self.repo.next_due(), await self.repo.next_repeat()) if v]
        return datetime.fromisoformat(min(found)) if found else None

    async def _recipients(self, row: ReminderRow) -> list[Recipient]:
        kind = self.kinds.get(row.target_kind)
        if kind is not None:
            return await kind.recipients(row)
        if row.target_kind == "member" and row.member_id is not None:
            member = await self.members.get(row.member_id)
            return [member_recipient(member)] if member and member.status is Status.ACTIVE else []
        if row.target_kind == "group" and row.group_id is not None:
            groups = {g.id: g for g in await self.chats.active()}
            group = groups.get(row.group_id)
            # In a forum, the topic the group was linked in.
            return (
                [Recipient(chat_id=group.chat_id, group_id=group.id, thread_id=group.thread_id)]
                if group
                else []
            )
        if row.audience:
            return await self.audience.resolve(AudienceSpec.from_json(row.audience))
        return []

    def _repeat_parts(self, row: ReminderRow, due_at: datetime) -> dict[str, list[Part]]:
        return self._parts("reminder-message-repeat", row, due_at)

    def _parts(self, key: str, row: ReminderRow, due_at: datetime) -> dict[str, list[Part]]:
        zone = ZoneInfo(row.tz)
        parts = {
            lang: build_parts(
                self.texts.t(lang, key, body=row.body, due=describe_moment(due_at.astimezone(zone), lang))
            )
            for lang in LANGUAGES
        }
        parts[""] = parts[self.default_language]
        return parts

    async def _tell_creator_missed(self, row: ReminderRow, due_at: datetime, now: datetime) -> None:
        creator = await self.members.get(row.created_by) if row.created_by is not None else None
        if creator is None or creator.status is not Status.ACTIVE:
            return
        text = self.texts.t(
            creator.language,
            "reminder-missed",
            body=row.body,
            due=describe_moment(due_at.astimezone(ZoneInfo(row.tz)), creator.language),
        )
        await self.outbox.enqueue(
            "reminder-missed", [member_recipient(creator)], {"": build_parts(text)}, iso_ms(now)
        )

    async def pause(self, row: ReminderRow) -> None:
        """Stop an active reminder from firing until it is resumed."""
        if row.status != "active":
            raise Stale()
        async with self.db.transaction():
            await self.repo.set_status(row.id, "paused")

    async def resume(self, row: ReminderRow) -> None:
        """Let a paused reminder fire again, from its next time after now (no catching up)."""
        if row.status != "paused":
            raise Stale()
        now = self.clock()
        if row.rrule is not None:
            following = next_after(row, now)
        else:
            due = datetime.fromisoformat(row.next_due) if row.next_due else None
            following = due if due is not None and due > now else None
        if following is None:
            raise InvalidInput("reminder-resume-past")
        async with self.db.transaction():
            await self.repo.set_status(row.id, "active", iso_ms(following))

    async def delete(self, row: ReminderRow) -> None:
        """Remove a reminder for good."""
        async with self.db.transaction():
            await self.repo.delete(row.id)

    async def get(self, reminder_id: int) -> ReminderRow:
        """One reminder, or NotFound."""
        row = await self.repo.get(reminder_id)
        if row is None:
            raise NotFound("reminder-unknown")
        return row

    async def of_member(self, member_id: int) -> list[ReminderRow]:
        """A member's personal reminders and the segment reminders they set (not done), by next time."""
        return await self.repo.of_member(member_id)

    async def of_group(self, group_id: int) -> list[ReminderRow]:
        """A group's reminders (not done), by next time."""
        return await self.repo.of_group(group_id)

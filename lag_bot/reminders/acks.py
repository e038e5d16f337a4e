"""Acknowledged reminders: a firing with "Erledigt ✓" repeats until someone confirms it.

A personal reminder waits for its owner, a group's for any one member of the group (the group
sees who), a segment's for each member on their own (repeats go only to those who have not
confirmed). Repeats come every `ack_every_min` minutes after the last one, at most MAX_REPEATS
times, and stop when the reminder's next regular firing comes (that one supersedes them).

The state lives in the reminder row (`ack_due`: the firing waiting, `repeat_due`, `repeats`) and
in `reminder_acks` (who confirmed which firing), so a restart neither forgets nor doubles a repeat.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lag_bot.audience import Recipient
from lag_bot.callbacks import Feature, encode
from lag_bot.clock import iso, iso_ms
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part, with_button
from lag_bot.errors import NotAllowed, Stale
from lag_bot.i18n import Catalog
from lag_bot.models import Member, Status
from lag_bot.repositories.chats import ChatRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.outbox import OutboxRepository
from lag_bot.repositories.reminders import ReminderRepository, ReminderRow

FEATURE = Feature.REMINDER_DONE


class DoneAction(enum.StrEnum):
    """The one button under a reminder that waits for an acknowledgement (feature REMINDER_DONE)."""

    OK = "ok"  # "Erledigt ✓"

ACK_CHOICES = (15, 30, 60, 180, 1440)  # minutes offered as buttons
MAX_REPEATS = 24
Resolver = Callable[[ReminderRow], Awaitable[list[Recipient]]]
Renderer = Callable[[ReminderRow, datetime], dict[str, list[Part]]]


@dataclass(frozen=True)
class AckResult:
    """What a press of "Erledigt ✓" did."""

    recorded: bool  # False: this member had confirmed already, or (group) someone else had
    first_by: str | None  # a group's firing: who confirmed it first


def occurrence_key(due_at: datetime) -> int:
    """The firing as milliseconds since the epoch (what the button carries)."""
    return int(due_at.timestamp() * 1000)


def occurrence_iso(key: int) -> str:
    """The stored form of a firing from the button's number (a forged one is a stale button)."""
    try:
        return iso_ms(datetime.fromtimestamp(key / 1000, UTC))
    except (ValueError, OverflowError, OSError):
        raise Stale() from None


class Acks:
    """Adds the button, repeats unconfirmed firings and records confirmations."""

    def __init__(
        self, db: Database, texts: Catalog, repo: ReminderRepository, outbox: OutboxRepository
    ) -> None:
        self.db = db
        self.texts = texts
        self.repo = repo
        self.outbox = outbox
        self.members = MemberRepository(db)
        self.chats = ChatRepository(db)

    def button(
        self, parts: dict[str, list[Part]], row: ReminderRow, due_at: datetime
    ) -> dict[str, list[Part]]:
        """The message parts with "Erledigt ✓" under them (only for reminders that ask for it)."""
        if row.ack_every_min is None:
            return parts
        data = encode(FEATURE, DoneAction.OK, row.id, occurrence_key(due_at))
        return {
            lang: with_button(p, self.texts.t(lang or "de", "reminder-btn-done"), data)
            for lang, p in parts.items()
        }

    async def fired(
        self, row: ReminderRow, due_at: datetime, now: datetime, following: datetime | None
    ) -> None:
        """A firing went out (inside the firing's transaction): wait for its confirmation."""
        if row.ack_every_min is None:
            return
        await self.repo.await_ack(row.id, iso_ms(due_at), self._next_repeat(row, 0, now, following))

    async def fire_repeats(
        self,
        now: datetime,
        recipients_of: Resolver,
        render: Callable[[ReminderRow, datetime], dict[str, list[Part]]],
    ) -> int:
        """Send every repeat that is due; the number sent."""
        sent = 0
        for row in await self.repo.repeats_due(iso_ms(now)):
            occurrence = row.ack_due
            if occurrence is None:
                continue
            due_at = datetime.fromisoformat(occurrence)
            acked = set(await self.repo.acked_by(row.id, occurrence))
            waiting = [] if row.target_kind == "group" and acked else await recipients_of(row)
            waiting = [r for r in waiting if r.member_id is None or r.member_id not in acked]
            following = (
                datetime.fromisoformat(row.next_due) if row.next_due and row.status == "active" else None
            )
            async with self.db.transaction():
                if not waiting:
                    await self.repo.stop_repeats(row.id, occurrence)
                    continue
                parts = self.button(render(row, due_at), row, due_at)
                await self.outbox.enqueue("reminder-repeat", waiting, parts, iso_ms(now))
                await self.repo.repeated(
                    row.id, occurrence, self._next_repeat(row, row.repeats + 1, now, following)
                )
            sent += 1
        return sent

    async def acknowledge(
        self, row: ReminderRow, key: int, member: Member, chat_id: int, now: datetime, recipients_of: Resolver
    ) -> AckResult:
        """Record `member`'s confirmation of one firing, pressed in `chat_id`; refuse strangers."""
        if row.ack_every_min is None:
            raise Stale()
        await self._check_may_confirm(row, member, chat_id, recipients_of)
        occurrence = occurrence_iso(key)
        async with self.db.transaction():
            before = await self.repo.acked_by(row.id, occurrence)
            if row.target_kind == "group" and before:
                first = await self.members.get(before[0])
                return AckResult(False, first.display_name if first else None)
            recorded = await self.repo.add_ack(row.id, occurrence, member.id, iso(now))
            if row.target_kind != "segment":
                await self.repo.stop_repeats(row.id, occurrence)
        return AckResult(recorded, member.display_name if row.target_kind == "group" else None)

    async def _check_may_confirm(
        self, row: ReminderRow, member: Member, chat_id: int, recipients_of: Resolver
    ) -> None:
        if member.status is not Status.ACTIVE:
            raise NotAllowed("reminder-members-only")
        if row.target_kind == "member":
            if row.member_id != member.id:
                raise NotAllowed("reminder-not-yours")
        elif row.target_kind == "group":
            group = await self.chats.get(chat_id)  # the press must come from the reminded group itself
            if group is None or group.id != row.group_id:
                raise NotAllowed("reminder-not-yours")
        elif member.id not in {r.member_id for r in await recipients_of(row)}:
            raise NotAllowed("reminder-not-yours")

    @staticmethod
    def _next_repeat(row: ReminderRow, repeats: int, now: datetime, following: datetime | None) -> str | None:
        if row.ack_every_min is None or repeats >= MAX_REPEATS:
            return None
        at = now + timedelta(minutes=row.ack_every_min)
        if following is not None and at >= following:
            return None  # the next regular firing supersedes the repeats
        return iso_ms(at)

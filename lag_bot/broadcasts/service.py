"""Coordinator broadcasts: draft, recipients, one outbox row each, progress, report.

    draft = Draft(body_html="<b>Einladung</b> …", audience=AudienceSpec(members="all"))
    members, groups = await broadcasts.count(draft.audience)
    broadcast_id = await broadcasts.create(actor, draft, read_labels={"de": "Gelesen ✓", "en": "Read ✓"})
    report = await broadcasts.report(broadcast_id)

The broadcast and all its deliveries are written in one transaction, so a crash leaves either
nothing or everything to send. The draft and the report are in `lag_bot/broadcasts/model.py`,
the CSV in `report_csv.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import tzinfo

from lag_bot.audience import AudienceRepository, AudienceSpec, Recipient
from lag_bot.authorization import Actor
from lag_bot.broadcasts.model import READ_FEATURE, Draft, ReadAction, Report, check_body
from lag_bot.broadcasts.report_csv import report_csv
from lag_bot.broadcasts.segments import Segments
from lag_bot.callbacks import encode
from lag_bot.clock import Clock, iso, iso_ms
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part, with_button
from lag_bot.errors import InvalidInput, NotFound, Stale
from lag_bot.i18n import Catalog
from lag_bot.models import Role
from lag_bot.repositories.audit import AuditRepository, audience_detail
from lag_bot.repositories.broadcast_deliveries import BroadcastDeliveries
from lag_bot.repositories.broadcasts import BroadcastRepository
from lag_bot.repositories.broadcasts import BroadcastRow as BroadcastRow  # handlers read it from here
from lag_bot.repositories.outbox import OutboxRepository
from lag_bot.repositories.territory import TerritoryRepository


class Broadcasts:
    """Creates broadcasts and reads their reports."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        notify: Callable[[], None] | None = None,
        territory: TerritoryRepository | None = None,
        texts: Catalog | None = None,
    ) -> None:
        self.db = db
        self.texts = texts or Catalog.load()
        self.clock = clock
        self.notify = notify  # wakes the sender; set once the sender runs
        self.audience = AudienceRepository(db)
        self.outbox = OutboxRepository(db)
        self.deliveries = BroadcastDeliveries(db)
        self.repo = BroadcastRepository(db)
        self.audit = AuditRepository(db)
        self.segments = Segments(db, territory or TerritoryRepository(db))

    async def count(self, spec: AudienceSpec) -> tuple[int, int]:
        """(members, groups) the audience reaches right now."""
        recipients = await self.audience.resolve(spec)
        groups = sum(1 for r in recipients if r.group_id is not None)
        return len(recipients) - groups, groups

    async def create(self, actor: Actor, draft: Draft, read_labels: dict[str, str]) -> int:
        """Write the broadcast and one outbox row per recipient; return its id."""
        actor.require(Role.COORDINATOR)
        draft = replace(draft, body_html=check_body(draft.body_html, draft.media is not None))
        recipients = await self.audience.resolve(draft.audience)
        if not recipients:
            raise InvalidInput("broadcast-nobody")
        now = self.clock()
        async with self.db.transaction():
            broadcast_id = await self.repo.create(
                actor.member_id,
                iso(now),
                draft.body_html,
                draft.media,
                draft.audience.to_json(),
                draft.read_button,
                draft.scheduled_at,
            )
            await self._enqueue(
                broadcast_id, draft, recipients, read_labels, draft.scheduled_at or iso_ms(now)
            )
            await self.audit.record(
                iso(now),
                actor.member_id,
                "broadcast.create",
                None,
                {
                    "broadcast": broadcast_id,
                    **audience_detail(draft.audience.to_json(), len(recipients)),
                    "scheduled": bool(draft.scheduled_at),
                },
            )
        self._wake()
        return broadcast_id

    async def _enqueue(
        self,
        broadcast_id: int,
        draft: Draft,
        recipients: list[Recipient],
        read_labels: dict[str, str],
        not_before: str,
    ) -> int:
        plain = draft.parts()
        parts_for: dict[str, list[Part]] = {"": plain}
        if draft.read_button:
            data = encode(READ_FEATURE, ReadAction.OK, broadcast_id)
            parts_for.update({lang: with_button(plain, label, data) for lang, label in read_labels.items()})
        return await self.outbox.enqueue("broadcast", recipients, parts_for, not_before, broadcast_id)

    async def get(self, broadcast_id: int) -> BroadcastRow:
        """One broadcast, or NotFound."""
        row = await self.repo.get(broadcast_id)
        if row is None:
            raise NotFound("broadcast-unknown")
        return row

    async def unfinished(self) -> list[BroadcastRow]:
        """The broadcasts still queued or sending."""
        return await self.repo.unfinished()

    async def set_progress_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        """Remember the message that shows a broadcast's progress."""
        await self.repo.set_progress_message(broadcast_id, chat_id, message_id)

    async def has_read_button(self, broadcast_id: int) -> bool:
        """Whether the broadcast exists and carried the "Gelesen ✓" button."""
        row = await self.repo.get(broadcast_id)
        return row is not None and row.read_button

    async def report(self, broadcast_id: int) -> Report:
        """The counts of one broadcast."""
        row = await self.get(broadcast_id)
        c = await self.deliveries.counts(broadcast_id)
        sent, unreachable, failed, stopped = (
            c.get(k, 0) for k in ("sent", "unreachable", "failed", "stopped")
        )
        pending = c.get("pending", 0) + c.get("sending", 0)
        total = sent + unreachable + failed + stopped + pending
        return Report(row, total, sent, unreachable, failed, stopped, pending, c["read"], c["duplicates"])

    async def recent(self, limit: int = 5) -> list[Report]:
        """Reports of the newest broadcasts."""
        return [await self.report(row.id) for row in await self.repo.recent(limit)]

    async def stop(self, actor: Actor, broadcast_id: int) -> int:
        """Stop what is not sent yet; Stale if it has finished already."""
        actor.require(Role.COORDINATOR)
        await self.get(broadcast_id)
        # The broadcast first: a send in flight that comes back for a retry then stays stopped.
        if not await self.repo.stop_if_running(broadcast_id, iso(self.clock())):
            raise Stale("broadcast-already-finished")
        stopped = await self.deliveries.stop(broadcast_id)
        async with self.db.transaction():
            await self.audit.record(
                iso(self.clock()),
                actor.member_id,
                "broadcast.stop",
                None,
                {"broadcast": broadcast_id, "stopped": stopped},
            )
        return stopped

    async def resend_unread(self, actor: Actor, broadcast_id: int, read_labels: dict[str, str]) -> int:
        """Send the broadcast again to members who did not confirm it; return how many."""
        actor.require(Role.COORDINATOR)
        row = await self.get(broadcast_id)
        # Only once the first round is over (a stale button must not repeat a running send).
        if not row.read_button:
            raise Stale()
        draft = Draft(
            row.body_html,
            (row.media_kind, row.media_file_id) if row.media_kind and row.media_file_id else None,
            read_button=True,
        )
        async with self.db.transaction():
            # Decided inside the transaction: of two presses at once (two coordinators), one re-sends.
            if row.status != "done" or not await self.repo.move(broadcast_id, "done", "sending"):
                raise Stale()
            unread = await self.deliveries.unread_recipients(broadcast_id)
            if not unread:
                raise InvalidInput("broadcast-all-read")
            recipients = [
                Recipient(chat_id=r["chat_id"], member_id=r["member_id"], language=r["language"])
                for r in unread
            ]
            count = await self._enqueue(broadcast_id, draft, recipients, read_labels, iso_ms(self.clock()))
            await self.audit.record(
                iso(self.clock()),
                actor.member_id,
                "broadcast.resend",
                None,
                {"broadcast": broadcast_id, "recipients": count},
            )
        self._wake()
        return count

    async def mark_read(self, broadcast_id: int, chat_id: int) -> bool:
        """A recipient pressed "Gelesen ✓"; False if it was not theirs or they had pressed it."""
        return await self.deliveries.mark_read(broadcast_id, chat_id, iso(self.clock()))

    async def csv(self, actor: Actor, broadcast_id: int, lang: str, tz: tzinfo) -> bytes:
        """Per-recipient status as CSV (coordinators; the look is audited) in `lang`, times in `tz`."""
        actor.require(Role.COORDINATOR)
        data = report_csv(self.texts, lang, tz, await self.deliveries.per_recipient(broadcast_id))
        async with self.db.transaction():
            await self.audit.record(
                iso(self.clock()), actor.member_id, "broadcast.export", None, {"broadcast": broadcast_id}
            )
        return data

    async def finish_if_done(self, broadcast_id: int) -> Report:
        """Mark a broadcast done once nothing is pending; return its report."""
        report = await self.report(broadcast_id)
        if report.broadcast.status not in ("queued", "sending"):
            return report
        if await self.repo.finish_if_idle(broadcast_id, iso(self.clock())):
            return await self.report(broadcast_id)
        if report.sent and report.broadcast.status == "queued":
            async with self.db.transaction():  # only from queued: a stop meanwhile stays a stop
                await self.repo.move(broadcast_id, "queued", "sending")
        return report

    def _wake(self) -> None:
        if self.notify is not None:
            self.notify()

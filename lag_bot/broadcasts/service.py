"""Coordinator broadcasts: draft, recipients, one outbox row each, progress, report.

    draft = Draft(body_html="<b>Einladung</b> …", audience=AudienceSpec(members="all"))
    members, groups = await broadcasts.count(draft.audience)
    broadcast_id = await broadcasts.create(actor, draft, read_labels={"de": "Gelesen ✓", "en": "Read ✓"})
    report = await broadcasts.report(broadcast_id)

The broadcast and all its deliveries are written in one transaction, so a crash leaves either
nothing or everything to send.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lag_bot.audience import AudienceRepository, AudienceSpec, Recipient
from lag_bot.authorization import Actor
from lag_bot.broadcasts.segments import Segments
from lag_bot.callbacks import Feature, encode
from lag_bot.clock import Clock, iso, iso_ms
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part, build_parts, with_button
from lag_bot.errors import InvalidInput, NotFound, Stale
from lag_bot.i18n import Catalog
from lag_bot.models import Role
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.broadcasts import BroadcastRepository, BroadcastRow
from lag_bot.repositories.outbox import OutboxRepository
from lag_bot.repositories.territory import TerritoryRepository
from lag_bot.spreadsheet import csv_bytes

BODY_MAX = 12_000  # three Telegram messages at most
READ_FEATURE = Feature.BROADCAST_READ
CSV_COLUMNS = (  # the catalog keys of the CSV's header
    "broadcast-csv-col-recipient",
    "broadcast-csv-col-kind",
    "broadcast-csv-col-status",
    "broadcast-csv-col-sent-at",
    "broadcast-csv-col-read-at",
    "broadcast-csv-col-duplicate",
    "broadcast-csv-col-error",
)


class ReadAction(enum.StrEnum):
    """The one button under a broadcast (feature BROADCAST_READ)."""

    OK = "ok"  # "Gelesen ✓"


@dataclass(frozen=True)
class Draft:
    """A broadcast being written (kept in the coordinator's dialog)."""

    body_html: str
    media: tuple[str, str] | None = None  # ("photo" | "document", Telegram file id)
    audience: AudienceSpec = field(default_factory=AudienceSpec)
    read_button: bool = False
    scheduled_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "body_html": self.body_html,
            "media": list(self.media) if self.media else None,
            "audience": self.audience.to_json(),
            "read_button": self.read_button,
            "scheduled_at": self.scheduled_at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        """Read the stored form."""
        media = data.get("media")
        return cls(
            body_html=str(data.get("body_html", "")),
            media=(str(media[0]), str(media[1])) if media else None,
            audience=AudienceSpec.from_json(data["audience"]) if data.get("audience") else AudienceSpec(),
            read_button=bool(data.get("read_button")),
            scheduled_at=data.get("scheduled_at"),
        )

    def parts(self) -> list[Part]:
        """The messages every recipient gets (without the read button)."""
        return build_parts(self.body_html, self.media)


@dataclass(frozen=True)
class Report:
    """How a broadcast went."""

    broadcast: BroadcastRow
    total: int
    sent: int
    unreachable: int
    failed: int
    stopped: int
    pending: int
    read: int
    duplicates: int

    @property
    def finished(self) -> bool:
        """Whether nothing is left to send."""
        return self.pending == 0


def check_body(body_html: str, has_media: bool = False) -> str:
    """The body, if it is not empty (media alone is fine) and not over BODY_MAX."""
    body = body_html.strip()
    if not body and not has_media:
        raise InvalidInput("broadcast-empty")
    if len(body) > BODY_MAX:
        raise InvalidInput("broadcast-too-long", max=BODY_MAX, length=len(body))
    return body


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
        check_body(draft.body_html, draft.media is not None)
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
                    "recipients": len(recipients),
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
        c = await self.outbox.counts(broadcast_id)
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
        stopped = await self.outbox.stop(broadcast_id)
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
            unread = await self.outbox.unread_recipients(broadcast_id)
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
        return await self.outbox.mark_read(broadcast_id, chat_id, iso(self.clock()))

    async def csv(self, actor: Actor, broadcast_id: int, lang: str) -> bytes:
        """Per-recipient status as CSV (coordinators; the look is audited), headed in `lang`."""
        actor.require(Role.COORDINATOR)
        rows = await self.outbox.per_recipient(broadcast_id)
        t = self.texts.t
        deleted = t(lang, "broadcast-csv-deleted")
        data = csv_bytes(
            [t(lang, key) for key in CSV_COLUMNS],
            (
                (
                    r["member"] or r["grp"] or deleted,
                    "group" if r["grp"] else "member",
                    r["status"],
                    r["sent_at"] or "",
                    r["read_at"] or "",
                    int(r["possible_duplicate"]),
                    r["last_error"] or "",
                )
                for r in rows
            ),
        )
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

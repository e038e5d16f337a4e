"""The outbox: one row per recipient and message, written before anything is sent.

Row life: pending → sending (one attempt under way) → sent | unreachable | failed | stopped;
a retry puts it back to pending with a later `not_before`. A row found in `sending` after a
crash may or may not have arrived: it is retried once, marked as a possible duplicate.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from lag_bot.audience import Recipient
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part

# A row going back to the queue stays stopped if its broadcast was stopped meanwhile.
_REQUEUED = (
    "CASE WHEN EXISTS (SELECT 1 FROM broadcasts b WHERE b.id = deliveries.broadcast_id "
    "AND b.status = 'stopped') THEN 'stopped' ELSE 'pending' END"
)


@dataclass(frozen=True)
class Delivery:
    """One recipient's copy of a message."""

    id: int
    broadcast_id: int | None
    kind: str
    chat_id: int
    member_id: int | None
    group_id: int | None
    thread_id: int | None
    parts: tuple[Part, ...]
    next_part: int
    attempts: int
    possible_duplicate: bool


def _delivery(row: aiosqlite.Row) -> Delivery:
    return Delivery(
        id=row["id"],
        broadcast_id=row["broadcast_id"],
        kind=row["kind"],
        chat_id=row["chat_id"],
        member_id=row["member_id"],
        group_id=row["group_id"],
        thread_id=row["thread_id"],
        parts=tuple(Part.from_json(p) for p in json.loads(row["parts"])),
        next_part=row["next_part"],
        attempts=row["attempts"],
        possible_duplicate=bool(row["possible_duplicate"]),
    )


class OutboxRepository:
    """Reads and writes `deliveries`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(
        self,
        kind: str,
        recipients: Sequence[Recipient],
        parts_for: dict[str, list[Part]],
        not_before: str,
        broadcast_id: int | None = None,
        ref_id: int | None = None,
    ) -> int:
        """Write one row per recipient (call inside a transaction); `parts_for` maps a language
        to that language's parts, "" to the parts for groups and anyone else."""
        encoded = {lang: json.dumps([p.to_json() for p in parts]) for lang, parts in parts_for.items()}
        rows = [
            (
                broadcast_id,
                kind,
                r.chat_id,
                r.member_id,
                r.group_id,
                r.thread_id,
                encoded.get(r.language, encoded[""]),
                not_before,
                ref_id,
            )
            for r in recipients
        ]
        await self.db.executemany(
            "INSERT INTO deliveries (broadcast_id, kind, chat_id, member_id, group_id, thread_id, parts, "
            "not_before, ref_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return len(rows)

    async def due(self, now: str, limit: int, exclude: Sequence[int] = ()) -> list[Delivery]:
        """Pending rows whose time has come, oldest first (skipping rows already in hand)."""
        skip = f"AND id NOT IN ({', '.join('?' for _ in exclude)})" if exclude else ""
        rows = await self.db.fetchall(
            f"SELECT * FROM deliveries WHERE status = 'pending' AND not_before <= ? {skip} "
            "ORDER BY not_before, id LIMIT ?",
            (now, *exclude, limit),
        )
        found = []
        for row in rows:
            try:
                found.append(_delivery(row))
            except (ValueError, KeyError, TypeError) as exc:  # a damaged row must not block the rest
                await self.finish(row["id"], "failed", f"unreadable row: {exc}")
        return found

    async def group_messages(self, kind: str, ref_id: int) -> list[tuple[int, int]]:
        """(chat id, message id) of the delivered group copies of a message about `ref_id`."""
        rows = await self.db.fetchall(
            "SELECT chat_id, message_id FROM deliveries WHERE kind = ? AND ref_id = ? "
            "AND group_id IS NOT NULL AND status = 'sent' AND message_id IS NOT NULL ORDER BY id",
            (kind, ref_id),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def next_due(self) -> str | None:
        """When the earliest pending row becomes due."""
        value = await self.db.fetchval("SELECT min(not_before) FROM deliveries WHERE status = 'pending'")
        return str(value) if value else None

    async def start_attempt(self, delivery_id: int) -> bool:
        """Mark a pending row as being sent (committed before the request goes out)."""
        async with self.db.transaction():
            return (
                await self.db.execute(
                    "UPDATE deliveries SET status = 'sending', attempts = attempts + 1 "
                    "WHERE id = ? AND status = 'pending'",
                    (delivery_id,),
                )
                == 1
            )

    async def part_sent(
        self, delivery_id: int, next_part: int, done: bool, now: str, message_id: int | None = None
    ) -> None:
        """Record a part as sent; the row is sent when it was the last part (`message_id`: its id)."""
        async with self.db.transaction():
            await self.db.execute(
                "UPDATE deliveries SET next_part = ?, status = CASE WHEN ? THEN 'sent' ELSE status END, "
                "sent_at = CASE WHEN ? THEN ? ELSE sent_at END, last_error = NULL, "
                "message_id = coalesce(?, message_id) WHERE id = ?",
                (next_part, int(done), int(done), now, message_id, delivery_id),
            )

    async def finish(self, delivery_id: int, status: str, error: str) -> None:
        """Close a row for good (unreachable, failed)."""
        async with self.db.transaction():
            await self.db.execute(
                "UPDATE deliveries SET status = ?, last_error = ? WHERE id = ?",
                (status, error[:500], delivery_id),
            )

    async def retry(
        self, delivery_id: int, not_before: str, error: str, *, uncount: bool = False, duplicate: bool = False
    ) -> None:
        """Back to pending for a later try (`uncount`: the attempt did not count, e.g. a 429)."""
        async with self.db.transaction():
            await self.db.execute(
                f"UPDATE deliveries SET status = {_REQUEUED}, not_before = ?, last_error = ?, "
                "attempts = attempts - ?, possible_duplicate = max(possible_duplicate, ?) "
                "WHERE id = ? AND status IN ('pending', 'sending')",
                (not_before, error[:500], int(uncount), int(duplicate), delivery_id),
            )

    async def drop_thread(self, chat_id: int, thread_id: int) -> None:
        """The forum topic is gone: rows not yet sent to it go to the group's General topic."""
        async with self.db.transaction():
            await self.db.execute(
                "UPDATE deliveries SET thread_id = NULL WHERE chat_id = ? AND thread_id = ? "
                "AND status IN ('pending', 'sending')",
                (chat_id, thread_id),
            )

    async def retarget(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group moved: every unsent row for it goes to the new id."""
        async with self.db.transaction():
            await self.db.execute(
                "UPDATE deliveries SET chat_id = ? WHERE chat_id = ? AND status IN ('pending', 'sending')",
                (new_chat_id, old_chat_id),
            )

    async def recover_in_flight(self, now: str) -> tuple[int, int]:
        """After a crash: rows caught in `sending` are retried once as possible duplicates;
        those that already were one fail. Returns (retried, failed)."""
        async with self.db.transaction():
            failed = await self.db.execute(
                "UPDATE deliveries SET status = 'failed', last_error = 'outcome unknown twice' "
                "WHERE status = 'sending' AND possible_duplicate = 1"
            )
            retried = await self.db.execute(
                f"UPDATE deliveries SET status = {_REQUEUED}, possible_duplicate = 1, not_before = ?, "
                "last_error = 'interrupted: outcome unknown' WHERE status = 'sending'",
                (now,),
            )
        return retried, failed

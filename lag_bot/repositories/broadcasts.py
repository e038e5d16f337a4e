"""Broadcasts: what was sent to whom, when, and how it went."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from lag_bot.db import Database


@dataclass(frozen=True)
class BroadcastRow:
    """One stored broadcast."""

    id: int
    created_at: str
    body_html: str
    media_kind: str | None
    media_file_id: str | None
    audience: str
    read_button: bool
    scheduled_at: str | None
    status: str
    progress_chat_id: int | None
    progress_message_id: int | None


def _row(r: aiosqlite.Row) -> BroadcastRow:
    return BroadcastRow(
        r["id"],
        r["created_at"],
        r["body_html"],
        r["media_kind"],
        r["media_file_id"],
        r["audience"],
        bool(r["read_button"]),
        r["scheduled_at"],
        r["status"],
        r["progress_chat_id"],
        r["progress_message_id"],
    )


class BroadcastRepository:
    """Reads and writes `broadcasts`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        created_by: int | None,
        now: str,
        body_html: str,
        media: tuple[str, str] | None,
        audience: str,
        read_button: bool,
        scheduled_at: str | None,
    ) -> int:
        """Store a broadcast (inside the transaction that also writes its deliveries)."""
        return await self.db.execute(
            "INSERT INTO broadcasts (created_by, created_at, body_html, media_kind, media_file_id, audience, "
            "read_button, scheduled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                created_by,
                now,
                body_html,
                media[0] if media else None,
                media[1] if media else None,
                audience,
                int(read_button),
                scheduled_at,
            ),
        )

    async def get(self, broadcast_id: int) -> BroadcastRow | None:
        """One broadcast."""
        row = await self.db.fetchone("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _row(row) if row else None

    async def recent(self, limit: int) -> list[BroadcastRow]:
        """The newest broadcasts first."""
        rows = await self.db.fetchall("SELECT * FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,))
        return [_row(r) for r in rows]

    async def unfinished(self) -> list[BroadcastRow]:
        """Broadcasts still queued or sending."""
        rows = await self.db.fetchall(
            "SELECT * FROM broadcasts WHERE status IN ('queued', 'sending') ORDER BY id"
        )
        return [_row(r) for r in rows]

    async def set_progress_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        """Remember the message that shows the progress."""
        async with self.db.transaction():
            await self.db.execute(
                "UPDATE broadcasts SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
                (chat_id, message_id, broadcast_id),
            )

    async def finish_if_idle(self, broadcast_id: int, now: str) -> bool:
        """Mark a running broadcast done if none of its rows is pending or in flight (one statement,
        so a stop or a re-send committed meanwhile is never overwritten)."""
        async with self.db.transaction():
            return (
                await self.db.execute(
                    "UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ? "
                    "AND status IN ('queued', 'sending') AND NOT EXISTS (SELECT 1 FROM deliveries "
                    "WHERE broadcast_id = ? AND status IN ('pending', 'sending'))",
                    (now, broadcast_id, broadcast_id),
                )
                == 1
            )

    async def stop_if_running(self, broadcast_id: int, now: str) -> bool:
        """Mark a queued or sending broadcast stopped; False if it had finished."""
        async with self.db.transaction():
            return (
                await self.db.execute(
                    "UPDATE broadcasts SET status = 'stopped', finished_at = ? WHERE id = ? "
                    "AND status IN ('queued', 'sending')",
                    (now, broadcast_id),
                )
                == 1
            )

    async def move(self, broadcast_id: int, old: str, new: str) -> bool:
        """Move a broadcast from `old` to `new`; False if it is not in `old` (any more). Call inside
        a transaction: it decides, so a stop or a second press meanwhile is never overwritten."""
        return (
            await self.db.execute(
                "UPDATE broadcasts SET status = ? WHERE id = ? AND status = ?", (new, broadcast_id, old)
            )
            == 1
        )

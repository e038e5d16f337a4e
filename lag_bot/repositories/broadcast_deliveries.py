"""A broadcast's rows in the outbox (`deliveries`), read and changed per broadcast: stop the rest,
count per status, the "Gelesen ✓" presses, the CSV's rows and the unread for a re-send. The
outbox itself (enqueue, the sender's attempts) is `lag_bot/repositories/outbox.py`."""

from __future__ import annotations

import aiosqlite

from lag_bot.db import Database


class BroadcastDeliveries:
    """Reads and writes the `deliveries` rows of one broadcast at a time."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def stop(self, broadcast_id: int) -> int:
        """Stop the rows of a broadcast that were not sent yet."""
        async with self.db.transaction():
            return await self.db.execute(
                "UPDATE deliveries SET status = 'stopped' WHERE broadcast_id = ? AND status = 'pending'",
                (broadcast_id,),
            )

    async def counts(self, broadcast_id: int) -> dict[str, int]:
        """Rows per status of one broadcast, plus `read` and `duplicates`."""
        # Counted per recipient: after a re-send to the unread, each chat's newest row tells its
        # status, and a chat counts as read if any of its copies was confirmed.
        rows = await self.db.fetchall(
            "WITH latest AS (SELECT max(id) AS id FROM deliveries WHERE broadcast_id = :b GROUP BY chat_id), "
            "readers AS (SELECT DISTINCT chat_id FROM deliveries WHERE broadcast_id = :b "
            "  AND read_at IS NOT NULL) "
            "SELECT d.status, count(*), sum(d.chat_id IN (SELECT chat_id FROM readers)), "
            "sum(d.possible_duplicate) FROM deliveries d JOIN latest ON latest.id = d.id GROUP BY d.status",
            {"b": broadcast_id},
        )
        counts = {str(r[0]): int(r[1]) for r in rows}
        counts["read"] = sum(int(r[2] or 0) for r in rows)
        counts["duplicates"] = sum(int(r[3] or 0) for r in rows)
        return counts

    async def mark_read(self, broadcast_id: int, chat_id: int, now: str) -> bool:
        """The recipient in `chat_id` confirmed reading; False if they had no copy (or already did)."""
        async with self.db.transaction():
            return (
                await self.db.execute(
                    "UPDATE deliveries SET read_at = ? WHERE broadcast_id = ? AND chat_id = ? "
                    "AND member_id IS NOT NULL AND read_at IS NULL AND status = 'sent' "
                    "AND broadcast_id IN (SELECT id FROM broadcasts WHERE read_button = 1)",
                    (now, broadcast_id, chat_id),
                )
                > 0
            )

    async def per_recipient(self, broadcast_id: int) -> list[aiosqlite.Row]:
        """Status of every recipient, for the CSV report."""
        return await self.db.fetchall(
            "SELECT d.id, d.status, d.sent_at, d.read_at, d.possible_duplicate, d.last_error, "
            "m.display_name AS member, c.title AS grp FROM deliveries d "
            "LEFT JOIN members m ON m.id = d.member_id LEFT JOIN chats c ON c.id = d.group_id "
            "WHERE d.id IN (SELECT max(id) FROM deliveries WHERE broadcast_id = ? GROUP BY chat_id) "
            "ORDER BY d.id",
            (broadcast_id,),
        )

    async def unread_recipients(self, broadcast_id: int) -> list[aiosqlite.Row]:
        """Members who got the broadcast but did not confirm it."""
        return await self.db.fetchall(
            "SELECT DISTINCT d.member_id, d.chat_id, m.language FROM deliveries d JOIN members m "
            "ON m.id = d.member_id WHERE d.broadcast_id = ? AND d.status = 'sent' AND d.read_at IS NULL "
            "AND d.chat_id NOT IN (SELECT chat_id FROM deliveries WHERE broadcast_id = ? "
            "  AND read_at IS NOT NULL) "
            "AND d.chat_id NOT IN (SELECT chat_id FROM deliveries WHERE broadcast_id = ? "
            "  AND status IN ('pending', 'sending'))",
            (broadcast_id, broadcast_id, broadcast_id),
        )

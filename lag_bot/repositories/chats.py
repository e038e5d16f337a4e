"""The groups the bot is in and what they are linked to."""

from __future__ import annotations

import aiosqlite

from lag_bot.db import Database
from lag_bot.models import GroupChat

_COLUMNS = "id, chat_id, title, kind, is_forum, active, link_kind, territory_id, faction_id, thread_id"


def _chat(row: aiosqlite.Row) -> GroupChat:
    return GroupChat(
        row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5]), row[6], row[7], row[8], row[9]
    )


class ChatRepository:
    """Reads and writes `chats`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, chat_id: int) -> GroupChat | None:
        """The group with this Telegram chat id, if known."""
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM chats WHERE chat_id = ?", (chat_id,))
        return _chat(row) if row else None

    async def joined(self, chat_id: int, title: str, kind: str, is_forum: bool, now: str) -> None:
        """Record that the bot is (again) in a group."""
        await self.db.execute(
            "INSERT INTO chats (chat_id, title, kind, is_forum, active, added_at, updated_at) "
            "VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET title = excluded.title, "
            "kind = excluded.kind, is_forum = excluded.is_forum, active = 1, "
            "updated_at = excluded.updated_at",
            (chat_id, title, kind, int(is_forum), now, now),
        )

    async def left(self, chat_id: int, now: str) -> None:
        """Record that the bot was removed from a group."""
        await self.db.execute("UPDATE chats SET active = 0, updated_at = ? WHERE chat_id = ?", (now, chat_id))

    async def migrated(self, old_id: int, new_id: int, now: str) -> bool:
        """Move a group's record to its new supergroup id; False if the old id was unknown."""
        if await self.get(old_id) is None:
            return False  # the other of Telegram's two service messages already moved it
        if await self.get(new_id) is not None:
            # Telegram's migrate_from message may have arrived first and created the new chat.
            await self.db.execute("DELETE FROM chats WHERE chat_id = ? AND link_kind IS NULL", (new_id,))
        return (
            await self.db.execute(
                "UPDATE chats SET chat_id = ?, kind = 'supergroup', updated_at = ? WHERE chat_id = ?",
                (new_id, now, old_id),
            )
            == 1
        )

    async def forget_thread(self, chat_id: int, thread_id: int, now: str) -> bool:
        """The topic the group was linked in was deleted: from now on, its General topic."""
        return (
            await self.db.execute(
                "UPDATE chats SET thread_id = NULL, updated_at = ? WHERE chat_id = ? AND thread_id = ?",
                (now, chat_id, thread_id),
            )
            == 1
        )

    async def link(
        self,
        chat_id: int,
        link_kind: str,
        territory_id: int | None,
        faction_id: int | None,
        member_id: int | None,
        now: str,
        thread_id: int | None = None,
    ) -> None:
        """Link a group (and the forum topic it was linked in) to the LAG, a district or a faction."""
        await self.db.execute(
            "UPDATE chats SET link_kind = ?, territory_id = ?, faction_id = ?, linked_by = ?, "
            "updated_at = ?, thread_id = ? WHERE chat_id = ?",
            (link_kind, territory_id, faction_id, member_id, now, thread_id, chat_id),
        )

    async def active(self) -> list[GroupChat]:
        """The groups the bot is in."""
        rows = await self.db.fetchall(f"SELECT {_COLUMNS} FROM chats WHERE active = 1 ORDER BY title")
        return [_chat(r) for r in rows]

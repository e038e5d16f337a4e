"""Who the bot has seen in which group, the groups' gate settings, and removals waiting for a
coordinator (`group_members`, `group_removals`, the gate columns of `chats`)."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from lag_bot.db import Database


@dataclass(frozen=True)
class Gate:
    """A group's gate: admit members only, remove leavers automatically, its join-request link."""

    group_id: int
    chat_id: int
    title: str
    link_kind: str | None
    territory_id: int | None
    faction_id: int | None
    members_only: bool
    auto_remove: bool
    join_link: str | None
    rights_lost: bool


@dataclass(frozen=True)
class Removal:
    """Someone to remove from groups once a coordinator confirms."""

    id: int
    telegram_id: int
    reason: str
    chat_ids: tuple[int, ...]


_GATE = (
    "SELECT id, chat_id, title, link_kind, territory_id, faction_id, members_only, auto_remove, "
    "join_link, rights_lost FROM chats"
)


def _gate(row: aiosqlite.Row) -> Gate:
    return Gate(
        row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), bool(row[7]), row[8], bool(row[9])
    )


class GroupMemberRepository:
    """Reads and writes the groups' gate and who is in them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def gate(self, chat_id: int) -> Gate | None:
        """A group the bot is in, with its gate settings."""
        row = await self.db.fetchone(f"{_GATE} WHERE chat_id = ? AND active = 1", (chat_id,))
        return _gate(row) if row else None

    async def open_gates(self) -> list[Gate]:
        """The linked groups that admit members through a join-request link."""
        rows = await self.db.fetchall(
            f"{_GATE} WHERE active = 1 AND members_only = 1 AND join_link IS NOT NULL "
            "AND link_kind IS NOT NULL ORDER BY title"
        )
        return [_gate(r) for r in rows]

    async def set_gate(self, chat_id: int, **fields: object) -> None:
        """Change members_only, auto_remove, join_link or rights_lost of a group."""
        allowed = {"members_only", "auto_remove", "join_link", "rights_lost"}
        assert set(fields) <= allowed, fields
        sets = ", ".join(f"{name} = ?" for name in fields)
        await self.db.execute(f"UPDATE chats SET {sets} WHERE chat_id = ?", (*fields.values(), chat_id))

    async def seen(self, chat_id: int, member_id: int) -> None:
        """The member is in the group (a message, an approved request, a chat_member update)."""
        await self.db.execute(
            "INSERT OR IGNORE INTO group_members (group_id, member_id) "
            "SELECT id, ? FROM chats WHERE chat_id = ?",
            (member_id, chat_id),
        )

    async def gone(self, chat_id: int, member_id: int) -> None:
        """The member is no longer in the group."""
        await self.db.execute(
            "DELETE FROM group_members WHERE member_id = ? "
            "AND group_id = (SELECT id FROM chats WHERE chat_id = ?)",
            (member_id, chat_id),
        )

    async def groups_of(self, member_id: int) -> list[Gate]:
        """The groups (the bot is still in) where the member was last seen."""
        rows = await self.db.fetchall(
            f"{_GATE} WHERE active = 1 AND id IN (SELECT group_id FROM group_members WHERE member_id = ?) "
            "ORDER BY title",
            (member_id,),
        )
        return [_gate(r) for r in rows]

    async def forget_member(self, member_id: int) -> None:
        """Forget every group of the member (before an erasure the removal keeps the chat ids)."""
        await self.db.execute("DELETE FROM group_members WHERE member_id = ?", (member_id,))

    async def add_removal(self, telegram_id: int, reason: str, chat_ids: list[int], now: str) -> int:
        """Keep a removal until a coordinator confirms it."""
        removal_id = await self.db.execute(
            "INSERT INTO group_removals (telegram_id, reason, created_at) VALUES (?, ?, ?)",
            (telegram_id, reason, now),
        )
        await self.db.executemany(
            "INSERT OR IGNORE INTO group_removal_chats (removal_id, group_id) "
            "SELECT ?, id FROM chats WHERE chat_id = ?",
            [(removal_id, chat_id) for chat_id in chat_ids],
        )
        return removal_id

    async def removal(self, removal_id: int) -> Removal | None:
        """A removal still waiting, with the groups the bot is still in."""
        row = await self.db.fetchone(
            "SELECT id, telegram_id, reason FROM group_removals WHERE id = ?", (removal_id,)
        )
        if row is None:
            return None
        chats = await self.db.fetchall(
            "SELECT c.chat_id FROM group_removal_chats r JOIN chats c ON c.id = r.group_id "
            "WHERE r.removal_id = ? AND c.active = 1 ORDER BY c.title",
            (removal_id,),
        )
        return Removal(int(row[0]), int(row[1]), str(row[2]), tuple(int(c[0]) for c in chats))

    async def drop_removals_before(self, cutoff: str) -> int:
        """Forget removals nobody confirmed (a retention rule), in one transaction; how many went."""
        async with self.db.transaction():
            return await self.db.execute("DELETE FROM group_removals WHERE created_at < ?", (cutoff,))

    async def drop_removal_chat(self, removal_id: int, group_id: int) -> None:
        """One group of a removal is done."""
        await self.db.execute(
            "DELETE FROM group_removal_chats WHERE removal_id = ? AND group_id = ?", (removal_id, group_id)
        )

    async def drop_removal(self, removal_id: int) -> bool:
        """The removal is done (or moot): forget it; False if it was already gone."""
        return await self.db.execute("DELETE FROM group_removals WHERE id = ?", (removal_id,)) == 1

    async def belongs_to_faction(self, member_id: int, faction_id: int) -> bool:
        """A mandate in the faction's body, or named a contact person of the faction by a coordinator."""
        return bool(
            await self.db.fetchval(
                "SELECT EXISTS (SELECT 1 FROM mandates x JOIN factions f ON f.body_id = x.body_id "
                "WHERE x.member_id = ? AND f.id = ?) OR EXISTS (SELECT 1 FROM faction_contacts "
                "WHERE member_id = ? AND faction_id = ?)",
                (member_id, faction_id, member_id, faction_id),
            )
        )

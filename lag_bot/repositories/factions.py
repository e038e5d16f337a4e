"""Factions as the question relay sees them: settings, contact people, who belongs, who can be reached.

The `factions` rows themselves are created by `TerritoryRepository.faction_for_body` (linking a
group, or a coordinator in `/fraktionen`).
"""

from __future__ import annotations

import aiosqlite

from lag_bot.db import Database
from lag_bot.models import Level
from lag_bot.questions.models import Contact, Faction

_SELECT = (
    "SELECT f.id, f.body_id, f.name, b.level, b.territory_id, f.deadline_days, f.answer_as_faction "
    "FROM factions f JOIN bodies b ON b.id = f.body_id"
)
# A faction can be reached through a linked group the bot is in, or a contact person it can write to.
_REACHABLE = (
    "(EXISTS (SELECT 1 FROM chats c WHERE c.faction_id = f.id AND c.active = 1 AND c.link_kind = 'faction') "
    "OR EXISTS (SELECT 1 FROM faction_contacts k JOIN members m ON m.id = k.member_id "
    "WHERE k.faction_id = f.id AND m.status = 'active' AND m.unreachable_at IS NULL))"
)


def _faction(row: aiosqlite.Row) -> Faction:
    return Faction(row[0], row[1], row[2], Level(row[3]), row[4], row[5], bool(row[6]))


class FactionRepository:
    """Reads and writes the relay columns of `factions` and `faction_contacts`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, faction_id: int) -> Faction | None:
        """One faction."""
        row = await self.db.fetchone(f"{_SELECT} WHERE f.id = ?", (faction_id,))
        return _faction(row) if row else None

    async def of_body(self, body_id: int) -> Faction | None:
        """The faction in a body, if there is one."""
        row = await self.db.fetchone(f"{_SELECT} WHERE f.body_id = ?", (body_id,))
        return _faction(row) if row else None

    async def all(self) -> list[Faction]:
        """Every faction, by name."""
        return [_faction(r) for r in await self.db.fetchall(f"{_SELECT} ORDER BY f.name, f.id")]

    async def reachable_ids(self) -> set[int]:
        """The factions a question can reach (a linked group, or a reachable contact person)."""
        rows = await self.db.fetchall(f"SELECT f.id FROM factions f WHERE {_REACHABLE}")
        return {int(r[0]) for r in rows}

    async def is_reachable(self, faction_id: int) -> bool:
        """Whether one faction can be reached."""
        return bool(
            await self.db.fetchval(
                f"SELECT count(*) FROM factions f WHERE f.id = ? AND {_REACHABLE}", (faction_id,)
            )
        )

    async def of_member(self, member_id: int) -> set[int]:
        """The factions a coordinator named this member a contact person of. (A mandate in the
        profile does not count: members enter it themselves, nobody confirms it.)"""
        rows = await self.db.fetchall(
            "SELECT DISTINCT faction_id FROM faction_contacts WHERE member_id = ?", (member_id,)
        )
        return {int(r[0]) for r in rows}

    async def set_deadline_days(self, faction_id: int, days: int) -> None:
        """Days from a question to its deadline."""
        await self.db.execute("UPDATE factions SET deadline_days = ? WHERE id = ?", (days, faction_id))

    async def set_answer_as_faction(self, faction_id: int, on: bool) -> None:
        """Whether answers name only the faction, not the person who wrote them."""
        await self.db.execute("UPDATE factions SET answer_as_faction = ? WHERE id = ?", (int(on), faction_id))

    async def contacts(self, faction_id: int) -> list[Contact]:
        """The faction's contact people (active members only), by topic and name."""
        rows = await self.db.fetchall(
            "SELECT k.id, k.faction_id, k.member_id, k.topic_id, coalesce(m.display_name, '?') "
            "FROM faction_contacts k JOIN members m ON m.id = k.member_id "
            "WHERE k.faction_id = ? AND m.status = 'active' "
            "ORDER BY k.topic_id IS NOT NULL, k.topic_id, m.display_name COLLATE NOCASE, k.id",
            (faction_id,),
        )
        return [Contact(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    async def add_contact(self, faction_id: int, member_id: int, topic_id: int | None) -> bool:
        """Name a contact person for a topic (None: every topic); False if they already are."""
        before = await self.db.fetchval(
            "SELECT count(*) FROM faction_contacts WHERE faction_id = ? AND member_id = ? "
            "AND coalesce(topic_id, 0) = coalesce(?, 0)",
            (faction_id, member_id, topic_id),
        )
        if before:
            return False
        await self.db.execute(
            "INSERT INTO faction_contacts (faction_id, member_id, topic_id) VALUES (?, ?, ?)",
            (faction_id, member_id, topic_id),
        )
        return True

    async def remove_contact(self, faction_id: int, contact_id: int) -> bool:
        """Remove one contact entry of the faction."""
        return (
            await self.db.execute(
                "DELETE FROM faction_contacts WHERE id = ? AND faction_id = ?", (contact_id, faction_id)
            )
            == 1
        )

    async def contact_chats(self, faction_id: int) -> list[tuple[int, int, str, int | None]]:
        """(member id, Telegram id, language, topic id) of the contact people the bot can write to."""
        rows = await self.db.fetchall(
            "SELECT m.id, m.telegram_id, m.language, k.topic_id FROM faction_contacts k "
            "JOIN members m ON m.id = k.member_id WHERE k.faction_id = ? AND m.status = 'active' "
            "AND m.unreachable_at IS NULL ORDER BY k.id",
            (faction_id,),
        )
        return [(int(r[0]), int(r[1]), str(r[2]), r[3]) for r in rows]

    async def mandate_holders(self, faction_id: int) -> list[tuple[int, str]]:
        """(member id, name) of the active members with a mandate in the faction's body."""
        rows = await self.db.fetchall(
            "SELECT m.id, coalesce(m.display_name, '?') FROM members m JOIN mandates x ON x.member_id = m.id "
            "JOIN factions f ON f.body_id = x.body_id WHERE f.id = ? AND m.status = 'active' "
            "ORDER BY m.display_name COLLATE NOCASE, m.id",
            (faction_id,),
        )
        return [(int(r[0]), str(r[1])) for r in rows]

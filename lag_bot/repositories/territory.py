"""Territories, bodies, topics and factions: the working group's map, loaded from a seed file."""

from __future__ import annotations

import aiosqlite

from lag_bot.db import Database
from lag_bot.models import Body, Level, Territory, Topic


def _territory(row: aiosqlite.Row) -> Territory:
    return Territory(row["id"], row["code"], row["name"], row["kind"], row["parent_id"])


def _body(row: aiosqlite.Row) -> Body:
    return Body(row["id"], row["code"], row["name"], Level(row["level"]), row["territory_id"])


class TerritoryRepository:
    """Reads and writes `territories`, `bodies`, `topics` and `factions`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def is_empty(self) -> bool:
        """Whether no territory has been loaded yet."""
        return bool(await self.db.fetchval("SELECT count(*) FROM territories") == 0)

    async def districts(self) -> list[Territory]:
        """Landkreise and kreisfreie Städte, by name."""
        rows = await self.db.fetchall(
            "SELECT * FROM territories WHERE kind IN ('landkreis', 'kreisfreie_stadt') ORDER BY kind, name"
        )
        return [_territory(r) for r in rows]

    async def children(self, parent_id: int) -> list[Territory]:
        """The municipalities of a district, by name."""
        rows = await self.db.fetchall(
            "SELECT * FROM territories WHERE parent_id = ? ORDER BY name", (parent_id,)
        )
        return [_territory(r) for r in rows]

    async def territory(self, territory_id: int) -> Territory | None:
        """One territory by id."""
        row = await self.db.fetchone("SELECT * FROM territories WHERE id = ?", (territory_id,))
        return _territory(row) if row else None

    async def state(self) -> Territory | None:
        """The state (Land) itself."""
        row = await self.db.fetchone("SELECT * FROM territories WHERE kind = 'land' LIMIT 1")
        return _territory(row) if row else None

    async def body(self, body_id: int) -> Body | None:
        """One body by id."""
        row = await self.db.fetchone("SELECT * FROM bodies WHERE id = ?", (body_id,))
        return _body(row) if row else None

    async def bodies_of(self, territory_id: int, level: Level | None = None) -> list[Body]:
        """The bodies seated in a territory (optionally of one level)."""
        sql = "SELECT * FROM bodies WHERE territory_id = ?"
        params: list[object] = [territory_id]
        if level is not None:
            sql += " AND level = ?"
            params.append(level.value)
        rows = await self.db.fetchall(sql + " ORDER BY name", params)
        return [_body(r) for r in rows]

    async def bodies(self) -> list[Body]:
        """All bodies."""
        return [_body(r) for r in await self.db.fetchall("SELECT * FROM bodies ORDER BY name")]

    async def topics(self) -> list[Topic]:
        """All topics, in seed order."""
        rows = await self.db.fetchall("SELECT id, code, name_de, name_en FROM topics ORDER BY id")
        return [Topic(r[0], r[1], r[2], r[3]) for r in rows]

    async def upsert_territory(self, code: str, name: str, kind: str, parent_id: int | None) -> int:
        """Insert or update a territory by code; return its id."""
        await self.db.execute(
            "INSERT INTO territories (code, name, kind, parent_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
            "parent_id = excluded.parent_id",
            (code, name, kind, parent_id),
        )
        return int(await self.db.fetchval("SELECT id FROM territories WHERE code = ?", (code,)))

    async def upsert_body(self, code: str, name: str, level: str, territory_id: int) -> None:
        """Insert or update a body by code."""
        await self.db.execute(
            "INSERT INTO bodies (code, name, level, territory_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level, "
            "territory_id = excluded.territory_id",
            (code, name, level, territory_id),
        )

    async def upsert_topic(self, code: str, name_de: str, name_en: str) -> None:
        """Insert or update a topic by code."""
        await self.db.execute(
            "INSERT INTO topics (code, name_de, name_en) VALUES (?, ?, ?) "
            "ON CONFLICT(code) DO UPDATE SET name_de = excluded.name_de, name_en = excluded.name_en",
            (code, name_de, name_en),
        )

    async def delete_unlisted(self, table: str, codes: set[str]) -> list[str]:
        """Delete rows whose code is not in `codes` and nothing refers to; return the kept ones."""
        if table not in ("bodies", "territories", "topics"):
            raise ValueError(table)
        kept: list[str] = []
        for row in await self.db.fetchall(f"SELECT code FROM {table}"):
            if row[0] in codes:
                continue
            # A row still referred to by a member, mandate or group is kept; say so to the caller.
            try:
                await self.db.execute(f"DELETE FROM {table} WHERE code = ?", (row[0],))
            except aiosqlite.IntegrityError:
                kept.append(row[0])
        return kept

    async def faction_for_body(self, body_id: int, name: str) -> int:
        """The faction in a body, created on first use; return its id."""
        await self.db.execute("INSERT OR IGNORE INTO factions (body_id, name) VALUES (?, ?)", (body_id, name))
        return int(await self.db.fetchval("SELECT id FROM factions WHERE body_id = ?", (body_id,)))

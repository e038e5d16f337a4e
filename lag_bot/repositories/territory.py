"""Territories, bodies, topics and factions: the working group's map, loaded from a seed file."""

from __future__ import annotations

import time
from dataclasses import dataclass

import aiosqlite

from lag_bot.db import Database
from lag_bot.models import Body, Level, Territory, Topic


def _territory(row: aiosqlite.Row) -> Territory:
    return Territory(row["id"], row["code"], row["name"], row["kind"], row["parent_id"])


def _body(row: aiosqlite.Row) -> Body:
    return Body(row["id"], row["code"], row["name"], Level(row["level"]), row["territory_id"])


@dataclass(frozen=True)
class _Snapshot:
    """All territories, bodies and topics, sorted as the lists show them."""

    territories: tuple[Territory, ...]
    bodies: tuple[Body, ...]
    topics: tuple[Topic, ...]
    loaded_at: float


class TerritoryRepository:
    """Reads and writes `territories`, `bodies`, `topics` and `factions`.

    The map changes only through `lag-bot load-territory`, so reads come from a snapshot taken
    at most `CACHE_SECONDS` ago; every handler reads it, and three queries per minute are
    cheaper than several per update.
    """

    CACHE_SECONDS = 60.0

    def __init__(self, db: Database) -> None:
        self.db = db
        self._snapshot: _Snapshot | None = None

    async def _map(self) -> _Snapshot:
        snap = self._snapshot
        if snap is None or time.monotonic() - snap.loaded_at > self.CACHE_SECONDS:
            territories = [_territory(r) for r in await self.db.fetchall("SELECT * FROM territories")]
            bodies = [_body(r) for r in await self.db.fetchall("SELECT * FROM bodies")]
            topics = await self.db.fetchall("SELECT id, code, name_de, name_en FROM topics ORDER BY id")
            snap = _Snapshot(
                tuple(sorted(territories, key=lambda t: (t.kind, t.name))),
                tuple(sorted(bodies, key=lambda b: b.name)),
                tuple(Topic(r[0], r[1], r[2], r[3]) for r in topics),
                time.monotonic(),
            )
            self._snapshot = snap
        return snap

    def forget(self) -> None:
        """Drop the snapshot (after a change to the map)."""
        self._snapshot = None

    async def is_empty(self) -> bool:
        """Whether no territory has been loaded yet."""
        return bool(await self.db.fetchval("SELECT count(*) FROM territories") == 0)

    async def districts(self) -> list[Territory]:
        """Landkreise and kreisfreie Städte, by kind and name."""
        return [t for t in (await self._map()).territories if t.kind in ("landkreis", "kreisfreie_stadt")]

    async def children(self, parent_id: int) -> list[Territory]:
        """The municipalities of a district, by name."""
        found = [t for t in (await self._map()).territories if t.parent_id == parent_id]
        return sorted(found, key=lambda t: t.name)

    async def territory(self, territory_id: int) -> Territory | None:
        """One territory by id."""
        return next((t for t in (await self._map()).territories if t.id == territory_id), None)

    async def state(self) -> Territory | None:
        """The state (Land) itself."""
        return next((t for t in (await self._map()).territories if t.kind == "land"), None)

    async def body(self, body_id: int) -> Body | None:
        """One body by id."""
        return next((b for b in (await self._map()).bodies if b.id == body_id), None)

    async def bodies_of(self, territory_id: int, level: Level | None = None) -> list[Body]:
        """The bodies seated in a territory (optionally of one level), by name."""
        return [
            b
            for b in (await self._map()).bodies
            if b.territory_id == territory_id and (level is None or b.level is level)
        ]

    async def bodies(self) -> list[Body]:
        """All bodies, by name."""
        return list((await self._map()).bodies)

    async def topics(self) -> list[Topic]:
        """All topics, in seed order."""
        return list((await self._map()).topics)

    async def upsert_territory(self, code: str, name: str, kind: str, parent_id: int | None) -> int:
        """Insert or update a territory by code; return its id."""
        self.forget()
        await self.db.execute(
            "INSERT INTO territories (code, name, kind, parent_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
            "parent_id = excluded.parent_id",
            (code, name, kind, parent_id),
        )
        return int(await self.db.fetchval("SELECT id FROM territories WHERE code = ?", (code,)))

    async def upsert_body(self, code: str, name: str, level: str, territory_id: int) -> None:
        """Insert or update a body by code."""
        self.forget()
        await self.db.execute(
            "INSERT INTO bodies (code, name, level, territory_id) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(code) DO UPDATE SET name = excluded.name, level = excluded.level, "
            "territory_id = excluded.territory_id",
            (code, name, level, territory_id),
        )

    async def upsert_topic(self, code: str, name_de: str, name_en: str) -> None:
        """Insert or update a topic by code."""
        self.forget()
        await self.db.execute(
            "INSERT INTO topics (code, name_de, name_en) VALUES (?, ?, ?) "
            "ON CONFLICT(code) DO UPDATE SET name_de = excluded.name_de, name_en = excluded.name_en",
            (code, name_de, name_en),
        )

    async def delete_unlisted(self, table: str, codes: set[str]) -> list[str]:
        """Delete rows whose code is not in `codes` and nothing refers to; return the kept ones."""
        self.forget()
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

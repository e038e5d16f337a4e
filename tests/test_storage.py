"""The database: pragmas, migrations (in order, once, rolled back on failure), seed, backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from lag_bot.db import Database
from lag_bot.membership.territory_seed import SeedError, default_seed, load_seed
from lag_bot.migrate import Migration, MigrationError, apply_migrations, available_migrations
from lag_bot.operations.backup import backup_database
from lag_bot.repositories.territory import TerritoryRepository


async def test_pragmas_and_migrations(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.sqlite3")
    try:
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        assert await db.fetchval("PRAGMA busy_timeout") == 5000
        applied = await apply_migrations(db)
        assert applied == [m.name for m in available_migrations()]
        assert await db.fetchval("PRAGMA user_version") == len(applied)
        assert await apply_migrations(db) == []  # a second run applies nothing
    finally:
        await db.close()


async def test_failing_migration_rolls_back_whole(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "b.sqlite3")
    try:
        good = Migration(1, "0001_a.sql", "CREATE TABLE a (x INTEGER);")
        bad = Migration(2, "0002_b.sql", "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);")
        await apply_migrations(db, [good])
        with pytest.raises(MigrationError, match=r"0002_b\.sql"):
            await apply_migrations(db, [good, bad])
        assert await db.fetchval("PRAGMA user_version") == 1
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "a" in tables and "b" not in tables
    finally:
        await db.close()


async def test_seed_loads_and_reloads(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "c.sqlite3")
    try:
        await apply_migrations(db)
        seed = default_seed()
        report = await load_seed(db, seed)
        repo = TerritoryRepository(db)
        districts = await repo.districts()
        assert len([d for d in districts if d.kind == "landkreis"]) == 6
        assert len([d for d in districts if d.kind == "kreisfreie_stadt"]) == 2
        assert report.topics == len(seed["topics"])
        # A replacement without one municipality removes it; loading twice changes nothing else.
        seed["districts"][0]["municipalities"].pop()
        again = await load_seed(db, seed)
        assert again.territories == report.territories - 1
        assert again.kept == ()
        with pytest.raises(SeedError):
            await load_seed(db, {"state": {"code": "x"}})
    finally:
        await db.close()


async def test_backup_is_a_consistent_copy(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite3"
    db = await Database.open(source)
    try:
        await apply_migrations(db)
        await load_seed(db, default_seed())
        target = tmp_path / "copy" / "backup.sqlite3"
        size = backup_database(source, target)
        assert size > 0
        copy = sqlite3.connect(target)
        try:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            live = await db.fetchval("SELECT count(*) FROM territories")
            assert copy.execute("SELECT count(*) FROM territories").fetchone()[0] == live
        finally:
            copy.close()
    finally:
        await db.close()


async def test_rebuilding_the_reminders_keeps_them_and_their_acknowledgements(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "rebuild.sqlite3")
    try:
        every = available_migrations()
        await apply_migrations(db, [m for m in every if m.number < 7])
        now = "2026-11-21T09:00:00+00:00"
        async with db.transaction():
            member = await db.execute(
                "INSERT INTO members (telegram_id, language, status, role, created_at, status_changed_at) "
                "VALUES (1, 'de', 'active', 'member', ?, ?)",
                (now, now),
            )
            reminder = await db.execute(
                "INSERT INTO reminders (target_kind, member_id, body, tz, first_at, next_due, created_at, "
                "ack_every_min, ack_due) VALUES ('member', ?, 'Akten', 'Europe/Berlin', ?, ?, ?, 15, ?)",
                (member, now, now, now, now),
            )
            await db.execute(
                "INSERT INTO reminder_acks (reminder_id, occurrence, member_id, acked_at) "
                "VALUES (?, ?, ?, ?)",
                (reminder, now, member, now),
            )
        assert await apply_migrations(db) == [m.name for m in every if m.number >= 7]
        kept = await db.fetchone("SELECT body, ack_every_min, ack_due, ref_id FROM reminders")
        assert kept is not None and tuple(kept) == ("Akten", 15, now, None)
        assert await db.fetchval("SELECT count(*) FROM reminder_acks") == 1
        assert await db.fetchval("PRAGMA foreign_key_check") is None
    finally:
        await db.close()

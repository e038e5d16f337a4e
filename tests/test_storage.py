"""The database: pragmas, migrations (in order, once, rolled back on failure), seed, backup."""

from __future__ import annotations

import asyncio
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
        async with db.transaction():  # inside a transaction: the writer's connection
            assert await db.fetchval("PRAGMA busy_timeout") == 5000
            assert await db.fetchval("PRAGMA secure_delete") == 1
        # Outside: the quick reader in the loop's thread, which never waits for a lock there.
        assert await db.fetchval("PRAGMA busy_timeout") == 0
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


async def test_a_long_read_leaves_the_loop_and_a_busy_file_never_blocks_it(tmp_path: Path) -> None:
    """Reads start in the loop; one over the budget, or one that meets a lock, goes to the thread."""
    db = await Database.open(tmp_path / "q.sqlite3")
    try:
        await db.execute("CREATE TABLE n (x INTEGER)")
        await db.executemany("INSERT INTO n VALUES (?)", [(i,) for i in range(200)])
        slow = "SELECT count(*) FROM n a, n b, n c"  # 8 million rows: far over the 2 ms budget
        quick_reads: list[bool] = []
        original = db._quick_read

        def spy(sql: str, params: object) -> object:
            rows = original(sql, params)  # type: ignore[arg-type]
            quick_reads.append(rows is not None)
            return rows

        db._quick_read = spy  # type: ignore[method-assign]
        loop = asyncio.get_running_loop()
        started = loop.time()
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.001)
                ticks += 1

        ticker = asyncio.create_task(tick())
        assert await db.fetchval(slow) == 200**3
        ticker.cancel()
        assert quick_reads == [False]  # interrupted in the loop, answered by the reader thread
        assert ticks > 0  # the loop went on meanwhile
        assert await db.fetchval("SELECT count(*) FROM n") == 200
        assert quick_reads == [False, True]
        # A file the quick reader finds busy (SQLite answers at once: its busy timeout is 0):
        # the reader thread takes the read, with its own wait.
        class Busy:
            def execute(self, sql: str, params: object) -> object:
                raise sqlite3.OperationalError("database is locked")

        quick, db._quick = db._quick, Busy()  # type: ignore[assignment]
        assert await db.fetchval("SELECT count(*) FROM n") == 200
        assert quick_reads[-1] is False
        db._quick = quick
        assert loop.time() - started < 30
    finally:
        await db.close()


async def test_member_ids_are_never_given_again_and_the_rebuild_keeps_every_reference(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "ids.sqlite3")
    try:
        every = available_migrations()
        await apply_migrations(db, [m for m in every if m.number < 9])
        now = "2026-12-01T09:00:00+00:00"
        insert = (
            "INSERT INTO members (telegram_id, language, status, role, created_at, status_changed_at) "
            "VALUES (?, 'de', 'active', 'member', ?, ?)"
        )
        async with db.transaction():
            ids = [await db.execute(insert, (tg, now, now)) for tg in (11, 12, 13)]
            await db.execute(
                "INSERT INTO reminders (target_kind, member_id, body, tz, first_at, next_due, created_at) "
                "VALUES ('member', ?, 'Haushalt lesen', 'Europe/Berlin', ?, ?, ?)",
                (ids[2], now, now, now),
            )
        assert await apply_migrations(db) == [m.name for m in every if m.number >= 9]
        assert await db.fetchval("SELECT count(*) FROM reminders WHERE member_id = ?", (ids[2],)) == 1
        async with db.transaction():  # the writer's connection: foreign keys are on again
            assert await db.fetchval("PRAGMA foreign_keys") == 1
            assert await db.fetchval("SELECT count(*) FROM pragma_foreign_key_check") == 0
        # The member with the highest id is erased (the cascade still works) and a newcomer joins.
        await db.execute("DELETE FROM members WHERE id = ?", (ids[2],))
        assert await db.fetchval("SELECT count(*) FROM reminders") == 0
        newcomer = await db.execute(insert, (14, now, now))
        assert newcomer > ids[2]
    finally:
        await db.close()


async def test_a_rebuild_that_breaks_a_reference_is_rolled_back(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "fk.sqlite3")
    try:
        parent = Migration(
            1, "0001_p.sql", "CREATE TABLE p (id INTEGER PRIMARY KEY); INSERT INTO p VALUES (1);"
        )
        child = Migration(
            2,
            "0002_c.sql",
            "CREATE TABLE c (p_id INTEGER REFERENCES p(id) ON DELETE CASCADE); INSERT INTO c VALUES (1);",
        )
        broken = Migration(3, "0003_r.sql", "-- foreign_keys: off\nDELETE FROM p;")
        await apply_migrations(db, [parent, child])
        with pytest.raises(MigrationError, match=r"0003_r\.sql"):
            await apply_migrations(db, [parent, child, broken])
        assert await db.fetchval("SELECT count(*) FROM p") == 1  # nothing of it was kept
        assert await db.fetchval("SELECT count(*) FROM c") == 1
        assert await db.fetchval("PRAGMA user_version") == 2
    finally:
        await db.close()


async def test_a_checkpoint_leaves_no_deleted_text_in_the_files(tmp_path: Path) -> None:
    path = tmp_path / "erase.sqlite3"
    db = await Database.open(path)
    try:
        await db.execute("CREATE TABLE t (name TEXT)")
        await db.execute("INSERT INTO t VALUES ('Quirinia Zettelmeyer')")
        await db.execute("INSERT INTO t VALUES ('someone else')")
        await db.execute("DELETE FROM t WHERE name LIKE 'Quirinia%'")
        await db.checkpoint()
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        assert b"Zettelmeyer" not in path.read_bytes()
        assert await db.fetchval("SELECT count(*) FROM t") == 1
    finally:
        await db.close()

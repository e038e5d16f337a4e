"""Backups and restore: `lag-bot backup` / `lag-bot restore` as real commands, the daily backup with
rotation, and the lock that keeps a restore (or a second bot) off a running bot's database."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from bench.updates import seed_database
from lag_bot.db_lock import DatabaseInUse, DatabaseLock, lock_path
from lag_bot.emulator import FakeTelegram
from lag_bot.operations.backup_files import daily_backup, dated_backups
from lag_bot.operations.restore import RestoreError, restore_database
from tests.bot_process import ROOT, bot_env, query, start_bot, stop_bot, until
from tests.harness import TestClock, running_bot


def _lag_bot(fake: FakeTelegram, database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One `lag-bot` command, as an operator types it."""
    return subprocess.run(
        [sys.executable, "-m", "composition", *args],
        cwd=database.parent,
        env=bot_env(fake, database),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a comparable form."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


async def test_backup_then_restore_gives_the_same_rows(fake: FakeTelegram, tmp_path: Path) -> None:
    db = tmp_path / "lag.sqlite3"
    await seed_database(db, 30, random.Random(1))
    backup = tmp_path / "saved" / "backup.sqlite3"
    done = _lag_bot(fake, db, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    saved = _rows(db)

    with contextlib.closing(sqlite3.connect(db)) as conn:  # life goes on after the backup
        conn.execute("DELETE FROM member_topics")
        conn.execute("UPDATE members SET display_name = 'geändert'")
        conn.commit()
    changed = _rows(db)
    assert changed != saved

    done = _lag_bot(fake, db, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout and "before-restore" in done.stdout
    assert _rows(db) == saved
    assert _rows(db.with_name("lag.sqlite3.before-restore")) == changed
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


async def test_restore_is_refused_while_the_bot_runs(fake: FakeTelegram, tmp_path: Path) -> None:
    db = tmp_path / "lag.sqlite3"
    await seed_database(db, 5, random.Random(2))
    backup = tmp_path / "backup.sqlite3"
    assert _lag_bot(fake, db, "backup", str(backup)).returncode == 0
    with (tmp_path / "bot.log").open("ab") as log:
        proc = await start_bot(fake, tmp_path, log)
        try:
            await until(lambda: bool(fake.calls_of("deleteWebhook")), 30, "the bot to start polling")
            # In the event loop's thread pool: the fake in this loop must answer the second bot's getMe.
            refused = await asyncio.to_thread(_lag_bot, fake, db, "restore", str(backup))
            second = await asyncio.to_thread(_lag_bot, fake, db, "run")  # a second bot, same database
        finally:
            status = await stop_bot(proc)
    assert status == 0
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == [
        f"lag-bot: restore refused: the database {db} is in use by process {proc.pid} (lock {lock_path(db)})"
    ]
    assert not db.with_name("lag.sqlite3.before-restore").exists()
    assert second.returncode == 1
    assert (
        second.stderr.strip()
        .splitlines()[-1]
        .startswith(f"lag-bot: run refused: the database {db} is in use")
    )

    done = _lag_bot(fake, db, "restore", str(backup))  # once the bot is stopped
    assert done.returncode == 0, done.stderr


def test_restore_refuses_what_is_no_lag_bot_database(tmp_path: Path) -> None:
    target = tmp_path / "lag.sqlite3"
    target.write_bytes(b"the current database")
    text = tmp_path / "notes.txt"
    text.write_text("kein Backup " * 500)
    foreign = tmp_path / "foreign.sqlite3"
    with contextlib.closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
        conn.execute("PRAGMA user_version = 3")
    newer = tmp_path / "newer.sqlite3"
    with contextlib.closing(sqlite3.connect(newer)) as conn:
        for table in ("members", "consents", "dialogs", "deliveries", "territories"):
            conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
        conn.execute("PRAGMA user_version = 999")
    cases = {
        tmp_path / "missing.sqlite3": "no file at",
        text: "is not an SQLite database",
        foreign: "is not a lag-bot database",
        newer: "has schema version 999",
    }
    for source, reason in cases.items():
        with pytest.raises(RestoreError, match=reason):
            restore_database(source, target)
    assert target.read_bytes() == b"the current database"
    assert not lock_path(target).exists()  # refused before the lock was even taken


def test_the_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    db = tmp_path / "lag.sqlite3"
    held = DatabaseLock.acquire(db)
    with pytest.raises(DatabaseInUse, match="in use by process"):
        DatabaseLock.acquire(db)
    held.release()
    DatabaseLock.acquire(db).release()


async def test_daily_backups_rotate_and_keep_other_files(tmp_path: Path) -> None:
    db = tmp_path / "lag.sqlite3"
    await seed_database(db, 3, random.Random(3))
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "lag-bot-handmade.sqlite3").write_bytes(b"x")
    first = date(2026, 11, 1)
    for offset in range(10):
        run = daily_backup(db, folder, first + timedelta(days=offset), keep=7)
        assert run.written is not None
    again = daily_backup(db, folder, first + timedelta(days=9), keep=7)
    assert again.written is None and again.deleted == []  # a restart on the same day adds nothing
    names = [p.name for p in dated_backups(folder)]
    assert names == [f"lag-bot-2026-11-{day:02d}.sqlite3" for day in range(10, 3, -1)]
    assert (folder / "lag-bot-handmade.sqlite3").exists()
    assert _rows(folder / "lag-bot-2026-11-10.sqlite3") == _rows(db)


async def test_the_bot_backs_up_daily_and_runs_retention_once_a_day(
    fake: FakeTelegram, tmp_path: Path, clock: TestClock, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "backups"
    caplog.set_level(logging.INFO)
    async with running_bot(fake, tmp_path, clock, backup_dir=folder, backup_keep=2) as bot:
        for _ in range(2):  # the job runs hourly; the second run of the day does nothing
            await bot.services.maintenance.run()
        for _ in range(2):
            clock.advance(days=1)
            await bot.services.maintenance.run()
            await asyncio.sleep(0)
    names = [p.name for p in dated_backups(folder)]
    assert names == ["lag-bot-2026-11-23.sqlite3", "lag-bot-2026-11-22.sqlite3"]
    runs = [
        r for r in caplog.records if r.getMessage().startswith("retention: ") and "in all" in r.getMessage()
    ]
    assert len(runs) == 3  # once on each of the three days
    assert any(
        "backup deleted (keeping 2): lag-bot-2026-11-21.sqlite3" in r.getMessage() for r in caplog.records
    )


def test_cli_restore_usage(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "composition", "restore", "--help"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "FILE" in done.stdout.upper()

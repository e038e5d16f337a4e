"""`lag-bot restore FILE`: put a backup in place of the database, only while no bot uses it.

    restored = restore_database(Path("backup.sqlite3"), Path("lag-bot.sqlite3"))
    # RestoreError: FILE is no (intact) lag-bot database; DatabaseInUse: a bot holds the lock

The backup is checked first (SQLite's integrity check, a schema version this lag-bot knows, the
lag-bot tables). The database's lock (see `db_lock`) is held for the whole restore, so a bot
cannot start meanwhile. The current database is kept as `<database>.before-restore`, the backup
is copied to a temporary file beside the database and renamed over it: the database is the old
one or the new one, never half of each. The old WAL files go first (they belong to the old file
and would otherwise be replayed into the new one).

The backup may still hold people who left after it was written: `replay_erasures` (which
`lag-bot restore` runs right after, and every start runs again) erases them once more from the
erasure ledger beside the database, which a restore never touches.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from lag_bot.clock import Clock, utc_now
from lag_bot.db import Database
from lag_bot.db_lock import DatabaseLock
from lag_bot.membership.erasure_replay import ErasureReplay
from lag_bot.migrate import apply_migrations, available_migrations
from lag_bot.operations.backup import backup_database
from lag_bot.operations.erasure_ledger import ErasureLedger
from lag_bot.repositories.database_file import FileFacts, inspect_file

# Tables every lag-bot database has had since the first migrations.
_LAG_BOT_TABLES = frozenset({"members", "consents", "dialogs", "deliveries", "territories"})


class RestoreError(RuntimeError):
    """The file cannot be restored (the message says why); nothing was changed."""


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    schema_version: int
    previous: Path | None  # where the replaced database was kept


def check_backup(source: Path) -> FileFacts:
    """The facts of `source` if it is an intact lag-bot database this version can use."""
    if not source.is_file():
        raise RestoreError(f"no file at {source}")
    try:
        facts = inspect_file(source)
    except sqlite3.DatabaseError as exc:
        raise RestoreError(f"{source} is not an SQLite database ({exc})") from None
    if facts.integrity != "ok":
        raise RestoreError(f"{source} failed SQLite's integrity check: {facts.integrity[:200]}")
    if facts.user_version == 0 or not facts.tables >= _LAG_BOT_TABLES:
        raise RestoreError(f"{source} is not a lag-bot database (no schema version or tables)")
    newest = len(available_migrations())
    if facts.user_version > newest:
        raise RestoreError(
            f"{source} has schema version {facts.user_version}; this lag-bot knows {newest}: update it first"
        )
    return facts


def restore_database(source: Path, target: Path) -> Restored:
    """Replace `target` by the backup `source` (see the module docstring)."""
    facts = check_backup(source)
    if target.exists() and source.resolve() == target.resolve():
        raise RestoreError(f"{source} is the database itself")
    lock = DatabaseLock.acquire(target)  # DatabaseInUse: a bot runs on it
    try:
        previous = None
        if target.exists():
            previous = target.with_name(target.name + ".before-restore")
            backup_database(target, previous)
        part = target.with_name(target.name + ".restore-part")
        shutil.copyfile(source, part)
        _fsync(part)
        for suffix in ("-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(part, target)
        _fsync(target.parent)
    finally:
        lock.release()
    return Restored(facts.user_version, previous)


async def replay_erasures(database: Path, clock: Clock = utc_now) -> int:
    """Bring the restored database up to date and erase again who left since the backup (the
    database's lock held throughout); return how many people went."""
    lock = DatabaseLock.acquire(database)
    try:
        db = await Database.open(database)
        try:
            await apply_migrations(db)
            return await ErasureReplay(db, ErasureLedger.beside(database), clock).run()
        finally:
            await db.close()
    finally:
        lock.release()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""The migration runner: applies `migrations/NNNN_name.sql` in order, one transaction per file.

`PRAGMA user_version` holds the number of the last applied file. A file that fails is rolled
back whole and stops the runner with `MigrationError`.

A file that rebuilds a table other tables refer to starts with the line `-- foreign_keys: off`:
SQLite's way to change a table (create the new one, copy, drop the old, rename) would otherwise
cascade the drop into every referring table. Such a file runs with foreign keys off, and fails
(rolled back whole) if any reference is broken at its end.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from lag_bot.db import Database

log = logging.getLogger(__name__)
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_FOREIGN_KEYS_OFF = "-- foreign_keys: off"
# Inside the transaction, a broken reference makes this insert fail, and the file rolls back.
_REFERENCES_INTACT = (
    "CREATE TEMP TABLE _references_intact (broken INTEGER CHECK (broken = 0));\n"
    "INSERT INTO _references_intact SELECT count(*) FROM pragma_foreign_key_check;\n"
    "DROP TABLE _references_intact;"
)


class MigrationError(RuntimeError):
    """A migration file could not be applied; the database is left at the version before it."""


@dataclass(frozen=True)
class Migration:
    """One numbered SQL file."""

    number: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    """The migration files shipped in the `migrations` package, in order."""
    found: list[Migration] = []
    for entry in resources.files("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.number)
    for expected, migration in enumerate(found, start=1):
        if migration.number != expected:
            raise MigrationError(f"migration numbers have a gap before {migration.name}")
    return found


async def apply_migrations(db: Database, migrations: list[Migration] | None = None) -> list[str]:
    """Apply every migration newer than the database; return the names applied."""
    todo = available_migrations() if migrations is None else migrations
    current = int(await db.fetchval("PRAGMA user_version"))
    applied: list[str] = []
    for migration in todo:
        if migration.number <= current:
            continue
        rebuild = migration.sql.startswith(_FOREIGN_KEYS_OFF)
        check = _REFERENCES_INTACT if rebuild else ""
        script = f"BEGIN;\n{migration.sql}\n;{check}\nPRAGMA user_version = {migration.number};\nCOMMIT;"
        try:
            if rebuild:
                await db.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
            await db.executescript(script)
        except sqlite3.Error as exc:
            await _rollback(db)
            raise MigrationError(f"{migration.name} failed: {exc}") from exc
        finally:
            if rebuild:
                await db.execute("PRAGMA foreign_keys = ON")
        log.info("applied migration %s", migration.name)
        applied.append(migration.name)
    return applied


async def _rollback(db: Database) -> None:
    # "no transaction is active" means the failed BEGIN never opened one: nothing to undo.
    with contextlib.suppress(sqlite3.OperationalError):
        await db.execute("ROLLBACK")

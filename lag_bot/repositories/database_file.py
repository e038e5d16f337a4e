"""What a database file is, read without changing it (for `lag-bot restore`)."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileFacts:
    """The result of SQLite's integrity check, the schema version and the table names of one file."""

    integrity: str
    user_version: int
    tables: frozenset[str]


def inspect_file(path: Path) -> FileFacts:
    """Open `path` read-only and report on it; sqlite3.DatabaseError if it is no SQLite database."""
    # immutable=1: a backup has no WAL and nobody writes to it; nothing is created next to it.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        integrity = "; ".join(str(r[0]) for r in rows[:5])
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = frozenset(
            str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        )
    return FileFacts(integrity, version, tables)

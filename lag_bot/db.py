"""The SQLite database: WAL, foreign keys on, a busy timeout, one writer at a time.

    db = await Database.open(Path("lag-bot.sqlite3"))
    async with db.transaction() as tx:                # BEGIN IMMEDIATE: the write lock first
        row = await tx.fetchone("SELECT seats FROM events WHERE id = ?", (3,))  # decides the write
        await tx.execute("UPDATE events SET seats = ? WHERE id = ?", (row[0] - 1, 3))
    row = await db.fetchone("SELECT * FROM members WHERE id = ?", (7,))
    await db.close()

Three connections: the writer and a reader, each with its own thread, and a quick reader in the
event loop's own thread. Handlers run concurrently, so:
- A transaction belongs to the task that opened it. Its statements, reads included, run on the
  writer inside it; any other task's write waits for the transaction to end (an `asyncio.Lock`,
  so SQLite itself never answers "database is locked"). A transaction opened inside one joins it.
- A write outside a transaction is one statement of its own, under the same lock.
- A read outside a transaction sees only committed data, never another task's half-done
  transaction. A read that decides a write belongs inside the transaction.
- Such a read runs first on the quick reader, in the loop itself: most reads (a member by id, a
  profile) take a few dozen microseconds, far less than the hand-off to a thread and back, which
  under load waits for the GIL for milliseconds and leaves the loop idle. A read that takes
  longer than `INLINE_BUDGET` (or finds the file busy) is interrupted and run again on the reader
  thread, so the loop is never held up for more than about that long.

Only the repositories in `lag_bot.repositories` call this; nothing else writes SQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
INLINE_BUDGET = 0.002  # seconds a read may hold the event loop before it moves to the reader thread
_PROGRESS_STEPS = 2000  # SQLite VM steps between two looks at the clock (a few microseconds)
# secure_delete: a deleted row's bytes are overwritten, not left in a free page (an erasure must
# leave nothing in the file; some SQLite builds have it on by default, this one must not depend on it).
_PRAGMAS = ("PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL", "PRAGMA secure_delete = ON")
Params = Sequence[Any] | dict[str, Any]


class Database:
    """A writer and a reader connection, with a lock that serialises writes."""

    def __init__(
        self,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        path: Path,
        quick: sqlite3.Connection | None = None,
    ) -> None:
        self._writer = writer
        self._reader = reader
        self._quick = quick
        self._quick_deadline = 0.0
        if quick is not None:
            quick.set_progress_handler(self._over_budget, _PROGRESS_STEPS)
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None  # the task whose transaction is open
        self.path = path

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (and create) the database file with the pragmas the bot relies on."""
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await _connect(path, "PRAGMA journal_mode = WAL")
        reader = await _connect(path, "PRAGMA query_only = ON")
        log.debug("database opened at %s", path)
        return cls(writer, reader, path, _connect_quick(path))

    async def close(self) -> None:
        """Close the connections."""
        if self._quick is not None:
            self._quick.close()
            self._quick = None
        await self._reader.close()
        await self._writer.close()

    def _in_transaction(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """Run the block in one write transaction; roll back if it raises."""
        if self._in_transaction():  # opened inside one: part of it
            yield self
            return
        async with self._lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            self._owner = asyncio.current_task()
            try:
                yield self
                await self._writer.execute("COMMIT")
            except BaseException:
                # A failed COMMIT may have ended the transaction already: then there is nothing to undo.
                with contextlib.suppress(sqlite3.OperationalError):
                    await self._writer.execute("ROLLBACK")
                raise
            finally:
                self._owner = None

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the last inserted row id (or the row count for updates)."""
        if self._in_transaction():
            return await self._execute(sql, params)
        async with self._lock:
            return await self._execute(sql, params)

    async def _execute(self, sql: str, params: Params) -> int:
        cursor = await self._writer.execute(sql, params)
        try:
            if sql.lstrip().upper().startswith("INSERT"):
                return cursor.lastrowid or 0
            return cursor.rowcount
        finally:
            await cursor.close()

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many parameter rows."""
        if self._in_transaction():
            await self._writer.executemany(sql, rows)
            return
        async with self._lock:
            await self._writer.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        """Return the first row of a query, or None (meant for queries of one row)."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        """Return all rows of a query (inside a transaction: as the transaction sees them)."""
        if self._in_transaction():
            return list(await self._writer.execute_fetchall(sql, params))
        rows = self._quick_read(sql, params)
        if rows is not None:
            return rows
        # One hand-off to aiosqlite's thread instead of three (execute, fetch, close).
        return list(await self._reader.execute_fetchall(sql, params))

    def _quick_read(self, sql: str, params: Params) -> list[aiosqlite.Row] | None:
        """The rows, read in the loop's thread; None if the read is too long or the file busy."""
        if self._quick is None:
            return None
        self._quick_deadline = time.perf_counter() + INLINE_BUDGET
        try:
            return self._quick.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            # "interrupted" (over budget) or "database is locked" (busy): the reader thread waits.
            if "interrupted" in str(exc) or "locked" in str(exc) or "busy" in str(exc):
                return None
            raise

    def _over_budget(self) -> int:
        """SQLite's progress handler: non-zero interrupts the quick read."""
        return int(time.perf_counter() > self._quick_deadline)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """Return the first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the file and empty it (after an erasure: the WAL would
        otherwise keep the erased rows' old pages until SQLite reuses them)."""
        async with self._lock:
            await self._writer.execute_fetchall("PRAGMA wal_checkpoint(TRUNCATE)")

    async def executescript(self, script: str) -> None:
        """Run a whole SQL script (used by the migration runner only)."""
        if self._in_transaction():
            await self._writer.executescript(script)
            return
        async with self._lock:
            await self._writer.executescript(script)


async def _connect(path: Path, *pragmas: str) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    # Each pragma's statement is finished at once: an open one would hold a lock on the file.
    for pragma in (f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}", *pragmas, *_PRAGMAS):
        await conn.execute_fetchall(pragma)
    return conn


def _connect_quick(path: Path) -> sqlite3.Connection:
    """The quick reader: read-only, never waits for a lock (the reader thread does the waiting)."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    for pragma in ("PRAGMA busy_timeout = 0", "PRAGMA query_only = ON", *_PRAGMAS):
        conn.execute(pragma).fetchall()
    return conn

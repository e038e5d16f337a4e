"""What `/status` tells an admin: version, uptime, database, outbox, reminders, reachability, errors.

report = await BotStatus(db, clock, started_at, errors).report()
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from lag_bot import __version__
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.operations.recent_errors import ErrorSummary, RecentErrors
from lag_bot.repositories.status import OutboxCounts, ReminderOutlook, StatusRepository

SOON = timedelta(hours=24)


@dataclass(frozen=True)
class StatusReport:
    """One snapshot for the operator."""

    version: str
    uptime: timedelta
    database_bytes: int
    outbox: OutboxCounts
    reminders: ReminderOutlook
    unreachable: int
    errors: list[ErrorSummary]


class BotStatus:
    """Gathers a `StatusReport` from the database, the files and the error handler's memory."""

    def __init__(self, db: Database, clock: Clock, started_at: datetime, errors: RecentErrors) -> None:
        self.repo = StatusRepository(db)
        self.path = db.path
        self.clock = clock
        self.started_at = started_at
        self.errors = errors

    async def report(self) -> StatusReport:
        """The current state."""
        now = self.clock()
        return StatusReport(
            version=__version__,
            uptime=max(timedelta(0), now - self.started_at),
            database_bytes=database_size(self.path),
            outbox=await self.repo.outbox(iso(now - SOON)),
            reminders=await self.repo.reminders(iso(now + SOON)),
            unreachable=await self.repo.unreachable_members(),
            errors=self.errors.latest(),
        )


def database_size(path: Path) -> int:
    """The database file and its write-ahead log, in bytes."""
    total = 0
    for name in (path.name, path.name + "-wal"):
        try:
            total += (path.parent / name).stat().st_size
        except FileNotFoundError:
            continue
    return total

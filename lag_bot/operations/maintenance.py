"""The daily chores: the backup with rotation, then the retention rules.

    maintenance = Maintenance(settings, retention, errors, clock)
    await maintenance.run()     # called every hour by the JobQueue (and shortly after start)

Each chore is done once per calendar day (in the bot's time zone): the backup when today's file
is not there yet (so restarts add no backups), the retention rules at the first run of a day.
The backup comes first, so the day's backup still has what the rules then delete.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import date

from lag_bot.clock import Clock
from lag_bot.operations.backup_files import daily_backup
from lag_bot.operations.recent_errors import RecentErrors
from lag_bot.operations.retention import Retention
from lag_bot.settings import Settings

log = logging.getLogger(__name__)


class Maintenance:
    """Runs the backup and the retention rules, each at most once a day."""

    def __init__(self, settings: Settings, retention: Retention, errors: RecentErrors, clock: Clock) -> None:
        self.settings = settings
        self.retention = retention
        self.errors = errors
        self.clock = clock
        self._retention_day: date | None = None

    async def run(self) -> None:
        """Do what is due today."""
        today = self.clock().astimezone(self.settings.timezone).date()
        await self.backup(today)
        if self._retention_day != today:
            self._retention_day = today
            await self.retention.run()

    async def backup(self, today: date) -> None:
        """Today's backup into BACKUP_DIR and the rotation, if BACKUP_DIR is set."""
        folder = self.settings.backup_dir
        if folder is None:
            return
        try:
            run = await asyncio.to_thread(
                daily_backup, self.settings.database_path, folder, today, self.settings.backup_keep
            )
        except (OSError, sqlite3.Error) as exc:  # a full disk or a missing folder: tell /status
            log.exception("backup into %s failed", folder)
            self.errors.add("backup", exc)
            return
        if run.written is not None:
            log.info("backup written: %s (%d bytes)", run.written, run.written.stat().st_size)
        for path in run.deleted:
            log.info("backup deleted (keeping %d): %s", self.settings.backup_keep, path.name)

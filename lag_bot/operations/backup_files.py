"""The daily backups in BACKUP_DIR: one file per day, named by its date, the newest N kept.

    run = daily_backup(Path("lag-bot.sqlite3"), Path("/var/backups/lag-bot"), date(2026, 11, 21), keep=7)
    run.written    # backups/lag-bot-2026-11-21.sqlite3, or None if today's was written already
    run.deleted    # the dated files beyond the newest 7

Only files named exactly `lag-bot-YYYY-MM-DD.sqlite3` are counted and deleted, so the folder can
hold other files (a copy made by hand under another name is never rotated away).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lag_bot.operations.backup import backup_database

_NAME = re.compile(r"^lag-bot-(\d{4}-\d{2}-\d{2})\.sqlite3$")


@dataclass(frozen=True)
class BackupRun:
    """What one daily run did."""

    written: Path | None
    deleted: list[Path] = field(default_factory=list)


def file_for(folder: Path, day: date) -> Path:
    """The backup file of one day."""
    return folder / f"lag-bot-{day.isoformat()}.sqlite3"


def dated_backups(folder: Path) -> list[Path]:
    """The dated backup files in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found: list[tuple[date, Path]] = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            try:
                found.append((date.fromisoformat(match.group(1)), path))
            except ValueError:  # e.g. lag-bot-2026-13-45.sqlite3: not ours
                continue
    return [path for _, path in sorted(found, reverse=True)]


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete the dated backups beyond the newest `keep`; return the deleted files."""
    old = dated_backups(folder)[keep:]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def daily_backup(database: Path, folder: Path, today: date, keep: int) -> BackupRun:
    """Write today's backup unless it exists, then rotate (blocking: run it in a thread)."""
    target = file_for(folder, today)
    written = None
    if not target.exists():
        backup_database(database, target)
        written = target
    return BackupRun(written, rotate(folder, keep))

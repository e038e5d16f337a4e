"""A consistent copy of the live database with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup_database(source: Path, target: Path) -> int:
    """Copy `source` to `target` while the bot may be writing; return the target's size."""
    if not source.is_file():
        raise FileNotFoundError(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            # All pages in one step: one read snapshot. In WAL mode it does not block the bot's
            # writes, while a stepwise copy starts over whenever the bot writes between steps.
            src.backup(dst, pages=-1)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(target)  # the target appears whole or not at all
    return target.stat().st_size

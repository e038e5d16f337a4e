"""Consent decisions, each with the version of the privacy text the person saw."""

from __future__ import annotations

from lag_bot.db import Database


class ConsentRepository:
    """Reads and writes `consents`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, telegram_id: int, version: str, granted: bool, now: str) -> None:
        """Store one decision."""
        await self.db.execute(
            "INSERT INTO consents (telegram_id, version, granted, decided_at) VALUES (?, ?, ?, ?)",
            (telegram_id, version, int(granted), now),
        )

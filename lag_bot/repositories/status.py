"""The counts `/status` shows: outbox, reminders, unreachable members."""

from __future__ import annotations

from dataclasses import dataclass

from lag_bot.db import Database


@dataclass(frozen=True)
class OutboxCounts:
    """Rows waiting, in flight, and failed in the last day."""

    pending: int
    sending: int
    failed_recently: int


@dataclass(frozen=True)
class ReminderOutlook:
    """Active reminders due before a horizon, and the earliest next firing of all."""

    due_soon: int
    next_due: str | None


class StatusRepository:
    """Read-only counts for the operator."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def outbox(self, since: str) -> OutboxCounts:
        """Pending and in-flight rows; failed rows whose last try was after `since`."""
        row = await self.db.fetchone(
            "SELECT coalesce(sum(status = 'pending'), 0), coalesce(sum(status = 'sending'), 0), "
            "coalesce(sum(status = 'failed' AND not_before >= ?), 0) FROM deliveries "
            "WHERE status IN ('pending', 'sending', 'failed')",
            (since,),
        )
        assert row is not None
        return OutboxCounts(int(row[0]), int(row[1]), int(row[2]))

    async def reminders(self, until: str) -> ReminderOutlook:
        """Active reminders due up to `until`, and the earliest due time."""
        row = await self.db.fetchone(
            "SELECT coalesce(sum(next_due <= ?), 0), min(next_due) FROM reminders "
            "WHERE status = 'active' AND next_due IS NOT NULL",
            (until,),
        )
        assert row is not None
        return ReminderOutlook(int(row[0]), str(row[1]) if row[1] else None)

    async def unreachable_members(self) -> int:
        """Members whose chat answered 403 and who have not written since."""
        return int(await self.db.fetchval("SELECT count(*) FROM members WHERE unreachable_at IS NOT NULL"))

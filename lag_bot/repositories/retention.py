"""The deletions of the retention rules (see lag_bot/operations/retention.py for what each keeps and why).

Each method takes the cutoff (UTC ISO), deletes in one transaction and returns the rows deleted.
"""

from __future__ import annotations

from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.repositories.personal_data import PersonalDataRepository

# The group copies of an event's invitation are edited in place (live counts) until the event
# is over; a series is never over while it is published.
_LIVE_EVENT_COPY = (
    "kind = 'event' AND ref_id IN (SELECT id FROM events WHERE status = 'published' "
    "AND (rrule IS NOT NULL OR ends_at >= :now))"
)


class RetentionRepository:
    """Deletes rows that have outlived their use."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def delete_finished_deliveries(self, cutoff: str) -> int:
        """Outbox rows finished before the cutoff (a row without `sent_at` finished at its last try)."""
        async with self.db.transaction():
            return await self.db.execute(
                "DELETE FROM deliveries WHERE status IN ('sent', 'unreachable', 'failed', 'stopped') "
                f"AND coalesce(sent_at, not_before) < :cutoff AND NOT ({_LIVE_EVENT_COPY})",
                {"cutoff": cutoff, "now": iso(self.clock())},
            )

    async def delete_unfinished_members(self, cutoff: str) -> int:
        """Erase the people whose profile wizard was left unfinished since before the cutoff."""
        async with self.db.transaction():
            rows = await self.db.fetchall(
                "SELECT id, telegram_id FROM members WHERE status = 'onboarding' AND status_changed_at < ? "
                "AND telegram_id NOT IN (SELECT telegram_id FROM dialogs WHERE updated_at >= ?)",
                (cutoff, cutoff),
            )
            erasure = PersonalDataRepository(self.db)
            for row in rows:
                await erasure.erase(int(row[0]), int(row[1]))
        return len(rows)

    async def delete_declined_consents(self, cutoff: str) -> int:
        """The "no" to the privacy notice of people who are no member, decided before the cutoff."""
        async with self.db.transaction():
            return await self.db.execute(
                "DELETE FROM consents WHERE granted = 0 AND decided_at < ? "
                "AND telegram_id NOT IN (SELECT telegram_id FROM members)",
                (cutoff,),
            )

    async def delete_expired_invites(self, cutoff: str) -> int:
        """Invite links that expired before the cutoff."""
        async with self.db.transaction():
            return await self.db.execute("DELETE FROM invites WHERE expires_at < ?", (cutoff,))

    async def delete_idle_dialogs(self, cutoff: str) -> int:
        """Dialogs nobody touched since before the cutoff."""
        async with self.db.transaction():
            return await self.db.execute("DELETE FROM dialogs WHERE updated_at < ?", (cutoff,))

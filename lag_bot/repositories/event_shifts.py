"""Shifts of events and who signed up for them.

Writes happen inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from lag_bot.clock import iso
from lag_bot.db import Database
from lag_bot.events.draft import ShiftDraft
from lag_bot.events.models import Shift


def _shift(r: aiosqlite.Row) -> Shift:
    return Shift(
        r["id"],
        r["event_id"],
        datetime.fromisoformat(r["starts_at"]),
        datetime.fromisoformat(r["ends_at"]),
        r["min_people"],
        r["max_people"],
        r["signed"],
        bool(r["mine"]),
    )


class ShiftRepository:
    """Reads and writes `shifts` and `shift_signups`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, event_id: int, shifts: Sequence[ShiftDraft]) -> None:
        """Store an event's shifts."""
        await self.db.executemany(
            "INSERT INTO shifts (event_id, starts_at, ends_at, min_people, max_people) "
            "VALUES (?, ?, ?, ?, ?)",
            [(event_id, iso(s.starts_at), iso(s.ends_at), s.min_people, s.max_people) for s in shifts],
        )

    async def of_event(self, event_id: int, member_id: int | None = None) -> list[Shift]:
        """An event's shifts in time order, with sign-up counts."""
        rows = await self.db.fetchall(
            "SELECT s.*, (SELECT count(*) FROM shift_signups u WHERE u.shift_id = s.id) AS signed, "
            "EXISTS (SELECT 1 FROM shift_signups u WHERE u.shift_id = s.id AND u.member_id = ?) AS mine "
            "FROM shifts s WHERE s.event_id = ? ORDER BY s.starts_at, s.id",
            (member_id, event_id),
        )
        return [_shift(r) for r in rows]

    async def get(self, shift_id: int, member_id: int | None = None) -> Shift | None:
        """One shift with its count."""
        row = await self.db.fetchone(
            "SELECT s.*, (SELECT count(*) FROM shift_signups u WHERE u.shift_id = s.id) AS signed, "
            "EXISTS (SELECT 1 FROM shift_signups u WHERE u.shift_id = s.id AND u.member_id = ?) AS mine "
            "FROM shifts s WHERE s.id = ?",
            (member_id, shift_id),
        )
        return _shift(row) if row else None

    async def drafts(self, event_id: int) -> tuple[ShiftDraft, ...]:
        """An event's shifts as a draft has them."""
        return tuple(
            ShiftDraft(s.starts_at, s.ends_at, s.min_people, s.max_people)
            for s in await self.of_event(event_id)
        )

    async def sign_up(self, shift_id: int, member_id: int, now: str) -> None:
        """Put a member on a shift (the caller checked the maximum in the same transaction)."""
        await self.db.execute(
            "INSERT OR IGNORE INTO shift_signups (shift_id, member_id, signed_at) VALUES (?, ?, ?)",
            (shift_id, member_id, now),
        )

    async def leave(self, shift_id: int, member_id: int) -> bool:
        """Take a member off a shift; False if they were not on it."""
        return (
            await self.db.execute(
                "DELETE FROM shift_signups WHERE shift_id = ? AND member_id = ?", (shift_id, member_id)
            )
            == 1
        )

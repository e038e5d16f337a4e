"""Reminders: what to say, to whom, by which rule, and when next."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from lag_bot.db import Database


@dataclass(frozen=True)
class ReminderRow:
    """One stored reminder."""

    id: int
    created_by: int | None
    target_kind: str
    member_id: int | None
    group_id: int | None
    audience: str | None
    body: str
    rrule: str | None
    tz: str
    first_at: str
    next_due: str | None
    last_fired: str | None
    status: str
    event_id: int | None = None
    ack_every_min: int | None = None  # set: the firing repeats until "Erledigt ✓"
    ack_due: str | None = None  # the firing waiting for its confirmation
    repeat_due: str | None = None
    repeats: int = 0
    ref_id: int | None = None  # a feature's own target (e.g. the question of a deadline reminder)


def _row(r: aiosqlite.Row) -> ReminderRow:
    return ReminderRow(
        r["id"],
        r["created_by"],
        r["target_kind"],
        r["member_id"],
        r["group_id"],
        r["audience"],
        r["body"],
        r["rrule"],
        r["tz"],
        r["first_at"],
        r["next_due"],
        r["last_fired"],
        r["status"],
        r["event_id"],
        r["ack_every_min"],
        r["ack_due"],
        r["repeat_due"],
        r["repeats"],
        r["ref_id"],
    )


class ReminderRepository:
    """Reads and writes `reminders` (writes inside the caller's transaction)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, row: ReminderRow, now: str) -> int:
        """Store a new reminder; the id in `row` is ignored."""
        return await self.db.execute(
            "INSERT INTO reminders (created_by, target_kind, member_id, group_id, audience, body, rrule, tz, "
            "first_at, next_due, status, created_at, event_id, ack_every_min, ref_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.created_by,
                row.target_kind,
                row.member_id,
                row.group_id,
                row.audience,
                row.body,
                row.rrule,
                row.tz,
                row.first_at,
                row.next_due,
                row.status,
                now,
                row.event_id,
                row.ack_every_min,
                row.ref_id,
            ),
        )

    async def get(self, reminder_id: int) -> ReminderRow | None:
        """One reminder."""
        found = await self.db.fetchone("SELECT * FROM reminders WHERE id = ?", (reminder_id,))
        return _row(found) if found else None

    async def due(self, now: str, limit: int = 500) -> list[ReminderRow]:
        """Active reminders whose next time has come, earliest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE status = 'active' AND next_due <= ? ORDER BY next_due, id LIMIT ?",
            (now, limit),
        )
        return [_row(r) for r in rows]

    async def next_due(self) -> str | None:
        """The earliest time any active reminder is due."""
        value = await self.db.fetchval("SELECT min(next_due) FROM reminders WHERE status = 'active'")
        return str(value) if value else None

    async def of_member(self, member_id: int) -> list[ReminderRow]:
        """A member's personal reminders and the segment reminders they set (not done), by next time."""
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE (member_id = ? OR (target_kind = 'segment' AND created_by = ?)) "
            "AND status != 'done' ORDER BY next_due, id",
            (member_id, member_id),
        )
        return [_row(r) for r in rows]

    async def of_group(self, group_id: int) -> list[ReminderRow]:
        """A group's reminders (not done), by next time."""
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE group_id = ? AND status != 'done' ORDER BY next_due, id",
            (group_id,),
        )
        return [_row(r) for r in rows]

    async def advance(self, reminder_id: int, fired: str | None, next_due: str | None) -> bool:
        """Record a firing (or a skip) and the next time; `next_due` None finishes the reminder.
        Conditional on the reminder still being active, so a pause or delete meanwhile wins."""
        return (
            await self.db.execute(
                "UPDATE reminders SET last_fired = coalesce(?, last_fired), next_due = ?, "
                "status = CASE WHEN ? IS NULL THEN 'done' ELSE status END WHERE id = ? AND status = 'active'",
                (fired, next_due, next_due, reminder_id),
            )
            == 1
        )

    async def set_status(self, reminder_id: int, status: str, next_due: str | None = None) -> bool:
        """Pause, resume (with a fresh next time) or finish a reminder."""
        return (
            await self.db.execute(
                "UPDATE reminders SET status = ?, next_due = coalesce(?, next_due) WHERE id = ?",
                (status, next_due, reminder_id),
            )
            == 1
        )

    async def delete(self, reminder_id: int) -> bool:
        """Remove a reminder."""
        return await self.db.execute("DELETE FROM reminders WHERE id = ?", (reminder_id,)) == 1

    async def repeats_due(self, now: str, limit: int = 500) -> list[ReminderRow]:
        """Firings waiting for "Erledigt ✓" whose repeat has come (paused reminders wait)."""
        rows = await self.db.fetchall(
            "SELECT * FROM reminders WHERE status != 'paused' AND repeat_due IS NOT NULL AND repeat_due <= ? "
            "ORDER BY repeat_due, id LIMIT ?",
            (now, limit),
        )
        return [_row(r) for r in rows]

    async def next_repeat(self) -> str | None:
        """The earliest pending repeat."""
        value = await self.db.fetchval(
            "SELECT min(repeat_due) FROM reminders WHERE status != 'paused' AND repeat_due IS NOT NULL"
        )
        return str(value) if value else None

    async def await_ack(self, reminder_id: int, occurrence: str, repeat_due: str | None) -> None:
        """A firing went out with "Erledigt ✓": remember it and when to repeat it."""
        await self.db.execute(
            "UPDATE reminders SET ack_due = ?, repeat_due = ?, repeats = 0 WHERE id = ?",
            (occurrence, repeat_due, reminder_id),
        )

    async def repeated(self, reminder_id: int, occurrence: str, repeat_due: str | None) -> bool:
        """A repeat went out (or is no longer needed: `repeat_due` None); only for that firing."""
        return (
            await self.db.execute(
                "UPDATE reminders SET repeat_due = ?, repeats = repeats + 1 WHERE id = ? AND ack_due = ?",
                (repeat_due, reminder_id, occurrence),
            )
            == 1
        )

    async def stop_repeats(self, reminder_id: int, occurrence: str) -> None:
        """No more repeats of that firing."""
        await self.db.execute(
            "UPDATE reminders SET repeat_due = NULL WHERE id = ? AND ack_due = ?", (reminder_id, occurrence)
        )

    async def add_ack(self, reminder_id: int, occurrence: str, member_id: int, now: str) -> bool:
        """Record a member's "Erledigt ✓"; False if they had already confirmed that firing."""
        known = await self.db.fetchval(
            "SELECT count(*) FROM reminder_acks WHERE reminder_id = ? AND occurrence = ? AND member_id = ?",
            (reminder_id, occurrence, member_id),
        )
        if known:
            return False
        await self.db.execute(
            "INSERT INTO reminder_acks (reminder_id, occurrence, member_id, acked_at) VALUES (?, ?, ?, ?)",
            (reminder_id, occurrence, member_id, now),
        )
        return True

    async def acked_by(self, reminder_id: int, occurrence: str) -> list[int]:
        """The members who confirmed a firing, first first."""
        rows = await self.db.fetchall(
            "SELECT member_id FROM reminder_acks WHERE reminder_id = ? AND occurrence = ? "
            "ORDER BY acked_at, rowid",
            (reminder_id, occurrence),
        )
        return [int(r["member_id"]) for r in rows]

    async def update(self, row: ReminderRow) -> bool:
        """An edited reminder: new text, rule and times; a pending acknowledgement is dropped."""
        return (
            await self.db.execute(
                "UPDATE reminders SET body = ?, rrule = ?, tz = ?, first_at = ?, next_due = ?, "
                "status = 'active', ack_every_min = ?, ack_due = NULL, repeat_due = NULL, repeats = 0 "
                "WHERE id = ?",
                (row.body, row.rrule, row.tz, row.first_at, row.next_due, row.ack_every_min, row.id),
            )
            == 1
        )

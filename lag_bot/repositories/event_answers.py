"""Answers to events (`rsvps`): storing, counting, the waitlist order, who answered what.

Writes happen inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from lag_bot.audience import Recipient
from lag_bot.db import Database
from lag_bot.events.models import Attendee, RsvpCounts


class AnswerRepository:
    """Reads and writes `rsvps`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def answer(self, event_id: int, member_id: int) -> str | None:
        """A member's answer."""
        value = await self.db.fetchval(
            "SELECT answer FROM rsvps WHERE event_id = ? AND member_id = ?", (event_id, member_id)
        )
        return str(value) if value else None

    async def answers_of(self, member_id: int) -> dict[int, str]:
        """A member's answers by event."""
        rows = await self.db.fetchall("SELECT event_id, answer FROM rsvps WHERE member_id = ?", (member_id,))
        return {int(r[0]): str(r[1]) for r in rows}

    async def set_answer(self, event_id: int, member_id: int, answer: str, now: str) -> None:
        """Store an answer; a new place on the waitlist goes behind everyone already on it."""
        await self.db.execute(
            "INSERT INTO rsvps (event_id, member_id, answer, wait_seq, answered_at) VALUES (?, ?, ?, "
            "CASE WHEN ? = 'waitlist' THEN "
            "(SELECT coalesce(max(wait_seq), 0) + 1 FROM rsvps WHERE event_id = ?) END, ?) "
            "ON CONFLICT (event_id, member_id) DO UPDATE SET answer = excluded.answer, "
            "wait_seq = excluded.wait_seq, answered_at = excluded.answered_at",
            (event_id, member_id, answer, answer, event_id, now),
        )

    async def counts(self, event_id: int) -> RsvpCounts:
        """Answers counted."""
        rows = await self.db.fetchall(
            "SELECT answer, count(*) FROM rsvps WHERE event_id = ? GROUP BY answer", (event_id,)
        )
        found = {str(r[0]): int(r[1]) for r in rows}
        return RsvpCounts(*(found.get(a, 0) for a in ("yes", "maybe", "no", "waitlist")))

    async def position(self, event_id: int, member_id: int) -> int | None:
        """A member's place on the waitlist (1 = next to move up)."""
        value = await self.db.fetchval(
            "SELECT (SELECT count(*) FROM rsvps w WHERE w.event_id = r.event_id AND w.answer = 'waitlist' "
            "AND w.wait_seq <= r.wait_seq) FROM rsvps r WHERE r.event_id = ? AND r.member_id = ? "
            "AND r.answer = 'waitlist'",
            (event_id, member_id),
        )
        return int(value) if value else None

    async def first_waiting(self, event_id: int) -> int | None:
        """The active member first on the waitlist."""
        value = await self.db.fetchval(
            "SELECT r.member_id FROM rsvps r JOIN members m ON m.id = r.member_id WHERE r.event_id = ? "
            "AND r.answer = 'waitlist' AND m.status = 'active' ORDER BY r.wait_seq LIMIT 1",
            (event_id,),
        )
        return int(value) if value is not None else None

    async def member_recipients(self, event_id: int, answers: Sequence[str]) -> list[Recipient]:
        """Active, reachable members who gave one of `answers`."""
        marks = ", ".join("?" for _ in answers)
        rows = await self.db.fetchall(
            "SELECT m.id, m.telegram_id, m.language FROM rsvps r JOIN members m ON m.id = r.member_id "
            f"WHERE r.event_id = ? AND r.answer IN ({marks}) AND m.status = 'active' "
            "AND m.unreachable_at IS NULL ORDER BY m.id",
            (event_id, *answers),
        )
        return [Recipient(chat_id=r[1], member_id=r[0], language=r[2]) for r in rows]

    async def attendees(self, event_id: int) -> list[Attendee]:
        """Every answer with name and district: yes, maybe, waitlist (in order), no."""
        rows = await self.db.fetchall(
            "SELECT r.member_id, coalesce(m.display_name, '') AS name, coalesce(t.name, '') AS district, "
            "r.answer, r.answered_at, r.wait_seq FROM rsvps r JOIN members m ON m.id = r.member_id "
            "LEFT JOIN territories t ON t.id = m.district_id WHERE r.event_id = ? "
            "ORDER BY CASE r.answer WHEN 'yes' THEN 0 WHEN 'maybe' THEN 1 WHEN 'waitlist' THEN 2 ELSE 3 END, "
            "r.wait_seq, r.answered_at, name COLLATE NOCASE",
            (event_id,),
        )
        found: list[Attendee] = []
        for r in rows:
            position = (
                sum(1 for a in found if a.answer == "waitlist") + 1 if r["answer"] == "waitlist" else None
            )
            found.append(
                Attendee(r["member_id"], r["name"], r["district"], r["answer"], r["answered_at"], position)
            )
        return found

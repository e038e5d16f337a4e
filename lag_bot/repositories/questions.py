"""Questions, the factions each is addressed to (targets), answers, and the messages that carry them.

Writes run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from lag_bot.db import Database
from lag_bot.questions.models import Answer, Question, Target
from lag_bot.repositories.question_rows import answer_of, question_of, target_of


class QuestionRepository:
    """Reads and writes `questions`, `question_targets`, `question_answers`, `question_messages`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        asker_id: int,
        identity: str,
        asker: tuple[int | None, str | None, int | None],
        scope_district_id: int | None,
        topic_id: int | None,
        body: str,
        now: str,
    ) -> int:
        """Store a new question; `asker` is (district id, level, body id) as of now."""
        return await self.db.execute(
            "INSERT INTO questions (asker_id, identity, asker_district_id, asker_level, asker_body_id, "
            "scope_district_id, topic_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (asker_id, identity, *asker, scope_district_id, topic_id, body, now),
        )

    async def add_target(
        self, question_id: int, faction_id: int, deadline: str, now: str, via: int | None = None
    ) -> int:
        """Address the question to one more faction."""
        return await self.db.execute(
            "INSERT INTO question_targets (question_id, faction_id, deadline, via_target_id, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (question_id, faction_id, deadline, via, now),
        )

    async def get(self, question_id: int) -> Question | None:
        """One question."""
        row = await self.db.fetchone("SELECT * FROM questions WHERE id = ?", (question_id,))
        return question_of(row) if row else None

    async def target(self, target_id: int) -> Target | None:
        """One target."""
        row = await self.db.fetchone("SELECT * FROM question_targets WHERE id = ?", (target_id,))
        return target_of(row) if row else None

    async def targets(self, question_id: int) -> list[Target]:
        """The factions a question was addressed to, first first."""
        rows = await self.db.fetchall(
            "SELECT * FROM question_targets WHERE question_id = ? ORDER BY id", (question_id,)
        )
        return [target_of(r) for r in rows]

    async def answers(self, question_id: int) -> list[Answer]:
        """Answers and follow-ups, in order."""
        rows = await self.db.fetchall(
            "SELECT * FROM question_answers WHERE question_id = ? ORDER BY id", (question_id,)
        )
        return [answer_of(r) for r in rows]

    async def add_answer(
        self, target: Target, kind: str, author_id: int, as_faction: bool, body: str, now: str
    ) -> int:
        """Store an answer of the target's faction or a follow-up of the asker to it."""
        return await self.db.execute(
            "INSERT INTO question_answers (question_id, target_id, kind, author_id, as_faction, body, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (target.question_id, target.id, kind, author_id, int(as_faction), body, now),
        )

    async def set_status(self, question_id: int, status: str, now: str) -> None:
        """Store the question's status (the first answer and the closing are remembered)."""
        await self.db.execute(
            "UPDATE questions SET status = ?, "
            "answered_at = CASE WHEN ? = 'answered' THEN coalesce(answered_at, ?) ELSE answered_at END, "
            "closed_at = CASE WHEN ? = 'closed' THEN ? ELSE closed_at END WHERE id = ?",
            (status, status, now, status, now, question_id),
        )

    async def claim(self, target_id: int, member_id: int, now: str) -> bool:
        """Claim the target for a member, unless someone did already."""
        return (
            await self.db.execute(
                "UPDATE question_targets SET claimed_by = ?, claimed_at = ? "
                "WHERE id = ? AND claimed_by IS NULL",
                (member_id, now, target_id),
            )
            == 1
        )

    async def target_answered(self, target_id: int, now: str) -> None:
        """Remember the faction's first answer."""
        await self.db.execute(
            "UPDATE question_targets SET answered_at = coalesce(answered_at, ?) WHERE id = ?",
            (now, target_id),
        )

    async def set_state(self, target_id: int, state: str, reason: str | None = None) -> bool:
        """Pass the target on ("forwarded") or decline it; only while it is active."""
        return (
            await self.db.execute(
                "UPDATE question_targets SET state = ?, reason = ? WHERE id = ? AND state = 'active'",
                (state, reason, target_id),
            )
            == 1
        )

    async def set_target_archive(self, target_id: int, ok: bool) -> None:
        """The faction's decision about the archive."""
        await self.db.execute("UPDATE question_targets SET archive_ok = ? WHERE id = ?", (int(ok), target_id))

    async def set_asker_archive(self, question_id: int, ok: bool) -> None:
        """The asker's decision about the archive."""
        await self.db.execute("UPDATE questions SET asker_archive = ? WHERE id = ?", (int(ok), question_id))

    async def set_archived(self, question_id: int, at: str | None) -> None:
        """Mark the question as in the archive (or no longer)."""
        await self.db.execute("UPDATE questions SET archived_at = ? WHERE id = ?", (at, question_id))

    async def message_target(self, chat_id: int, message_id: int) -> tuple[int, str] | None:
        """(target id, side) of a bot message that carries a question thread."""
        row = await self.db.fetchone(
            "SELECT target_id, side FROM question_messages WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return (int(row[0]), str(row[1])) if row else None

    async def link_message(self, chat_id: int, message_id: int, target_id: int, side: str) -> None:
        """Remember a message the bot sent directly (not through the outbox) as part of a thread."""
        await self.db.execute(
            "INSERT OR REPLACE INTO question_messages (chat_id, message_id, target_id, side) "
            "VALUES (?, ?, ?, ?)",
            (chat_id, message_id, target_id, side),
        )

    async def of_asker(self, member_id: int, limit: int = 30) -> list[Question]:
        """A member's questions, newest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM questions WHERE asker_id = ? ORDER BY id DESC LIMIT ?", (member_id, limit)
        )
        return [question_of(r) for r in rows]

    async def of_statuses(self, statuses: Sequence[str], limit: int = 200) -> list[Question]:
        """Questions in some statuses, oldest first."""
        marks = ", ".join("?" for _ in statuses)
        rows = await self.db.fetchall(
            f"SELECT * FROM questions WHERE status IN ({marks}) ORDER BY id LIMIT ?", (*statuses, limit)
        )
        return [question_of(r) for r in rows]

    async def delete_reminders(self, target_id: int) -> None:
        """Drop the deadline reminders of one target (answered, passed on, declined, closed)."""
        await self.db.execute(
            "DELETE FROM reminders WHERE target_kind = 'question' AND ref_id = ?", (target_id,)
        )

    async def add_reveal(self, question_id: int, coordinator_id: int | None, reason: str, now: str) -> int:
        """Record that a coordinator looked behind a pseudonym, and why."""
        return await self.db.execute(
            "INSERT INTO question_reveals (question_id, coordinator_id, reason, revealed_at) "
            "VALUES (?, ?, ?, ?)",
            (question_id, coordinator_id, reason, now),
        )

    async def delete_finished_before(self, cutoff: str) -> int:
        """Retention: delete answered or closed questions outside the archive with no activity since
        the cutoff (their targets, answers, message links and reveal records go with them)."""
        finished = (
            "questions.archived_at IS NULL AND questions.status IN ('answered', 'closed') AND "
            "coalesce(questions.closed_at, questions.answered_at, questions.created_at) < :cutoff AND NOT "
            "EXISTS (SELECT 1 FROM question_answers a WHERE a.question_id = questions.id "
            "AND a.created_at >= :cutoff)"
        )
        async with self.db.transaction():
            await self.db.execute(
                "DELETE FROM reminders WHERE target_kind = 'question' AND ref_id IN (SELECT x.id FROM "
                f"question_targets x JOIN questions ON questions.id = x.question_id WHERE {finished})",
                {"cutoff": cutoff},
            )
            return await self.db.execute(f"DELETE FROM questions WHERE {finished}", {"cutoff": cutoff})

    async def targets_in(self, since: str) -> list[tuple[int, str, str, str | None]]:
        """(faction id, state, created, answered) of the targets created since `since` (statistics)."""
        rows = await self.db.fetchall(
            "SELECT faction_id, state, created_at, answered_at FROM question_targets WHERE created_at >= ? "
            "ORDER BY id",
            (since,),
        )
        return [(int(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows]

"""A person's data in the question relay, for `/meinedaten` (called from `PersonalExportRepository`):
the questions they asked and how they were routed and shown, the answers they received and wrote,
the cards that carry their questions, what they claimed or revealed, and their contact roles."""

from __future__ import annotations

from typing import Any

from lag_bot.db import Database

# The questions the person asked (a sub-select taking their member id).
_MINE = "SELECT id FROM questions WHERE asker_id = ?"


class QuestionExport:
    """Collects one person's rows of the question relay."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def _rows(self, sql: str, params: tuple[object, ...]) -> list[dict[str, Any]]:
        return [dict(r) for r in await self.db.fetchall(sql, params)]

    async def collect(self, member_id: int, telegram_id: int) -> dict[str, Any]:
        """The relay's parts of the export, by name."""
        me = (member_id,)
        return {
            "questions_asked": await self._rows(
                "SELECT q.id, q.body, q.status, q.identity, q.asker_level AS shown_level, "
                "d.name AS shown_district, b.name AS shown_body, q.created_at, q.answered_at, "
                "q.closed_at, q.asker_archive, q.archived_at, t.code AS topic, "
                "(SELECT group_concat(f.name, '; ') FROM question_targets x "
                "JOIN factions f ON f.id = x.faction_id WHERE x.question_id = q.id) AS factions "
                "FROM questions q LEFT JOIN topics t ON t.id = q.topic_id "
                "LEFT JOIN territories d ON d.id = q.asker_district_id "
                "LEFT JOIN bodies b ON b.id = q.asker_body_id "
                "WHERE q.asker_id = ? ORDER BY q.id",
                me,
            ),
            "question_routing": await self._rows(
                "SELECT x.question_id, f.name AS faction, x.state, x.deadline, x.answered_at, x.reason "
                "FROM question_targets x JOIN factions f ON f.id = x.faction_id "
                f"WHERE x.question_id IN ({_MINE}) ORDER BY x.id",
                me,
            ),
            "answers_received": await self._rows(
                "SELECT a.question_id, f.name AS faction, "
                "CASE WHEN a.as_faction = 1 THEN NULL ELSE m.display_name END AS answered_by, "
                "a.body, a.created_at FROM question_answers a "
                "LEFT JOIN question_targets x ON x.id = a.target_id "
                "LEFT JOIN factions f ON f.id = x.faction_id LEFT JOIN members m ON m.id = a.author_id "
                f"WHERE a.kind = 'answer' AND a.question_id IN ({_MINE}) ORDER BY a.id",
                me,
            ),
            "question_answers_written": await self._rows(
                "SELECT question_id, kind, body, created_at FROM question_answers "
                "WHERE author_id = ? ORDER BY id",
                me,
            ),
            "question_messages": await self._rows(
                "SELECT x.question_id, c.title AS chat, qm.message_id, qm.side FROM question_messages qm "
                "JOIN question_targets x ON x.id = qm.target_id LEFT JOIN chats c ON c.chat_id = qm.chat_id "
                f"WHERE qm.chat_id = ? OR x.question_id IN ({_MINE}) ORDER BY qm.chat_id, qm.message_id",
                (telegram_id, member_id),
            ),
            "questions_claimed": await self._rows(
                "SELECT x.question_id, f.name AS faction, x.state, x.claimed_at FROM question_targets x "
                "JOIN factions f ON f.id = x.faction_id WHERE x.claimed_by = ? ORDER BY x.id",
                me,
            ),
            "faction_contact_for": await self._rows(
                "SELECT f.name AS faction, t.code AS topic FROM faction_contacts k "
                "JOIN factions f ON f.id = k.faction_id "
                "LEFT JOIN topics t ON t.id = k.topic_id WHERE k.member_id = ? ORDER BY k.id",
                me,
            ),
            "identity_reveals_about_you": await self._rows(
                "SELECT question_id, reason, revealed_at FROM question_reveals "
                f"WHERE question_id IN ({_MINE}) ORDER BY id",
                me,
            ),
            "identity_reveals_by_you": await self._rows(
                "SELECT question_id, reason, revealed_at FROM question_reveals "
                "WHERE coordinator_id = ? ORDER BY id",
                me,
            ),
        }

"""Everything stored about one person, gathered for `/meinedaten` (the erasure is `personal_data.py`).

Each part is a list of plain rows (the JSON export as it is; the readable document is rendered
from it by `lag_bot.membership.export`). The question relay's parts are `question_export.py`.

When a new table or column refers to a member, it must be read here: `tests/test_export.py`
walks every table of the migrated schema and fails for a member reference this module does not
read (or that its short allow-list does not explain).
"""

from __future__ import annotations

from typing import Any

from lag_bot.db import Database
from lag_bot.repositories.question_export import QuestionExport


class PersonalExportRepository:
    """Collects one person's rows across all tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def _rows(self, sql: str, params: tuple[object, ...]) -> list[dict[str, Any]]:
        return [dict(r) for r in await self.db.fetchall(sql, params)]

    async def collect(self, member_id: int, telegram_id: int) -> dict[str, Any]:
        """All rows about the person, as plain data for a JSON export."""
        member = await self.db.fetchone("SELECT * FROM members WHERE id = ?", (member_id,))
        me = (member_id,)
        places = await self.db.fetchall(
            "SELECT 'district' AS field, name FROM territories WHERE id = ? "
            "UNION ALL SELECT 'municipality', name FROM territories WHERE id = ?",
            (member["district_id"] if member else None, member["municipality_id"] if member else None),
        )
        return {
            "member": dict(member) if member else None,
            **await QuestionExport(self.db).collect(member_id, telegram_id),
            **await self._activity(member_id, telegram_id),
            "places": {r["field"]: r["name"] for r in places},
            "mandates": await self._rows(
                "SELECT m.id, b.name AS body, b.level, m.function, "
                "(SELECT group_concat(t.code) FROM mandate_topics mt JOIN topics t ON t.id = mt.topic_id "
                " WHERE mt.mandate_id = m.id) AS topics "
                "FROM mandates m JOIN bodies b ON b.id = m.body_id WHERE m.member_id = ? ORDER BY m.id",
                me,
            ),
            "topics": await self._rows(
                "SELECT t.code, t.name_de FROM member_topics mt JOIN topics t ON t.id = mt.topic_id "
                "WHERE mt.member_id = ? ORDER BY t.id",
                me,
            ),
            "consents": await self._rows(
                "SELECT version, granted, decided_at FROM consents WHERE telegram_id = ? ORDER BY id",
                (telegram_id,),
            ),
            "approval_cards": await self._rows(
                "SELECT CASE WHEN member_id = ? THEN 'subject' ELSE 'recipient' END AS part, "
                "message_id FROM approval_cards WHERE member_id = ? OR chat_id = ? ORDER BY message_id",
                (member_id, member_id, telegram_id),
            ),
            "open_dialogs": await self._rows(
                "SELECT kind, step, data, updated_at FROM dialogs WHERE telegram_id = ?", (telegram_id,)
            ),
            "audit_log": await self._rows(
                "SELECT at, action, CASE WHEN actor_id = ? THEN 'actor' ELSE 'subject' END AS part, "
                "detail FROM audit_log WHERE actor_id = ? OR target_id = ? ORDER BY id",
                (member_id, member_id, member_id),
            ),
        }

    async def _activity(self, member_id: int, telegram_id: int) -> dict[str, Any]:
        """What the person did and received: events, reminders, messages, invites, groups."""
        me, both = (member_id,), (member_id, member_id)
        return {
            "event_answers": await self._rows(
                "SELECT e.title, e.starts_at, r.answer, r.answered_at FROM rsvps r "
                "JOIN events e ON e.id = r.event_id WHERE r.member_id = ? ORDER BY e.starts_at, e.id",
                me,
            ),
            "shift_signups": await self._rows(
                "SELECT e.title, s.starts_at, s.ends_at, u.signed_at FROM shift_signups u "
                "JOIN shifts s ON s.id = u.shift_id JOIN events e ON e.id = s.event_id "
                "WHERE u.member_id = ? ORDER BY s.starts_at, s.id",
                me,
            ),
            "events_created": await self._rows(
                "SELECT id, title, kind, starts_at, status, created_at FROM events "
                "WHERE created_by = ? ORDER BY id",
                me,
            ),
            "reminders": await self._rows(
                "SELECT target_kind, body, rrule, tz, first_at, next_due, status, ack_every_min "
                "FROM reminders WHERE member_id = ? OR created_by = ? ORDER BY id",
                both,
            ),
            "reminders_confirmed": await self._rows(
                "SELECT r.body, a.occurrence, a.acked_at FROM reminder_acks a "
                "JOIN reminders r ON r.id = a.reminder_id WHERE a.member_id = ? ORDER BY a.acked_at",
                me,
            ),
            "broadcasts_created": await self._rows(
                "SELECT id, created_at, body_html, audience, status, scheduled_at, finished_at "
                "FROM broadcasts WHERE created_by = ? OR progress_chat_id = ? ORDER BY id",
                (member_id, telegram_id),
            ),
            "deliveries": await self._rows(
                "SELECT broadcast_id, kind, status, sent_at, read_at FROM deliveries "
                "WHERE member_id = ? OR chat_id = ? ORDER BY id",
                (member_id, telegram_id),
            ),
            "invites_created": await self._rows(
                "SELECT id, max_uses, uses, created_at, expires_at FROM invites "
                "WHERE created_by = ? ORDER BY id",
                me,
            ),
            "groups_linked": await self._rows(
                "SELECT title, link_kind, updated_at FROM chats WHERE linked_by = ? ORDER BY id", me
            ),
            "groups_you_are_in": await self._rows(
                "SELECT c.title FROM group_members g JOIN chats c ON c.id = g.group_id "
                "WHERE g.member_id = ? ORDER BY c.id",
                me,
            ),
            "group_removals": await self._rows(
                "SELECT r.reason, r.created_at, (SELECT group_concat(c.title, '; ') "
                "FROM group_removal_chats x JOIN chats c ON c.id = x.group_id WHERE x.removal_id = r.id) "
                "AS groups FROM group_removals r WHERE r.telegram_id = ? ORDER BY r.id",
                (telegram_id,),
            ),
        }

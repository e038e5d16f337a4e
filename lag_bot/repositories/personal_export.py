"""Everything stored about one person, gathered for `/meinedaten` (the erasure is `personal_data.py`).

When a new table holds personal data, it must be added here (the export coverage test walks every
table of the schema and fails otherwise).
"""

from __future__ import annotations

from typing import Any

from lag_bot.db import Database


class PersonalExportRepository:
    """Collects one person's rows across all tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def collect(self, member_id: int, telegram_id: int) -> dict[str, Any]:
        """All rows about the person, as plain data for a JSON export."""
        member = await self.db.fetchone("SELECT * FROM members WHERE id = ?", (member_id,))
        mandates = await self.db.fetchall(
            "SELECT m.id, b.name AS body, b.level, m.function, "
            "(SELECT group_concat(t.code) FROM mandate_topics mt JOIN topics t ON t.id = mt.topic_id "
            " WHERE mt.mandate_id = m.id) AS topics "
            "FROM mandates m JOIN bodies b ON b.id = m.body_id WHERE m.member_id = ? ORDER BY m.id",
            (member_id,),
        )
        topics = await self.db.fetchall(
            "SELECT t.code, t.name_de FROM member_topics mt JOIN topics t ON t.id = mt.topic_id "
            "WHERE mt.member_id = ? ORDER BY t.id",
            (member_id,),
        )
        consents = await self.db.fetchall(
            "SELECT version, granted, decided_at FROM consents WHERE telegram_id = ? ORDER BY id",
            (telegram_id,),
        )
        dialogs = await self.db.fetchall(
            "SELECT kind, step, data, updated_at FROM dialogs WHERE telegram_id = ?", (telegram_id,)
        )
        audit = await self.db.fetchall(
            "SELECT at, action, CASE WHEN actor_id = ? THEN 'actor' ELSE 'subject' END AS part, "
            "detail FROM audit_log WHERE actor_id = ? OR target_id = ? ORDER BY id",
            (member_id, member_id, member_id),
        )
        places = await self.db.fetchall(
            "SELECT 'district' AS field, name FROM territories WHERE id = ? "
            "UNION ALL SELECT 'municipality', name FROM territories WHERE id = ?",
            (member["district_id"] if member else None, member["municipality_id"] if member else None),
        )
        invites = await self.db.fetchall(
            "SELECT id, max_uses, uses, created_at, expires_at FROM invites WHERE created_by = ? ORDER BY id",
            (member_id,),
        )
        groups = await self.db.fetchall(
            "SELECT title, link_kind, updated_at FROM chats WHERE linked_by = ? ORDER BY id", (member_id,)
        )
        deliveries = await self.db.fetchall(
            "SELECT broadcast_id, kind, status, sent_at, read_at FROM deliveries "
            "WHERE member_id = ? ORDER BY id",
            (member_id,),
        )
        reminders = await self.db.fetchall(
            "SELECT target_kind, body, rrule, tz, first_at, next_due, status, ack_every_min FROM reminders "
            "WHERE member_id = ? OR created_by = ? ORDER BY id",
            (member_id, member_id),
        )
        acks = await self.db.fetchall(
            "SELECT r.body, a.occurrence, a.acked_at FROM reminder_acks a "
            "JOIN reminders r ON r.id = a.reminder_id WHERE a.member_id = ? ORDER BY a.acked_at",
            (member_id,),
        )
        rsvps = await self.db.fetchall(
            "SELECT e.title, e.starts_at, r.answer, r.answered_at FROM rsvps r "
            "JOIN events e ON e.id = r.event_id WHERE r.member_id = ? ORDER BY e.starts_at, e.id",
            (member_id,),
        )
        shifts = await self.db.fetchall(
            "SELECT e.title, s.starts_at, s.ends_at, u.signed_at FROM shift_signups u "
            "JOIN shifts s ON s.id = u.shift_id JOIN events e ON e.id = s.event_id "
            "WHERE u.member_id = ? ORDER BY s.starts_at, s.id",
            (member_id,),
        )
        questions = await self._questions(member_id)
        return {
            "member": dict(member) if member else None,
            **questions,
            "event_answers": [dict(r) for r in rsvps],
            "shift_signups": [dict(r) for r in shifts],
            "reminders": [dict(r) for r in reminders],
            "reminders_confirmed": [dict(r) for r in acks],
            "deliveries": [dict(r) for r in deliveries],
            "invites_created": [dict(r) for r in invites],
            "groups_linked": [dict(r) for r in groups],
            "places": {r["field"]: r["name"] for r in places},
            "mandates": [dict(r) for r in mandates],
            "topics": [dict(r) for r in topics],
            "consents": [dict(r) for r in consents],
            "open_dialogs": [dict(r) for r in dialogs],
            "audit_log": [dict(r) for r in audit],
        }

    async def _questions(self, member_id: int) -> dict[str, Any]:
        """The person's questions, what they wrote in threads, and their contact roles."""
        asked = await self.db.fetchall(
            "SELECT q.id, q.body, q.status, q.identity, q.created_at, q.answered_at, q.closed_at, "
            "q.asker_archive, q.archived_at, t.code AS topic, "
            "(SELECT group_concat(f.name, '; ') FROM question_targets x "
            "JOIN factions f ON f.id = x.faction_id WHERE x.question_id = q.id) AS factions "
            "FROM questions q LEFT JOIN topics t ON t.id = q.topic_id "
            "WHERE q.asker_id = ? ORDER BY q.id",
            (member_id,),
        )
        written = await self.db.fetchall(
            "SELECT question_id, kind, body, created_at FROM question_answers "
            "WHERE author_id = ? ORDER BY id",
            (member_id,),
        )
        contacts = await self.db.fetchall(
            "SELECT f.name AS faction, t.code AS topic FROM faction_contacts k "
            "JOIN factions f ON f.id = k.faction_id "
            "LEFT JOIN topics t ON t.id = k.topic_id WHERE k.member_id = ? ORDER BY k.id",
            (member_id,),
        )
        reveals = await self.db.fetchall(
            "SELECT r.question_id, r.reason, r.revealed_at FROM question_reveals r JOIN questions q "
            "ON q.id = r.question_id WHERE q.asker_id = ? ORDER BY r.id",
            (member_id,),
        )
        return {
            "questions_asked": [dict(r) for r in asked],
            "question_answers_written": [dict(r) for r in written],
            "faction_contact_for": [dict(r) for r in contacts],
            "identity_reveals_about_you": [dict(r) for r in reveals],
        }

"""Everything stored about one person, gathered for export and deleted for erasure.

When a new table holds personal data, it must be added here (the erasure test scans every
table for the person's Telegram id and fails otherwise).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from lag_bot.db import Database
from lag_bot.repositories.others_dialogs import OthersDialogs
from lag_bot.repositories.question_personal import QuestionPersonalData, SentCard

# A name she used this long is looked for in what others were sent ("Ute" too, "Al" not).
_SHORTEST_NAME = 3


class PersonalDataRepository:
    """Collects and erases one person's rows across all tables."""

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
        questions = await QuestionPersonalData(self.db).collect(member_id)
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

    async def erase(
        self, member_id: int | None, telegram_id: int, known_as: Sequence[str] = ()
    ) -> list[SentCard]:
        """Delete the person from every table (call inside a transaction). `known_as`: names she
        used besides the stored one (her Telegram name, username). Returns the cards of her
        questions in the factions' chats, for the caller to strip."""
        # First, while their questions still point at them (see question_personal.py).
        cards = await QuestionPersonalData(self.db).erase(member_id, telegram_id)
        name = None
        if member_id is not None:
            name = await self.db.fetchval("SELECT display_name FROM members WHERE id = ?", (member_id,))
        names = [str(name or ""), *known_as]
        await OthersDialogs(self.db).clear_mentions(telegram_id, member_id, names)
        if member_id is not None:
            # Delivered notices to others that name them (an answer "von Fraktion … (Name)", a
            # forward or reveal notice) are kept for the reports, but without the text.
            for used in {n.strip() for n in names if len(n.strip()) >= _SHORTEST_NAME}:
                await self.db.execute(
                    "UPDATE deliveries SET parts = '[]' WHERE kind LIKE 'question%' "
                    "AND status NOT IN ('pending', 'sending') AND instr(parts, ?) > 0",
                    (json.dumps(html.escape(used, quote=False))[1:-1],),  # as stored in `parts`
                )
            # mandates, topics, approval cards, event answers and shift sign-ups about the member go
            # by ON DELETE CASCADE;
            # audit entries, invites and group links keep their row with the reference set NULL.
            await self.db.execute("DELETE FROM members WHERE id = ?", (member_id,))
        await self.db.execute("DELETE FROM consents WHERE telegram_id = ?", (telegram_id,))
        await self.db.execute("DELETE FROM dialogs WHERE telegram_id = ?", (telegram_id,))
        # A coordinator's progress messages pointed at their private chat.
        await self.db.execute(
            "UPDATE broadcasts SET progress_chat_id = NULL, progress_message_id = NULL "
            "WHERE progress_chat_id = ?",
            (telegram_id,),
        )
        # Approval cards that were sent to this person (as a coordinator) point at their chat.
        await self.db.execute("DELETE FROM approval_cards WHERE chat_id = ?", (telegram_id,))
        return cards

    async def stored_people(self) -> list[tuple[int, int | None, str]]:
        """(Telegram id, member id, since when stored) of everyone the database holds something of:
        members since they joined, others since their oldest consent or dialog."""
        rows = await self.db.fetchall(
            "SELECT telegram_id, id, created_at FROM members UNION ALL "
            "SELECT telegram_id, NULL, min(at) FROM ("
            " SELECT telegram_id, decided_at AS at FROM consents UNION ALL"
            " SELECT telegram_id, updated_at FROM dialogs) "
            "WHERE telegram_id NOT IN (SELECT telegram_id FROM members) GROUP BY telegram_id"
        )
        return [(int(r[0]), None if r[1] is None else int(r[1]), str(r[2])) for r in rows]

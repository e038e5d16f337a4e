"""A person's data in the question relay, erased for `/austreten` (called from
`PersonalDataRepository`; the export is `personal_export.py`).

Erasure: the questions a member asked go, unless they are in the archive; archived ones stay without
any trace of the asker (no link, no district or level, no follow-ups, no reveal records), and the
outbox copies that showed who asked are deleted. Answers they wrote for a faction stay with the
faction's name only (the author link is set NULL by the foreign key).
"""

from __future__ import annotations

from dataclasses import dataclass

from lag_bot.db import Database

_THREAD_KINDS = "('question', 'question-followup', 'question-answer')"


@dataclass(frozen=True)
class SentCard:
    """A card of the person's question that a faction's chat holds: to be edited to the anonymous form."""

    chat_id: int
    message_id: int
    question_id: int
    language: str | None  # the recipient's, if the chat is a member's private chat


class QuestionPersonalData:
    """Erases one person's rows of the question relay."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def erase(self, member_id: int | None, telegram_id: int) -> list[SentCard]:
        """Remove the person from the relay (inside the erasure's transaction, before the member row);
        return the cards of her questions in the factions' chats (named or not: each still shows who
        asked, or the pseudonym, and her question), whose links go with the question or stay
        (archived) but whose text the caller strips."""
        await self.db.execute("DELETE FROM question_messages WHERE chat_id = ?", (telegram_id,))
        if member_id is None:
            return []
        rows = await self.db.fetchall(
            "SELECT m.chat_id, m.message_id, x.question_id, "
            "(SELECT language FROM members WHERE telegram_id = m.chat_id) AS language "
            "FROM question_messages m JOIN question_targets x ON x.id = m.target_id "
            "JOIN questions q ON q.id = x.question_id "
            "WHERE q.asker_id = ? AND m.side = 'faction' ORDER BY m.chat_id, m.message_id",
            (member_id,),
        )
        cards = [SentCard(int(r[0]), int(r[1]), int(r[2]), r[3]) for r in rows]
        targets = (
            "SELECT x.id FROM question_targets x JOIN questions q ON q.id = x.question_id "
            "WHERE q.asker_id = ?"
        )
        await self.db.execute(
            f"DELETE FROM deliveries WHERE kind IN {_THREAD_KINDS} AND ref_id IN ({targets})", (member_id,)
        )
        await self.db.execute(
            f"DELETE FROM reminders WHERE target_kind = 'question' AND ref_id IN ({targets})", (member_id,)
        )
        await self.db.execute(
            "DELETE FROM questions WHERE asker_id = ? AND archived_at IS NULL", (member_id,)
        )
        mine = "SELECT id FROM questions WHERE asker_id = ?"
        await self.db.execute(f"DELETE FROM question_reveals WHERE question_id IN ({mine})", (member_id,))
        await self.db.execute(
            f"DELETE FROM question_answers WHERE kind = 'followup' AND question_id IN ({mine})", (member_id,)
        )
        await self.db.execute(
            "UPDATE questions SET asker_id = NULL, identity = 'anonymous', asker_district_id = NULL, "
            "asker_level = NULL, asker_body_id = NULL WHERE asker_id = ?",
            (member_id,),
        )
        return cards

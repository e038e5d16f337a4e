"""Everything stored about one person, deleted for erasure (the export is `personal_export.py`).

When a new table holds personal data, it must be added here (the erasure test scans every
table for the person's Telegram id and fails otherwise).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from lag_bot.db import Database
from lag_bot.repositories.others_dialogs import OthersDialogs
from lag_bot.repositories.question_personal import QuestionPersonalData, SentCard

# A name she used this long is looked for in what others were sent ("Ute" too, "Al" not).
_SHORTEST_NAME = 3


class PersonalDataRepository:
    """Erases one person's rows across all tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

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

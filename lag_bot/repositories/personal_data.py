"""Everything stored about one person, deleted for erasure (the export is `personal_export.py`).

When a new table holds personal data, it must be added here (the erasure test scans every
table for the person's Telegram id and fails otherwise).
"""

from __future__ import annotations

import html
import json

from lag_bot.db import Database
from lag_bot.repositories.question_personal import QuestionPersonalData


class PersonalDataRepository:
    """Erases one person's rows across all tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def erase(self, member_id: int | None, telegram_id: int) -> None:
        """Delete the person from every table (call inside a transaction)."""
        # First, while their questions still point at them (see question_personal.py).
        await QuestionPersonalData(self.db).erase(member_id, telegram_id)
        if member_id is not None:
            # Delivered notices to others that name them (an answer "von Fraktion … (Name)", a
            # forward or reveal notice) are kept for the reports, but without the text.
            name = await self.db.fetchval("SELECT display_name FROM members WHERE id = ?", (member_id,))
            if name:
                await self.db.execute(
                    "UPDATE deliveries SET parts = '[]' WHERE kind LIKE 'question%' "
                    "AND status NOT IN ('pending', 'sending') AND instr(parts, ?) > 0",
                    (json.dumps(html.escape(str(name), quote=False))[1:-1],),  # as stored in `parts`
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

"""Approval cards: which coordinator holds which card about an applicant (`approval_cards`)."""

from __future__ import annotations

from lag_bot.db import Database


class ApprovalCardRepository:
    """Reads and writes `approval_cards`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_approval_card(self, member_id: int, chat_id: int, message_id: int) -> None:
        """Remember an approval card sent to a coordinator."""
        await self.db.execute(
            "INSERT OR IGNORE INTO approval_cards (member_id, chat_id, message_id) VALUES (?, ?, ?)",
            (member_id, chat_id, message_id),
        )

    async def approval_cards(self, member_id: int) -> list[tuple[int, int]]:
        """The (chat_id, message_id) of the approval cards about the member."""
        rows = await self.db.fetchall(
            "SELECT chat_id, message_id FROM approval_cards WHERE member_id = ?", (member_id,)
        )
        return [(r[0], r[1]) for r in rows]

    async def take_approval_cards(self, member_id: int) -> list[tuple[int, int]]:
        """Return and forget the (chat_id, message_id) of the member's approval cards."""
        rows = await self.db.fetchall(
            "SELECT chat_id, message_id FROM approval_cards WHERE member_id = ?", (member_id,)
        )
        await self.db.execute("DELETE FROM approval_cards WHERE member_id = ?", (member_id,))
        return [(r[0], r[1]) for r in rows]

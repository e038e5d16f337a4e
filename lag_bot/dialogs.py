"""Where people are in multi-step dialogs: the one service handlers use to open, read, save and
close them. Each call is its own transaction (or joins the caller's, if one is open)."""

from __future__ import annotations

from typing import Any

from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.models import Dialog
from lag_bot.repositories.dialogs import DialogRepository


class Dialogs:
    """Open, get, save and clear a person's dialog (keyed by Telegram id)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.repo = DialogRepository(db)

    async def get(self, telegram_id: int) -> Dialog | None:
        """The person's open dialog, if any."""
        return await self.repo.get(telegram_id)

    async def open(
        self, telegram_id: int, kind: str, step: str, data: dict[str, Any] | None = None
    ) -> Dialog:
        """Start a dialog (replacing any open one) and return it."""
        dialog = Dialog(telegram_id, kind, step, data or {})
        await self.save(dialog)
        return dialog

    async def save(self, dialog: Dialog) -> None:
        """Store where someone is in a dialog (replacing the earlier state)."""
        async with self.db.transaction():
            await self.repo.put(dialog, iso(self.clock()))

    async def clear(self, telegram_id: int) -> bool:
        """Close someone's open dialog; whether there was one."""
        async with self.db.transaction():
            return await self.repo.clear(telegram_id)

"""Multi-step dialog state, kept in the database so a restart loses no one's place."""

from __future__ import annotations

import json

from lag_bot.db import Database
from lag_bot.models import Dialog


class DialogRepository:
    """Reads and writes `dialogs`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, telegram_id: int) -> Dialog | None:
        """The person's open dialog, if any."""
        row = await self.db.fetchone(
            "SELECT kind, step, data FROM dialogs WHERE telegram_id = ?", (telegram_id,)
        )
        return Dialog(telegram_id, row[0], row[1], json.loads(row[2])) if row else None

    async def put(self, dialog: Dialog, now: str) -> None:
        """Store the dialog's state (replacing any earlier one)."""
        await self.db.execute(
            "INSERT INTO dialogs (telegram_id, kind, step, data, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(telegram_id) DO UPDATE SET kind = excluded.kind, step = excluded.step, "
            "data = excluded.data, updated_at = excluded.updated_at",
            (dialog.telegram_id, dialog.kind, dialog.step, json.dumps(dialog.data), now),
        )

    async def clear(self, telegram_id: int) -> bool:
        """End the person's dialog; True if there was one."""
        return await self.db.execute("DELETE FROM dialogs WHERE telegram_id = ?", (telegram_id,)) > 0

"""The audit log of privileged actions."""

from __future__ import annotations

import json
from collections.abc import Mapping

from lag_bot.db import Database


class AuditRepository:
    """Reads and writes `audit_log`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self,
        now: str,
        actor_id: int | None,
        action: str,
        target_id: int | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """Append one entry; `detail` must not hold names or Telegram ids."""
        await self.db.execute(
            "INSERT INTO audit_log (at, actor_id, action, target_id, detail) VALUES (?, ?, ?, ?, ?)",
            (now, actor_id, action, target_id, json.dumps(dict(detail or {}), sort_keys=True)),
        )

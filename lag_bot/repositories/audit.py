"""The audit log of privileged actions."""

from __future__ import annotations

import json
from collections.abc import Mapping

from lag_bot.db import Database
from lag_bot.models import AuditEntry


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

    async def recent(self, limit: int = 50) -> list[AuditEntry]:
        """The newest entries first."""
        rows = await self.db.fetchall(
            "SELECT id, at, actor_id, action, target_id, detail FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

    async def about(self, member_id: int) -> list[AuditEntry]:
        """Entries where the member acted or was acted upon."""
        rows = await self.db.fetchall(
            "SELECT id, at, actor_id, action, target_id, detail FROM audit_log "
            "WHERE actor_id = ? OR target_id = ? ORDER BY id",
            (member_id, member_id),
        )
        return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]

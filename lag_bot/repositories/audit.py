"""The audit log of privileged actions."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from lag_bot.db import Database


def audience_detail(audience_json: str, recipients: int) -> dict[str, object]:
    """What an entry about a message to many holds: how many it reached and the audience spec
    itself (members all or a segment by district, level, body, topic, role ids; groups)."""
    return {"recipients": recipients, "audience": json.loads(audience_json)}


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

    async def last_actor(self, target_id: int, actions: Sequence[str]) -> int | None:
        """Who last took one of `actions` on the target (None: nobody, or an admin without a profile)."""
        marks = ", ".join("?" for _ in actions)
        value = await self.db.fetchval(
            f"SELECT actor_id FROM audit_log WHERE target_id = ? AND action IN ({marks}) "
            "ORDER BY id DESC LIMIT 1",
            (target_id, *actions),
        )
        return int(value) if value is not None else None

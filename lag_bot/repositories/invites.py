"""Invite links: only a hash of each code is stored."""

from __future__ import annotations

from lag_bot.db import Database
from lag_bot.models import Invite


class InviteRepository:
    """Reads and writes `invites`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, code_hash: str, created_by: int | None, max_uses: int, now: str, expires_at: str
    ) -> int:
        """Store a new invite; return its id."""
        return await self.db.execute(
            "INSERT INTO invites (code_hash, created_by, max_uses, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (code_hash, created_by, max_uses, now, expires_at),
        )

    async def by_hash(self, code_hash: str) -> Invite | None:
        """The invite with this code hash, if any."""
        row = await self.db.fetchone(
            "SELECT id, max_uses, uses, created_at, expires_at FROM invites WHERE code_hash = ?",
            (code_hash,),
        )
        return Invite(row[0], row[1], row[2], row[3], row[4]) if row else None

    async def use(self, invite_id: int, now: str) -> bool:
        """Count one use, atomically; False if it is used up or expired."""
        changed = await self.db.execute(
            "UPDATE invites SET uses = uses + 1 WHERE id = ? AND uses < max_uses AND expires_at > ?",
            (invite_id, now),
        )
        return changed == 1

"""How many active members a pseudonym fits: the crowd a pseudonymous asker hides in."""

from __future__ import annotations

from lag_bot.db import Database

# A member's level as a pseudonym describes it: that of their most local mandate ('' for none).
_MOST_LOCAL_LEVEL = (
    "COALESCE((SELECT CASE min(CASE b.level WHEN 'gemeinde' THEN 0 WHEN 'kreis' THEN 1 ELSE 2 END) "
    "WHEN 0 THEN 'gemeinde' WHEN 1 THEN 'kreis' WHEN 2 THEN 'land' END "
    "FROM mandates md JOIN bodies b ON b.id = md.body_id WHERE md.member_id = m.id), '')"
)


class PseudonymRepository:
    """Counts the active members behind a description."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def matches(self, district_id: int | None, level: str | None) -> int:
        """Active members in `district_id` (None: anywhere) whose most local mandate is at `level`
        (None: no mandate)."""
        value = await self.db.fetchval(
            f"SELECT count(*) FROM members m WHERE m.status = 'active' "
            f"AND (? IS NULL OR m.district_id = ?) AND {_MOST_LOCAL_LEVEL} = ?",
            (district_id, district_id, level or ""),
        )
        return int(value or 0)

    async def active(self) -> int:
        """All active members."""
        return int(await self.db.fetchval("SELECT count(*) FROM members WHERE status = 'active'") or 0)

"""The coordinators' member list: members by status, district, level, topic and name."""

from __future__ import annotations

from dataclasses import dataclass

from lag_bot.db import Database
from lag_bot.models import Level, Member, Status
from lag_bot.repositories.members import COLUMNS, member_of


@dataclass(frozen=True)
class MemberFilter:
    """What a coordinator narrows the member list to."""

    status: Status | None = None
    district_id: int | None = None
    level: Level | None = None
    topic_id: int | None = None
    search: str | None = None


class MemberSearchRepository:
    """Reads `members` (with their mandates and topics) through a `MemberFilter`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def page(self, flt: MemberFilter, limit: int, offset: int) -> tuple[list[Member], int]:
        """One page of members matching the filter, and how many match in all."""
        where, params = _where(flt)
        total = int(await self.db.fetchval(f"SELECT count(*) FROM members m {where}", params))
        rows = await self.db.fetchall(
            f"SELECT {COLUMNS} FROM members m {where} "
            "ORDER BY display_name COLLATE NOCASE, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [member_of(r) for r in rows], total


def _where(flt: MemberFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if flt.status is not None:
        clauses.append("m.status = ?")
        params.append(flt.status.value)
    if flt.district_id is not None:
        clauses.append("m.district_id = ?")
        params.append(flt.district_id)
    if flt.level is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM mandates x JOIN bodies b ON b.id = x.body_id "
            "WHERE x.member_id = m.id AND b.level = ?)"
        )
        params.append(flt.level.value)
    if flt.topic_id is not None:
        clauses.append(
            "(EXISTS (SELECT 1 FROM member_topics t WHERE t.member_id = m.id AND t.topic_id = ?) "
            "OR EXISTS (SELECT 1 FROM mandates x JOIN mandate_topics mt ON mt.mandate_id = x.id "
            "WHERE x.member_id = m.id AND mt.topic_id = ?))"
        )
        params.extend([flt.topic_id, flt.topic_id])
    if flt.search:
        clauses.append("m.display_name LIKE ? ESCAPE '\\' COLLATE NOCASE")
        escaped = flt.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

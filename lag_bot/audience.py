"""Who receives a broadcast: members (all or a segment) and linked groups.

    spec = AudienceSpec(members="segment", segment=Segment(districts=frozenset({3})), groups="all")
    recipients = await AudienceRepository(db).resolve(spec)

A segment narrows members by district, level, body, topic and role: inside one dimension any
value matches, across dimensions all must (district 3 or 4, and level Kreistag). Only active
members who are reachable count; groups only while the bot is in them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lag_bot.db import Database

MEMBER_CHOICES = ("all", "segment", "none")
GROUP_CHOICES = ("none", "all", "kinds", "picked")


@dataclass(frozen=True)
class Segment:
    """A filter over members; empty dimensions do not filter."""

    districts: frozenset[int] = frozenset()
    levels: frozenset[str] = frozenset()
    bodies: frozenset[int] = frozenset()
    topics: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()

    def is_empty(self) -> bool:
        """Whether no dimension is set (the segment is everyone)."""
        return not (self.districts or self.levels or self.bodies or self.topics or self.roles)


@dataclass(frozen=True)
class AudienceSpec:
    """Members and groups a message goes to."""

    members: str = "all"
    segment: Segment = field(default_factory=Segment)
    groups: str = "none"
    group_kinds: frozenset[str] = frozenset()
    group_ids: frozenset[int] = frozenset()

    def to_json(self) -> str:
        """The stored form."""
        seg = self.segment
        return json.dumps(
            {
                "members": self.members,
                "groups": self.groups,
                "segment": {
                    k: sorted(getattr(seg, k)) for k in ("districts", "levels", "bodies", "topics", "roles")
                },
                "group_kinds": sorted(self.group_kinds),
                "group_ids": sorted(self.group_ids),
            }
        )

    @classmethod
    def from_json(cls, raw: str) -> AudienceSpec:
        """Read the stored form."""
        data: dict[str, Any] = json.loads(raw)
        seg = data.get("segment", {})
        return cls(
            members=data.get("members", "all"),
            segment=Segment(
                **{k: frozenset(seg.get(k, [])) for k in ("districts", "levels", "bodies", "topics", "roles")}
            ),
            groups=data.get("groups", "none"),
            group_kinds=frozenset(data.get("group_kinds", [])),
            group_ids=frozenset(data.get("group_ids", [])),
        )


@dataclass(frozen=True)
class Recipient:
    """One chat to deliver to."""

    chat_id: int
    member_id: int | None = None
    group_id: int | None = None
    thread_id: int | None = None
    language: str = ""  # "" for groups: they get the default language


class AudienceRepository:
    """Turns an audience into recipients (the SQL for segments lives here)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def resolve(self, spec: AudienceSpec) -> list[Recipient]:
        """Every current recipient of the audience, members first, each chat once."""
        found: list[Recipient] = []
        if spec.members != "none":
            segment = spec.segment if spec.members == "segment" else Segment()
            where, params = _segment_sql(segment)
            rows = await self.db.fetchall(
                "SELECT m.id, m.telegram_id, m.language FROM members m WHERE m.status = 'active' "
                f"AND m.unreachable_at IS NULL {where} ORDER BY m.id",
                params,
            )
            found.extend(Recipient(chat_id=r[1], member_id=r[0], language=r[2]) for r in rows)
        if spec.groups != "none":
            rows = await self.db.fetchall(
                "SELECT id, chat_id, link_kind, thread_id FROM chats "
                "WHERE active = 1 AND link_kind IS NOT NULL ORDER BY id"
            )
            for row in rows:
                if spec.groups == "kinds" and row[2] not in spec.group_kinds:
                    continue
                if spec.groups == "picked" and row[0] not in spec.group_ids:
                    continue
                found.append(Recipient(chat_id=row[1], group_id=row[0], thread_id=row[3]))
        return found


def _in(column: str, values: frozenset[Any]) -> tuple[str, list[Any]]:
    ordered = sorted(values)
    return f"{column} IN ({', '.join('?' for _ in ordered)})", list(ordered)


def _segment_sql(segment: Segment) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if segment.districts:
        sql, values = _in("m.district_id", segment.districts)
        clauses.append(sql)
        params += values
    if segment.roles:
        sql, values = _in("m.role", segment.roles)
        clauses.append(sql)
        params += values
    if segment.levels:
        sql, values = _in("b.level", segment.levels)
        clauses.append(
            "EXISTS (SELECT 1 FROM mandates x JOIN bodies b ON b.id = x.body_id "
            f"WHERE x.member_id = m.id AND {sql})"
        )
        params += values
    if segment.bodies:
        sql, values = _in("x.body_id", segment.bodies)
        clauses.append(f"EXISTS (SELECT 1 FROM mandates x WHERE x.member_id = m.id AND {sql})")
        params += values
    if segment.topics:
        sql1, values1 = _in("t.topic_id", segment.topics)
        sql2, values2 = _in("mt.topic_id", segment.topics)
        clauses.append(
            f"(EXISTS (SELECT 1 FROM member_topics t WHERE t.member_id = m.id AND {sql1}) OR EXISTS "
            "(SELECT 1 FROM mandates x JOIN mandate_topics mt ON mt.mandate_id = x.id "
            f"WHERE x.member_id = m.id AND {sql2}))"
        )
        params += values1 + values2
    return "".join(f" AND {c}" for c in clauses), params

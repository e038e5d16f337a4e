"""Members, their mandates and their topics (the member list's search: `member_search.py`; approval
cards: `member_approval_cards.py`)."""

from __future__ import annotations

import json

import aiosqlite

from lag_bot.db import Database
from lag_bot.models import Mandate, Member, ProfileDetails, Role, Status

COLUMNS = (
    "id, telegram_id, display_name, language, status, role, district_id, municipality_id, "
    "directory_opt_in, created_at, status_changed_at, joined_via_invite"
)
# Only these columns may be set through `update_fields`; the names are never user input.
_EDITABLE = frozenset({"display_name", "language", "district_id", "municipality_id", "directory_opt_in"})


def member_of(row: aiosqlite.Row) -> Member:
    return Member(
        id=row["id"],
        telegram_id=row["telegram_id"],
        display_name=row["display_name"],
        language=row["language"],
        status=Status(row["status"]),
        role=Role(row["role"]),
        district_id=row["district_id"],
        municipality_id=row["municipality_id"],
        directory_opt_in=bool(row["directory_opt_in"]),
        created_at=row["created_at"],
        status_changed_at=row["status_changed_at"],
        joined_via_invite=row["joined_via_invite"],
    )


class MemberRepository:
    """Reads and writes `members`, `mandates`, `mandate_topics` and `member_topics`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def by_telegram_id(self, telegram_id: int) -> Member | None:
        """The member with this Telegram id, if any."""
        row = await self.db.fetchone(f"SELECT {COLUMNS} FROM members WHERE telegram_id = ?", (telegram_id,))
        return member_of(row) if row else None

    async def get(self, member_id: int) -> Member | None:
        """The member with this internal id, if any."""
        row = await self.db.fetchone(f"SELECT {COLUMNS} FROM members WHERE id = ?", (member_id,))
        return member_of(row) if row else None

    async def create(self, telegram_id: int, language: str, now: str, role: Role = Role.MEMBER) -> Member:
        """Create a member in onboarding (called only after consent)."""
        await self.db.execute(
            "INSERT INTO members (telegram_id, language, role, created_at, status_changed_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (telegram_id, language, role.value, now, now),
        )
        member = await self.by_telegram_id(telegram_id)
        assert member is not None
        return member

    async def update_fields(self, member_id: int, **fields: object) -> None:
        """Set profile fields (names checked against a fixed list)."""
        unknown = set(fields) - _EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        assignments = ", ".join(f"{name} = ?" for name in fields)
        await self.db.execute(f"UPDATE members SET {assignments} WHERE id = ?", (*fields.values(), member_id))

    async def set_status(
        self, member_id: int, status: Status, now: str, *, expect: tuple[Status, ...] = ()
    ) -> bool:
        """Change the status; with `expect`, only from one of those (False if it was not)."""
        sql = "UPDATE members SET status = ?, status_changed_at = ? WHERE id = ?"
        params: list[object] = [status.value, now, member_id]
        if expect:
            sql += f" AND status IN ({', '.join('?' for _ in expect)})"
            params.extend(s.value for s in expect)
        return await self.db.execute(sql, params) == 1

    async def set_invite(self, member_id: int, invite_id: int) -> None:
        """Remember that the member came through an invite (so no approval is needed)."""
        await self.db.execute("UPDATE members SET joined_via_invite = ? WHERE id = ?", (invite_id, member_id))

    async def set_unreachable(self, member_id: int, now: str | None) -> None:
        """Mark the member's chat unreachable (a 403), or reachable again (`now` None)."""
        async with self.db.transaction():
            await self.db.execute("UPDATE members SET unreachable_at = ? WHERE id = ?", (now, member_id))

    async def unreachable_telegram_ids(self) -> set[int]:
        """Telegram ids of members whose chat answered 403."""
        rows = await self.db.fetchall("SELECT telegram_id FROM members WHERE unreachable_at IS NOT NULL")
        return {int(r[0]) for r in rows}

    async def set_role(self, member_id: int, role: Role) -> None:
        """Change the stored role."""
        await self.db.execute("UPDATE members SET role = ? WHERE id = ?", (role.value, member_id))

    async def with_role_at_least(self, role: Role) -> list[Member]:
        """Active members whose stored role is `role` or higher."""
        roles = [r.value for r in Role if r.rank >= role.rank]
        rows = await self.db.fetchall(
            f"SELECT {COLUMNS} FROM members WHERE status = 'active' AND role IN "
            f"({', '.join('?' for _ in roles)}) ORDER BY id",
            roles,
        )
        return [member_of(r) for r in rows]

    async def mandates(self, member_id: int) -> list[Mandate]:
        """The member's mandates with their topics."""
        rows = await self.db.fetchall(
            "SELECT m.id, m.member_id, m.body_id, m.function, group_concat(t.topic_id) AS topics "
            "FROM mandates m LEFT JOIN mandate_topics t ON t.mandate_id = m.id "
            "WHERE m.member_id = ? GROUP BY m.id ORDER BY m.id",
            (member_id,),
        )
        return [
            Mandate(
                row["id"],
                row["member_id"],
                row["body_id"],
                row["function"],
                tuple(sorted(int(t) for t in row["topics"].split(","))) if row["topics"] else (),
            )
            for row in rows
        ]

    async def details(self, member_id: int, telegram_id: int) -> ProfileDetails:
        """Topics, mandates and the latest consent, in one query (every profile view needs them)."""
        found = await self.with_details(telegram_id)
        if found is None or found[0].id != member_id:
            return ProfileDetails((), (), None, None)
        return found[1]

    async def with_details(self, telegram_id: int) -> tuple[Member, ProfileDetails] | None:
        """The member and their profile details in one query (one trip to the database thread)."""
        row = await self.db.fetchone(
            f"SELECT {COLUMNS}, "
            "(SELECT json_group_array(topic_id) FROM member_topics WHERE member_id = m.id) AS topics_json, "
            "(SELECT json_group_array(json_object('id', x.id, 'body', x.body_id, 'function', x.function, "
            "  'topics', (SELECT json_group_array(topic_id) FROM mandate_topics WHERE mandate_id = x.id))) "
            "  FROM mandates x WHERE x.member_id = m.id) AS mandates_json, "
            "(SELECT json_array(version, decided_at) FROM consents WHERE telegram_id = m.telegram_id "
            "  AND granted = 1 ORDER BY id DESC LIMIT 1) AS consent_json "
            "FROM members m WHERE m.telegram_id = ?",
            (telegram_id,),
        )
        if row is None:
            return None
        member = member_of(row)
        consent = json.loads(row["consent_json"]) if row["consent_json"] else [None, None]
        mandates = sorted(json.loads(row["mandates_json"]), key=lambda m: m["id"])
        details = ProfileDetails(
            topic_ids=tuple(sorted(json.loads(row["topics_json"]))),
            mandates=tuple(
                Mandate(m["id"], member.id, m["body"], m["function"], tuple(sorted(m["topics"])))
                for m in mandates
            ),
            consent_version=consent[0],
            consent_at=consent[1],
        )
        return member, details

    async def add_mandate(
        self, member_id: int, body_id: int, function: str, topic_ids: tuple[int, ...]
    ) -> None:
        """Add or replace the member's mandate in one body."""
        await self.db.execute(
            "DELETE FROM mandates WHERE member_id = ? AND body_id = ?", (member_id, body_id)
        )
        mandate_id = await self.db.execute(
            "INSERT INTO mandates (member_id, body_id, function) VALUES (?, ?, ?)",
            (member_id, body_id, function),
        )
        await self.db.executemany(
            "INSERT INTO mandate_topics (mandate_id, topic_id) VALUES (?, ?)",
            [(mandate_id, t) for t in topic_ids],
        )

    async def remove_mandates(self, member_id: int) -> None:
        """Delete all of the member's mandates."""
        await self.db.execute("DELETE FROM mandates WHERE member_id = ?", (member_id,))

    async def topic_ids(self, member_id: int) -> tuple[int, ...]:
        """The member's topics of interest."""
        rows = await self.db.fetchall(
            "SELECT topic_id FROM member_topics WHERE member_id = ? ORDER BY topic_id", (member_id,)
        )
        return tuple(r[0] for r in rows)

    async def set_topics(self, member_id: int, topic_ids: tuple[int, ...]) -> None:
        """Replace the member's topics of interest."""
        await self.db.execute("DELETE FROM member_topics WHERE member_id = ?", (member_id,))
        await self.db.executemany(
            "INSERT INTO member_topics (member_id, topic_id) VALUES (?, ?)",
            [(member_id, t) for t in topic_ids],
        )

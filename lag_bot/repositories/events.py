"""Events, their cancelled dates and groups, and their rows in `reminders`.

Writes happen inside the caller's transaction. Times are stored as UTC ISO text and come back
as aware datetimes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import aiosqlite

from lag_bot.audience import AudienceSpec, Recipient
from lag_bot.clock import iso
from lag_bot.db import Database
from lag_bot.events.draft import EventDraft
from lag_bot.events.models import Event, MemberFacets

# Only these columns may be set through `update`; the names are never user input.
_EDITABLE = frozenset(
    [
        "title",
        "kind",
        "starts_at",
        "ends_at",
        "tz",
        "rrule",
        "place",
        "link",
        "description",
        "capacity",
        "deadline",
        "remind_offsets",
        "remind_maybe",
        "shift_alert_days",
    ]
)
_EVENT = (
    "SELECT e.*, (SELECT json_group_array(occurrence) FROM event_exdates WHERE event_id = e.id) AS exdates, "
    "(SELECT json_group_array(group_id) FROM event_groups WHERE event_id = e.id) AS group_ids FROM events e"
)


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _event(r: aiosqlite.Row) -> Event:
    return Event(
        id=r["id"],
        uid=r["uid"],
        sequence=r["sequence"],
        title=r["title"],
        kind=r["kind"],
        starts_at=datetime.fromisoformat(r["starts_at"]),
        ends_at=datetime.fromisoformat(r["ends_at"]),
        tz=r["tz"],
        rrule=r["rrule"],
        place=r["place"],
        link=r["link"],
        description=r["description"],
        audience=AudienceSpec.from_json(r["audience"]),
        capacity=r["capacity"],
        deadline=_time(r["deadline"]),
        remind_offsets=tuple(int(m) for m in r["remind_offsets"].split(",") if m),
        remind_maybe=bool(r["remind_maybe"]),
        shift_alert_days=r["shift_alert_days"],
        status=r["status"],
        created_by=r["created_by"],
        created_at=r["created_at"],
        updated_at=r["updated_at"],
        exdates=tuple(sorted(datetime.fromisoformat(x) for x in json.loads(r["exdates"]))),
        group_ids=tuple(sorted(json.loads(r["group_ids"]))),
    )


def columns(draft: EventDraft) -> dict[str, Any]:
    """The stored form of the editable fields of a draft."""
    return {
        "title": draft.title,
        "kind": draft.kind,
        "starts_at": iso(draft.starts_at),
        "ends_at": iso(draft.ends_at),
        "tz": draft.tz,
        "rrule": draft.rrule,
        "place": draft.place,
        "link": draft.link,
        "description": draft.description,
        "capacity": draft.capacity,
        "deadline": iso(draft.deadline) if draft.deadline else None,
        "remind_offsets": ",".join(str(m) for m in draft.remind_offsets),
        "remind_maybe": int(draft.remind_maybe),
        "shift_alert_days": draft.shift_alert_days,
    }


class EventRepository:
    """Reads and writes `events`, `event_exdates`, `event_groups` and the event rows of `reminders`
    (answers: `AnswerRepository`, shifts: `ShiftRepository`)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- events ---

    async def create(self, draft: EventDraft, uid: str, created_by: int | None, now: str) -> int:
        """Store a published event; return its id."""
        fields = columns(draft)
        fields.update(uid=uid, audience=draft.audience.to_json(), created_by=created_by)
        fields.update(created_at=now, updated_at=now)
        names = ", ".join(fields)
        event_id = await self.db.execute(
            f"INSERT INTO events ({names}) VALUES ({', '.join('?' for _ in fields)})", list(fields.values())
        )
        return event_id

    async def get(self, event_id: int) -> Event | None:
        """One event."""
        row = await self.db.fetchone(f"{_EVENT} WHERE e.id = ?", (event_id,))
        return _event(row) if row else None

    async def update(self, event_id: int, fields: dict[str, Any], now: str) -> None:
        """Change fields (stored form, see `columns`) and raise the sequence."""
        unknown = set(fields) - _EDITABLE
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        assignments = "".join(f"{name} = ?, " for name in fields)
        await self.db.execute(
            f"UPDATE events SET {assignments}sequence = sequence + 1, updated_at = ? WHERE id = ?",
            (*fields.values(), now, event_id),
        )

    async def cancel(self, event_id: int, now: str) -> bool:
        """Mark a published event cancelled (raising the sequence); False if it was already."""
        return (
            await self.db.execute(
                "UPDATE events SET status = 'cancelled', sequence = sequence + 1, updated_at = ? "
                "WHERE id = ? AND status = 'published'",
                (now, event_id),
            )
            == 1
        )

    async def add_exdate(self, event_id: int, occurrence: str, now: str) -> bool:
        """Cancel one date of a series (raising the sequence); False if it was already."""
        known = await self.db.fetchval(
            "SELECT count(*) FROM event_exdates WHERE event_id = ? AND occurrence = ?", (event_id, occurrence)
        )
        if known:
            return False
        await self.db.execute(
            "INSERT INTO event_exdates (event_id, occurrence) VALUES (?, ?)", (event_id, occurrence)
        )
        await self.db.execute(
            "UPDATE events SET sequence = sequence + 1, updated_at = ? WHERE id = ?", (now, event_id)
        )
        return True

    async def add_groups(self, event_id: int, group_ids: Iterable[int]) -> None:
        """Remember the groups an event was announced to."""
        await self.db.executemany(
            "INSERT OR IGNORE INTO event_groups (event_id, group_id) VALUES (?, ?)",
            [(event_id, g) for g in group_ids],
        )

    async def current(self, now: str) -> list[Event]:
        """Published events not over yet (series: all; the caller looks for a next date)."""
        rows = await self.db.fetchall(
            f"{_EVENT} WHERE e.status = 'published' AND (e.rrule IS NOT NULL OR e.ends_at > ?) "
            "ORDER BY e.starts_at, e.id",
            (now,),
        )
        return [_event(r) for r in rows]

    async def current_of_group(self, group_id: int, now: str) -> list[Event]:
        """Published events not over yet that were announced to a group."""
        rows = await self.db.fetchall(
            f"{_EVENT} WHERE e.status = 'published' AND (e.rrule IS NOT NULL OR e.ends_at > ?) "
            "AND e.id IN (SELECT event_id FROM event_groups WHERE group_id = ?) ORDER BY e.starts_at, e.id",
            (now, group_id),
        )
        return [_event(r) for r in rows]

    async def group_recipients(self, event_id: int) -> list[Recipient]:
        """The event's groups the bot is still in (to their forum topic)."""
        rows = await self.db.fetchall(
            "SELECT c.id, c.chat_id, c.thread_id FROM event_groups g JOIN chats c ON c.id = g.group_id "
            "WHERE g.event_id = ? AND c.active = 1 ORDER BY c.id",
            (event_id,),
        )
        return [Recipient(chat_id=r[1], group_id=r[0], thread_id=r[2]) for r in rows]

    async def facets(self, member_id: int) -> MemberFacets | None:
        """District, role, levels, bodies and topics of a member (for segment checks)."""
        row = await self.db.fetchone(
            "SELECT m.district_id, m.role, "
            "(SELECT json_group_array(b.level) FROM mandates x JOIN bodies b ON b.id = x.body_id "
            " WHERE x.member_id = m.id) AS levels, "
            "(SELECT json_group_array(body_id) FROM mandates WHERE member_id = m.id) AS bodies, "
            "(SELECT json_group_array(topic_id) FROM ("
            " SELECT topic_id FROM member_topics WHERE member_id = m.id"
            " UNION SELECT mt.topic_id FROM mandates x JOIN mandate_topics mt ON mt.mandate_id = x.id "
            " WHERE x.member_id = m.id)) AS topics FROM members m WHERE m.id = ?",
            (member_id,),
        )
        if row is None:
            return None
        return MemberFacets(
            row["district_id"],
            row["role"],
            frozenset(json.loads(row["levels"])),
            frozenset(json.loads(row["bodies"])),
            frozenset(json.loads(row["topics"])),
        )

    # --- reminder rows ---

    async def delete_reminders(self, event_id: int) -> None:
        """Remove an event's reminder rows (they are rebuilt after a change)."""
        await self.db.execute(
            "DELETE FROM reminders WHERE target_kind = 'event' AND event_id = ?", (event_id,)
        )

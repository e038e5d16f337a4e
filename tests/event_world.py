"""A small world for the events tests: the real services on a SQLite file, invented members in two
districts, a linked forum group, and helpers to read what went into the outbox."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from lag_bot.audience import AudienceSpec, Segment
from lag_bot.authorization import Actor
from lag_bot.clock import iso
from lag_bot.events.draft import EventDraft
from lag_bot.events.service import Events
from lag_bot.models import Member, Role, Status
from lag_bot.repositories.chats import ChatRepository
from lag_bot.services import Services
from lag_bot.settings import Secret, Settings
from tests.harness import TestClock

BERLIN = ZoneInfo("Europe/Berlin")
ROSTOCK = "Landkreis Rostock"
GREIFSWALD = "Landkreis Vorpommern-Greifswald"
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def berlin(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Berlin."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def draft(**overrides: Any) -> EventDraft:
    """The LAG session on 3 December 2026, 18–20 Uhr in Güstrow, for all members."""
    base = EventDraft(
        title="LAG-Sitzung Dezember",
        kind="sitzung",
        starts_at=berlin(2026, 12, 3, 18),
        ends_at=berlin(2026, 12, 3, 20),
        place="Bürgerhaus Güstrow",
        description="Haushalt 2027 und Wärmeplanung",
        audience=AudienceSpec(members="all"),
    )
    return replace(base, **overrides)


@dataclass(frozen=True)
class Delivery:
    """One outbox row, decoded."""

    chat_id: int
    kind: str
    thread_id: int | None
    text: str
    buttons: list[tuple[str, str]]


@dataclass
class World:
    """The services and a few people."""

    services: Services
    clock: TestClock
    coordinator: Actor
    districts: dict[str, int] = field(default_factory=dict)
    next_telegram_id: int = 5000

    @property
    def events(self) -> Events:
        return self.services.events

    async def member(
        self, name: str, district: str = ROSTOCK, language: str = "de", role: Role = Role.MEMBER
    ) -> Member:
        """An active member with a district."""
        repo = self.services.members
        self.next_telegram_id += 1
        async with self.services.db.transaction():
            member = await repo.create(self.next_telegram_id, language, iso(NOW), role)
            await repo.update_fields(member.id, display_name=name, district_id=self.districts[district])
            await repo.set_status(member.id, Status.ACTIVE, iso(NOW))
        found = await repo.get(member.id)
        assert found is not None
        return found

    async def group(self, chat_id: int, title: str, thread_id: int | None = None) -> int:
        """A forum group linked to the whole LAG; returns its id in `chats`."""
        chats = ChatRepository(self.services.db)
        async with self.services.db.transaction():
            await chats.joined(chat_id, title, "supergroup", thread_id is not None, iso(NOW))
            await chats.link(chat_id, "lag", None, None, None, iso(NOW), thread_id)
        found = await chats.get(chat_id)
        assert found is not None
        return found.id

    async def sent(self, kind: str | None = None) -> list[Delivery]:
        """The outbox rows (of one kind), oldest first."""
        rows = await self.services.db.fetchall(
            "SELECT chat_id, kind, thread_id, parts FROM deliveries WHERE ? IS NULL OR kind = ? ORDER BY id",
            (kind, kind),
        )
        found = []
        for r in rows:
            parts = json.loads(r["parts"])
            buttons = [(str(b[0]), str(b[1])) for p in parts for b in p.get("buttons", [])]
            found.append(Delivery(r[0], r[1], r[2], "\n".join(p["text"] for p in parts), buttons))
        return found

    async def reminder_dues(self, event_id: int) -> dict[str, datetime]:
        """The event's active reminder rows: body → next due (in Berlin)."""
        rows = await self.services.db.fetchall(
            "SELECT body, next_due FROM reminders WHERE event_id = ? AND status = 'active'", (event_id,)
        )
        return {r[0]: datetime.fromisoformat(r[1]).astimezone(BERLIN) for r in rows}

    async def segment(self, district: str) -> AudienceSpec:
        """Members of one district, and every linked group."""
        return AudienceSpec(
            members="segment", segment=Segment(districts=frozenset({self.districts[district]})), groups="all"
        )

    def at(self, moment: datetime) -> None:
        """Move the clock."""
        self.clock.now = moment.astimezone(UTC)

    def later(self, **delta: float) -> None:
        """Move the clock on."""
        self.clock.now += timedelta(**delta)


@asynccontextmanager
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """Open the services on a fresh database (migrated and seeded) with a coordinator."""
    clock = TestClock(NOW)
    settings = Settings(bot_token=Secret("1:x"), database_path=tmp_path / "events.sqlite3")
    services = await Services.open(settings, clock=clock)
    try:
        rows = await services.db.fetchall("SELECT id, name FROM territories WHERE kind = 'landkreis'")
        w = World(services, clock, Actor(0, None, None), {r[1]: r[0] for r in rows})
        coordinator = await w.member("Konrad Koordinator", role=Role.COORDINATOR)
        w.coordinator = Actor(coordinator.telegram_id, coordinator, Role.COORDINATOR)
        yield w
    finally:
        await services.close()


def member_actor(member: Member) -> Actor:
    """A plain member acting."""
    return Actor(member.telegram_id, member, Role.MEMBER)

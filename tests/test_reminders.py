"""Firing reminders into the outbox: on time, once, late within the grace period, missed beyond it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lag_bot.audience import AudienceSpec
from lag_bot.authorization import Actor
from lag_bot.clock import iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed
from lag_bot.i18n import Catalog
from lag_bot.migrate import apply_migrations
from lag_bot.models import Member, Role, Status
from lag_bot.reminders.rules import Target
from lag_bot.reminders.service import FireReport, Reminders
from lag_bot.repositories.members import MemberRepository
from lag_bot.timeparse.parse import parse_when
from tests.harness import TestClock
from tests.texts import CATALOG, fragment, line

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "reminders.sqlite3")
    await apply_migrations(database)
    yield database
    await database.close()


async def _member(db: Database, telegram_id: int, name: str) -> Member:
    repo = MemberRepository(db)
    async with db.transaction():
        member = await repo.create(telegram_id, "de", iso(datetime.now(UTC)))
        await repo.update_fields(member.id, display_name=name)
        await repo.set_status(member.id, Status.ACTIVE, iso(datetime.now(UTC)))
    found = await repo.get(member.id)
    assert found is not None
    return found


async def _texts_sent(db: Database) -> list[tuple[int, str, str]]:
    rows = await db.fetchall("SELECT chat_id, kind, parts FROM deliveries ORDER BY id")
    return [(r[0], r[1], json.loads(r[2])[0]["text"]) for r in rows]


def _actor(member: Member, role: Role = Role.MEMBER) -> Actor:
    return Actor(member.telegram_id, member, role)


async def test_one_off_fires_once_at_its_time(db: Database) -> None:
    clock = TestClock(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    reminders = Reminders(db, clock, Catalog.load())
    olga = await _member(db, 3001, "Olga")
    when = parse_when("morgen 18:00 Kreistag <vorbereiten>", now=clock(), tz=BERLIN)
    await reminders.create(_actor(olga), Target("member", member_id=olga.id), when, when.rest)
    assert await reminders.fire_due() == FireReport()  # not yet
    clock.now = datetime(2026, 11, 22, 17, 0, 0, tzinfo=UTC)  # 18:00 in Berlin
    assert await reminders.fire_due() == FireReport(sent=1)
    assert await reminders.fire_due() == FireReport()  # a second round (or a restart) sends nothing again
    escaped = CATALOG.t("de", "reminder-message", body="Kreistag <vorbereiten>")
    assert await _texts_sent(db) == [(3001, "reminder", escaped)]
    assert await reminders.next_due() is None


async def test_daily_keeps_local_time_across_the_dst_change(db: Database) -> None:
    clock = TestClock(datetime(2027, 3, 26, 12, 0, tzinfo=UTC))
    reminders = Reminders(db, clock, Catalog.load())
    paul = await _member(db, 3002, "Paul")
    when = parse_when("täglich 8:00 Zeitung", now=clock(), tz=BERLIN)
    await reminders.create(_actor(paul), Target("member", member_id=paul.id), when, when.rest)
    fired_at = []
    for _ in range(4):
        due = await reminders.next_due()
        assert due is not None
        clock.now = due
        assert (await reminders.fire_due()).sent == 1
        fired_at.append(due.astimezone(UTC).strftime("%d. %H:%M"))
    # 08:00 in Berlin: 07:00 UTC in winter, 06:00 UTC from 28 March on.
    assert fired_at == ["27. 07:00", "28. 06:00", "29. 06:00", "30. 06:00"]


async def test_downtime_within_grace_is_late_beyond_is_reported(db: Database) -> None:
    clock = TestClock(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    reminders = Reminders(db, clock, Catalog.load(), grace=timedelta(hours=1))
    rita = await _member(db, 3003, "Rita")
    soon = parse_when("heute 11:00 Anruf", now=clock(), tz=BERLIN)
    daily = parse_when("täglich 10:30 Post", now=clock(), tz=BERLIN)
    await reminders.create(_actor(rita), Target("member", member_id=rita.id), soon, soon.rest)
    await reminders.create(_actor(rita), Target("member", member_id=rita.id), daily, daily.rest)
    # The bot was down from before 10:30 until 11:40 (Berlin): "Anruf" is 40 min late, "Post" 70 min.
    clock.now = datetime(2026, 11, 21, 10, 40, tzinfo=UTC)
    assert await reminders.fire_due() == FireReport(sent=1, late=1, missed=1)
    sent = await _texts_sent(db)
    assert sent[0][1] == "reminder-missed" and "Post" in sent[0][2]
    assert fragment("reminder-missed") in sent[0][2]
    assert sent[1][1] == "reminder" and "Anruf" in sent[1][2]
    assert fragment("reminder-message-late") in sent[1][2]
    following = await reminders.next_due()
    assert following is not None and following.astimezone(BERLIN).strftime("%d. %H:%M") == "22. 10:30"


async def test_who_may_create_what(db: Database) -> None:
    clock = TestClock(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    reminders = Reminders(db, clock, Catalog.load())
    uwe, vera = await _member(db, 3004, "Uwe"), await _member(db, 3005, "Vera")
    when = parse_when("morgen 9:00 x", now=clock(), tz=BERLIN)
    with pytest.raises(NotAllowed):
        await reminders.create(_actor(uwe), Target("member", member_id=vera.id), when, "x")
    with pytest.raises(NotAllowed):
        await reminders.create(_actor(uwe), Target("segment"), when, "x")
    with pytest.raises(InvalidInput):
        await reminders.create(_actor(uwe), Target("member", member_id=uwe.id), when, "   ")
    coordinator = _actor(uwe, Role.COORDINATOR)
    with pytest.raises(InvalidInput):  # a segment reminder needs its members, and goes to no groups
        await reminders.create(coordinator, Target("segment"), when, "x")
    with pytest.raises(InvalidInput):
        await reminders.create(coordinator, Target("segment", audience=AudienceSpec(groups="all")), when, "x")
    assert await reminders.create(coordinator, Target("segment", audience=AudienceSpec()), when, "x") > 0


async def test_group_admins_may_remind_their_group_only(db: Database) -> None:
    clock = TestClock(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    reminders = Reminders(db, clock, Catalog.load())
    wim = await _member(db, 3006, "Wim")
    when = parse_when("morgen 9:00 x", now=clock(), tz=BERLIN)
    with pytest.raises(NotAllowed):
        await reminders.create(_actor(wim), Target("group", group_id=1), when, "x")
    with pytest.raises(NotAllowed):  # the flag is about the group: it opens no segment
        await reminders.create(_actor(wim), Target("segment", by_group_admin=True), when, "x")
    stranger = Actor(999, None, None)
    with pytest.raises(NotAllowed):
        await reminders.create(stranger, Target("group", group_id=1, by_group_admin=True), when, "x")


async def test_acknowledged_reminder_repeats_until_confirmed(db: Database) -> None:
    clock = TestClock(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    reminders = Reminders(db, clock, Catalog.load())
    olga = await _member(db, 3010, "Olga")
    when = parse_when("täglich 10:00 Tabletten", now=clock(), tz=BERLIN)
    rid = await reminders.create(
        _actor(olga), Target("member", member_id=olga.id), when, when.rest, ack_every=180
    )
    clock.now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    assert await reminders.fire_due() == FireReport(sent=1)
    for hours in (3, 6):  # every three hours while unconfirmed
        clock.now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC) + timedelta(hours=hours)
        assert await reminders.fire_due() == FireReport(repeated=1)
        assert await reminders.fire_due() == FireReport()
    row = await reminders.get(rid)
    key = int(datetime(2026, 11, 22, 9, 0, tzinfo=UTC).timestamp() * 1000)
    with pytest.raises(NotAllowed):  # someone else's reminder
        await reminders.acknowledge(row, key, await _member(db, 3011, "Tom"), 3011)
    assert (await reminders.acknowledge(row, key, olga, 3010)).recorded
    assert not (await reminders.acknowledge(row, key, olga, 3010)).recorded
    clock.now += timedelta(hours=3)
    assert await reminders.fire_due() == FireReport()  # confirmed: no more repeats
    # Unconfirmed repeats stop when the next day's firing comes: it supersedes them.
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert await reminders.fire_due() == FireReport(sent=1)
    for hours in (3, 6, 9, 12, 15, 18, 21, 24):
        clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC) + timedelta(hours=hours)
        expected = FireReport(repeated=1) if hours < 24 else FireReport(sent=1)
        assert await reminders.fire_due() == expected, hours
    sent = [text for _, kind, text in await _texts_sent(db) if kind == "reminder-repeat"]
    repeat = line("reminder-message-repeat", body="Tabletten")
    assert len(sent) == 2 + 7 and all(t.startswith(repeat) for t in sent)

"""Retention: each rule deletes what is older than its limit, and nothing else (rows just inside the
limit stay); every deletion is counted in the log; features can register their own rules."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from lag_bot.audience import Recipient
from lag_bot.clock import iso, iso_ms
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part
from lag_bot.migrate import apply_migrations
from lag_bot.models import Dialog, Status
from lag_bot.operations.retention import Retention, core_rules
from lag_bot.repositories.consents import ConsentRepository
from lag_bot.repositories.dialogs import DialogRepository
from lag_bot.repositories.invites import InviteRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.outbox import OutboxRepository
from lag_bot.repositories.retention import RetentionRepository
from lag_bot.settings import RetentionDays
from tests.harness import TestClock

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "lag.sqlite3")
    await apply_migrations(database)
    yield database
    await database.close()


async def _retention(db: Database, clock: TestClock) -> Retention:
    retention = Retention(clock)
    core_rules(retention, RetentionRepository(db, clock), RetentionDays())
    return retention


async def _ids(db: Database, sql: str) -> set[int]:
    return {int(r[0]) for r in await db.fetchall(sql)}


async def test_deliveries_finished_more_than_90_days_ago_go(db: Database, clock: TestClock) -> None:
    now = clock()
    outbox = OutboxRepository(db)
    old, recent = now - 90 * DAY - HOUR, now - 90 * DAY + HOUR
    event_id = await db.execute(
        "INSERT INTO events (uid, title, kind, starts_at, ends_at, tz, audience, created_at, updated_at) "
        "VALUES ('e1@lag', 'Landesparteitag', 'konferenz', ?, ?, 'Europe/Berlin', '{}', ?, ?)",
        (iso(now + 30 * DAY), iso(now + 30 * DAY + 8 * HOUR), iso(old), iso(old)),
    )
    # chat id -> (kind, when enqueued, what happens to it)
    plan = {
        1: ("broadcast", old, "sent"),  # goes
        2: ("broadcast", recent, "sent"),  # stays: just inside the limit
        3: ("reminder", old, "failed"),  # goes
        4: ("reminder", old, "pending"),  # stays: never finished
        5: ("reminder", old, "sending"),  # stays: in flight
        6: ("event", old, "sent"),  # stays: the invitation of an event still to come
        7: ("broadcast", old, "unreachable"),  # goes
    }
    async with db.transaction():
        for chat_id, (kind, at, _) in plan.items():
            ref = event_id if kind == "event" else None
            await outbox.enqueue(
                kind, [Recipient(chat_id)], {"": [Part("text", "Hallo")]}, iso_ms(at), ref_id=ref
            )
    rows = {int(r[1]): int(r[0]) for r in await db.fetchall("SELECT id, chat_id FROM deliveries")}
    for chat_id, (_, at, status) in plan.items():
        if status == "sent":
            assert await outbox.start_attempt(rows[chat_id])
            await outbox.part_sent(rows[chat_id], 1, True, iso_ms(at))
        elif status == "sending":
            assert await outbox.start_attempt(rows[chat_id])
        elif status != "pending":
            await outbox.finish(rows[chat_id], status, "403")

    counts = await (await _retention(db, clock)).run()
    assert counts["deliveries"] == 3
    assert await _ids(db, "SELECT chat_id FROM deliveries") == {2, 4, 5, 6}

    # Once the event is over, its copies go too (when finished long enough ago).
    clock.advance(days=31)
    await (await _retention(db, clock)).run()
    assert await _ids(db, "SELECT chat_id FROM deliveries") == {4, 5}


async def test_only_unfinished_onboarding_is_erased_after_30_days(db: Database, clock: TestClock) -> None:
    now = clock()
    members, consents, dialogs = MemberRepository(db), ConsentRepository(db), DialogRepository(db)
    old, recent = iso(now - 30 * DAY - HOUR), iso(now - 30 * DAY + HOUR)
    people = {
        101: (Status.ONBOARDING, old, None),  # erased: left the wizard a month ago
        102: (Status.ONBOARDING, recent, None),  # stays: just inside the limit
        103: (Status.ONBOARDING, old, iso(now - 2 * DAY)),  # stays: still typing in the wizard
        104: (Status.PENDING, old, None),  # stays: finished, waiting for a coordinator
        105: (Status.ACTIVE, old, None),
        106: (Status.REJECTED, old, None),
        107: (Status.SUSPENDED, old, None),
    }
    for telegram_id, (status, at, dialog_at) in people.items():
        await consents.record(telegram_id, "v1", True, at)
        member = await members.create(telegram_id, "de", at)
        await members.set_status(member.id, status, at)
        if dialog_at is not None:
            await dialogs.put(Dialog(telegram_id, "onboarding", "district"), dialog_at)
    await consents.record(201, "v1", False, old)  # said no a month ago: the record goes
    await consents.record(202, "v1", False, recent)  # said no lately: stays
    await consents.record(105, "v0", False, old)  # a member's earlier "no" stays with the member

    counts = await (await _retention(db, clock)).run()
    assert (counts["pending-members"], counts["declined-consents"]) == (1, 1)
    assert await _ids(db, "SELECT telegram_id FROM members") == set(people) - {101}
    assert await _ids(db, "SELECT telegram_id FROM consents") == (set(people) - {101}) | {202}
    assert 101 not in await _ids(db, "SELECT telegram_id FROM dialogs")


async def test_expired_invites_and_idle_dialogs(db: Database, clock: TestClock) -> None:
    now = clock()
    invites, dialogs = InviteRepository(db), DialogRepository(db)
    created = iso(now - 100 * DAY)
    await invites.create("h-old", None, 5, created, iso(now - 30 * DAY - HOUR))  # goes
    await invites.create("h-recent", None, 5, created, iso(now - 30 * DAY + HOUR))  # stays
    await invites.create("h-valid", None, 5, created, iso(now + 7 * DAY))  # stays
    await dialogs.put(Dialog(301, "broadcast", "body"), iso(now - 30 * DAY - HOUR))  # goes
    await dialogs.put(Dialog(302, "broadcast", "body"), iso(now - 30 * DAY + HOUR))  # stays

    counts = await (await _retention(db, clock)).run()
    assert (counts["expired-invites"], counts["dialogs"]) == (1, 1)
    assert {str(r[0]) for r in await db.fetchall("SELECT code_hash FROM invites")} == {"h-recent", "h-valid"}
    assert await _ids(db, "SELECT telegram_id FROM dialogs") == {302}


async def test_every_rule_is_counted_in_the_log(
    db: Database, clock: TestClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="lag_bot.operations.retention")
    await DialogRepository(db).put(Dialog(301, "broadcast", "body"), iso(clock() - 31 * DAY))
    await (await _retention(db, clock)).run()
    lines = [r.getMessage() for r in caplog.records if r.name == "lag_bot.operations.retention"]
    assert lines == [
        "retention: deliveries: 0 deleted (older than 90 days)",
        "retention: pending-members: 0 deleted (older than 30 days)",
        "retention: declined-consents: 0 deleted (older than 30 days)",
        "retention: expired-invites: 0 deleted (older than 30 days)",
        "retention: dialogs: 1 deleted (older than 30 days)",
        "retention: 1 rows deleted in all",
    ]


@pytest.mark.expected_errors
async def test_registry_for_features(clock: TestClock, caplog: pytest.LogCaptureFixture) -> None:
    retention = Retention(clock)
    cutoffs: list[str] = []

    async def closed_questions(cutoff: str) -> int:
        cutoffs.append(cutoff)
        return 4

    async def broken(cutoff: str) -> int:
        raise RuntimeError("table is locked")

    retention.register("broken", 10, broken)
    retention.register("questions-closed", 365, closed_questions)
    retention.register("switched-off", 0, closed_questions)  # RETAIN_…_DAYS=0
    with pytest.raises(ValueError, match="twice"):
        retention.register("questions-closed", 30, closed_questions)
    assert [r.name for r in retention.rules] == ["broken", "questions-closed"]
    assert await retention.run() == {"questions-closed": 4}  # a broken rule does not stop the others
    assert cutoffs == [iso(clock() - 365 * DAY)]
    assert any(r.getMessage() == "retention: rule broken failed" for r in caplog.records)

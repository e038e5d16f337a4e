"""The sender's policy, against a scripted transport and a real SQLite outbox."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lag_bot.audience import Recipient
from lag_bot.clock import iso_ms, utc_now
from lag_bot.db import Database
from lag_bot.delivery.errors import (
    DeliveryError,
    Migrated,
    OutcomeUnknown,
    Rejected,
    RetryLater,
    Transient,
    Unreachable,
)
from lag_bot.delivery.message_parts import Part
from lag_bot.delivery.ratelimit import RateLimiter, SendLimits
from lag_bot.delivery.sender import Sender
from lag_bot.migrate import apply_migrations
from lag_bot.repositories.outbox import Delivery, OutboxRepository


class ScriptedTransport:
    """Records sends; raises the scripted errors for a chat, one per send, in order."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []
        self.script: dict[int, list[DeliveryError]] = {}

    async def send(self, chat_id: int, thread_id: int | None, part: Part) -> None:
        errors = self.script.get(chat_id)
        if errors:
            raise errors.pop(0)
        self.sent.append((chat_id, part.text))

    async def close(self) -> None:
        pass


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "outbox.sqlite3")
    await apply_migrations(database)
    yield database
    await database.close()


async def _enqueue(db: Database, chats: list[int], parts: list[Part]) -> None:
    async with db.transaction():
        await OutboxRepository(db).enqueue(
            "test", [Recipient(chat_id=c) for c in chats], {"": parts}, iso_ms(utc_now())
        )


async def _statuses(db: Database) -> dict[int, str]:
    return {r[0]: r[1] for r in await db.fetchall("SELECT chat_id, status FROM deliveries")}


def _sender(db: Database, transport: ScriptedTransport, **kw: object) -> Sender:
    limits = SendLimits(per_second=1000, per_chat_per_second=1000, per_group_per_minute=1000)
    return Sender(db, transport, RateLimiter(limits), utc_now, backoff_base=0.01, **kw)  # type: ignore[arg-type]


async def test_every_error_follows_the_policy(db: Database) -> None:
    transport = ScriptedTransport()
    transport.script = {
        2: [RetryLater(0.05)],
        3: [Transient("502"), Transient("502")],
        4: [Transient("502")] * 5,
        5: [Unreachable("Forbidden: bot was blocked by the user")],
        6: [OutcomeUnknown("timed out")],
        7: [OutcomeUnknown("timed out"), OutcomeUnknown("timed out")],
        8: [Rejected("can't parse entities")],
        9: [Migrated(90)],
    }
    unreachable: list[Delivery] = []
    migrations: list[tuple[int, int]] = []

    async def on_unreachable(row: Delivery) -> None:
        unreachable.append(row)

    async def on_migrated(old: int, new: int) -> None:
        migrations.append((old, new))

    await _enqueue(db, [1, 2, 3, 4, 5, 6, 7, 8, 9], [Part("text", "Hallo")])
    sender = _sender(db, transport, on_unreachable=on_unreachable, on_migrated=on_migrated)
    await sender.start()
    await sender.drained(10)
    await sender.stop()

    assert await _statuses(db) == {
        1: "sent",
        2: "sent",
        3: "sent",
        4: "failed",
        5: "unreachable",
        6: "sent",
        7: "failed",
        8: "failed",
        90: "sent",
    }
    assert Counter(chat for chat, _ in transport.sent) == {1: 1, 2: 1, 3: 1, 6: 1, 90: 1}
    assert [r.chat_id for r in unreachable] == [5] and migrations == [(9, 90)]
    duplicates = {
        r[0] for r in await db.fetchall("SELECT chat_id FROM deliveries WHERE possible_duplicate = 1")
    }
    assert duplicates == {6, 7}
    attempts = {r[0]: r[1] for r in await db.fetchall("SELECT chat_id, attempts FROM deliveries")}
    assert attempts[2] == 1  # the 429 did not count as an attempt
    assert attempts[4] == 5  # five transient failures, then it gave up


async def test_crash_mid_message_resumes_with_the_next_part(db: Database) -> None:
    await _enqueue(db, [1, 2], [Part("text", "Teil 1"), Part("text", "Teil 2")])
    outbox = OutboxRepository(db)
    # A crash after part 1 to chat 1 was confirmed, and while part 2 was in flight.
    first = (await outbox.due(iso_ms(utc_now()), 1))[0]
    await outbox.start_attempt(first.id)
    await outbox.part_sent(first.id, 1, False, iso_ms(utc_now()))
    transport = ScriptedTransport()
    sender = _sender(db, transport)
    await sender.start()
    await sender.drained(10)
    await sender.stop()
    assert sorted(transport.sent) == [(1, "Teil 2"), (2, "Teil 1"), (2, "Teil 2")]
    row = await db.fetchone("SELECT status, possible_duplicate FROM deliveries WHERE chat_id = 1")
    assert tuple(row) == ("sent", 1)


async def test_limits_are_kept(db: Database) -> None:
    transport = ScriptedTransport()
    stamps: list[float] = []
    original = transport.send

    async def timed(chat_id: int, thread_id: int | None, part: Part) -> None:
        stamps.append(asyncio.get_running_loop().time())
        await original(chat_id, thread_id, part)

    transport.send = timed  # type: ignore[method-assign]
    await _enqueue(db, list(range(1, 41)), [Part("text", "x")])
    limits = SendLimits(per_second=20, per_chat_per_second=1, per_group_per_minute=20)
    sender = Sender(db, transport, RateLimiter(limits), utc_now)
    await sender.start()
    await sender.drained(15)
    await sender.stop()
    assert len(stamps) == 40
    for i in range(len(stamps) - 20):
        assert stamps[i + 20] - stamps[i] >= 0.95  # never more than 20 in any second

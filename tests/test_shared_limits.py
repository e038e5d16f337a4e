"""One limiter for everything the bot sends: a broadcast, its preview and progress message, and the
replies to members who write meanwhile, together never go over Telegram's limits."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from pathlib import Path

import pytest

from bench.updates import FIRST_TELEGRAM_ID, seed_database
from lag_bot.delivery.ratelimit import SendLimits
from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import TestClock, running_bot
from tests.story import expect
from tests.test_broadcast import compose, copies, final_report, preview, send_now
from tests.texts import line

MEMBERS = 90
pytestmark = pytest.mark.usefixtures("running_clock")


@pytest.mark.timeout(60)
async def test_a_broadcast_and_replies_meanwhile_get_no_429(
    fake: FakeTelegram, tmp_path: Path, clock: TestClock
) -> None:
    await seed_database(tmp_path / "lag.sqlite3", MEMBERS, random.Random(5))
    with sqlite3.connect(tmp_path / "lag.sqlite3") as conn:  # the first member coordinates
        conn.execute("UPDATE members SET role = 'coordinator' WHERE telegram_id = ?", (FIRST_TELEGRAM_ID,))
    people: list[SimUser] = []
    for i in range(MEMBERS):
        person = fake.user(FIRST_TELEGRAM_ID + i, f"Mitglied {i}")
        person.started = True
        people.append(person)
    coordinator, writers = people[0], people[1:31]
    fake.rate_limits = True  # Telegram's limits, answered with 429 when broken
    async with running_bot(fake, tmp_path, clock, send_limits=SendLimits()) as bot:
        mark = "Einladung zum Fachforum Wärmeplanung"
        confirm = await preview(coordinator, await compose(coordinator, mark))
        progress = await send_now(coordinator, confirm)
        for person in writers:  # 30 members write while the broadcast goes out
            await person.send("/profil")
        await final_report(coordinator, progress, seconds=30)
        await asyncio.gather(*(expect(person, line("profile-show")) for person in writers))
        assert bot.services.sender is not None and await bot.services.sender.drained(10)
    assert [len(copies(p, mark)) for p in people[1:]] == [1] * (MEMBERS - 1)
    assert len(copies(coordinator, mark)) == 2  # the preview and the coordinator's own copy
    # Replies and the broadcast each within 30/s but counted apart would make dozens of 429s here; one
    # is the most a send that reached the fake late (a busy machine) may cause.
    flooded = [c for c in fake.calls if c.error_code == 429]
    assert len(flooded) <= 1, flooded

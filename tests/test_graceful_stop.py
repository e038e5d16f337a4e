"""SIGTERM in the middle of a broadcast (a real `lag-bot run` process): the stop is graceful.

About 6 s. 300 members (all started the bot in the fake) get a broadcast at 100 messages/s (the
fake's overall limit is raised with the bot's SEND_PER_SECOND, as in tests/test_crash.py). A
personal reminder for one member is due about 2 s after the first start: it fires before or after
the stop, and must arrive once either way.

1. When the fake has stored message number STOP_AT, the bot gets SIGTERM. It stops taking rows,
   lets the sends under way finish and records them, and exits 0: no row is left in 'sending'
   (which a restart would have to retry as a possible duplicate), and nothing more is sent.
2. The bot starts again and delivers the rest; SIGTERM again.
3. Every member got the broadcast exactly once, nothing is flagged as a possible duplicate, the
   report counts are right, and the reminder arrived exactly once.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bench.updates import FIRST_TELEGRAM_ID, seed_database
from lag_bot.audience import AudienceSpec
from lag_bot.authorization import Actor
from lag_bot.broadcasts.model import Draft
from lag_bot.broadcasts.service import Broadcasts
from lag_bot.clock import utc_now
from lag_bot.db import Database
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.emulator import server as fake_server
from lag_bot.i18n import Catalog
from lag_bot.migrate import apply_migrations
from lag_bot.models import Role
from lag_bot.reminders.rules import Target
from lag_bot.reminders.service import Reminders
from lag_bot.repositories.members import MemberRepository
from lag_bot.timeparse.parse import OneOff
from tests.bot_process import query, start_bot, stop_bot, until
from tests.harness import ADMIN_ID

Handler = Callable[[FakeTelegram, dict[str, Any]], Awaitable[Any]]
MEMBERS = 300
RATE = 100.0
STOP_AT = MEMBERS // 3
BODY = "<b>Landesversammlung</b>\n\nAm Samstag in Güstrow."
REMINDER = "Antrag zur Kita-Satzung einreichen"


class TermAtSend:
    """Wraps the fake's sendMessage: SIGTERM to the bot right after storing message number `at`."""

    def __init__(self, handler: Handler, at: int) -> None:
        self.handler = handler
        self.at = at
        self.stored = 0
        self.proc: asyncio.subprocess.Process | None = None

    async def __call__(self, fake: FakeTelegram, params: dict[str, Any]) -> Any:
        result = await self.handler(fake, params)
        self.stored += 1
        if self.stored == self.at and self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
        return result


async def _seed(path: Path) -> int:
    """MEMBERS members, a broadcast to all, and a reminder for the first member; the broadcast id."""
    await seed_database(path, MEMBERS, random.Random(5))
    db = await Database.open(path)
    try:
        await apply_migrations(db)
        actor = Actor(ADMIN_ID, None, Role.ADMIN)
        draft = Draft(body_html=BODY, audience=AudienceSpec(members="all"))
        broadcast_id = await Broadcasts(db, utc_now).create(actor, draft, read_labels={})
        due = (utc_now() + timedelta(seconds=2)).astimezone(ZoneInfo("Europe/Berlin"))
        first = await MemberRepository(db).get(1)
        assert first is not None
        await Reminders(db, utc_now, Catalog.load()).create(
            Actor(first.telegram_id, first, Role.MEMBER),
            Target("member", member_id=1),
            OneOff(due, REMINDER),
            REMINDER,
        )
        return broadcast_id
    finally:
        await db.close()


def _count(path: Path, where: str) -> int:
    return int(str(query(path, f"SELECT count(*) FROM deliveries WHERE {where}")[0][0]))


@pytest.mark.timeout(90)
async def test_sigterm_mid_broadcast_loses_and_repeats_nothing(
    fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "lag.sqlite3"
    broadcast_id = await _seed(db_path)
    users: list[SimUser] = []
    for i in range(MEMBERS):
        user = fake.user(FIRST_TELEGRAM_ID + i, f"Mitglied {i}")
        user.started = True
        users.append(user)
    fake.rate_limits = True
    fake.limiter.global_per_second = int(RATE)
    sends = TermAtSend(fake_server._HANDLERS["sendmessage"], STOP_AT)
    monkeypatch.setitem(fake_server._HANDLERS, "sendmessage", sends)
    log_path = tmp_path / "bot.log"
    env = {"SEND_PER_SECOND": str(RATE), "LOG_LEVEL": "WARNING"}
    with log_path.open("ab") as log:
        proc = sends.proc = await start_bot(fake, tmp_path, log, **env)
        try:
            await asyncio.wait_for(proc.wait(), timeout=60)
        finally:
            first_status = await stop_bot(proc)
        assert first_status == 0, log_path.read_text()[-3000:]
        assert sends.stored >= STOP_AT
        stored_at_stop = sends.stored
        # Graceful: the sends under way were finished and recorded; nothing was left in flight.
        assert _count(db_path, "status = 'sending'") == 0
        assert _count(db_path, "status = 'sent'") == stored_at_stop
        assert 0 < _count(db_path, "status = 'pending'") < MEMBERS

        proc = await start_bot(fake, tmp_path, log, **env)
        try:
            await until(
                lambda: (
                    _count(db_path, "status IN ('pending', 'sending')") == 0
                    and any(REMINDER in m.text for m in users[0].messages)
                ),
                60,
                "the outbox to drain",
                interval=0.2,
            )
        finally:
            second_status = await stop_bot(proc)
    output = log_path.read_text()
    assert second_status == 0, output[-3000:]
    assert "interrupted sends retried" not in output

    broadcasts = [sum("Landesversammlung" in m.text for m in u.messages) for u in users]
    assert broadcasts == [1] * MEMBERS
    assert sum(REMINDER in m.text for m in users[0].messages) == 1
    assert _count(db_path, "possible_duplicate = 1") == 0
    report = query(
        db_path, "SELECT status, count(*) FROM deliveries WHERE broadcast_id = ? GROUP BY 1", (broadcast_id,)
    )
    assert report == [("sent", MEMBERS)]

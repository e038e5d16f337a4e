"""Crash test: the bot process is killed with SIGKILL in the middle of a 1,000-recipient broadcast.

SLOW (about 8 s on 2 cores): it runs the real `python -m composition run` twice against the fake API with
rate limits on. To keep CI time sane both sides run at RATE = 250 messages/s instead of Telegram's
30 (the fake's overall limit and the bot's SEND_PER_SECOND are raised together); the per-chat
limits stay as they are. What is shown does not depend on the rate:

1. 1,000 active members, all of whom started the bot in the fake, one of whom blocked it; a
   broadcast to all members is created directly on the database before the bot starts.
2. The bot starts; when the fake has just stored message number KILL_AT (about a third), the
   process gets SIGKILL before the answer leaves the fake: that send certainly arrived, and the
   bot cannot know it (the worst case a crash can leave: its row stays in 'sending').
3. The rows left in 'sending' are the sends that were in flight (at most SEND_CONCURRENCY).
4. The bot starts again, drains the outbox, and stops with SIGTERM.
5. Nobody reachable was missed, the blocked member got nothing and is unreachable, the members
   who got the message twice are at most the sends in flight (and each is flagged as a possible
   duplicate), and the report counts are right.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any

import pytest

from bench.updates import FIRST_TELEGRAM_ID, seed_database
from lag_bot.audience import AudienceSpec
from lag_bot.authorization import Actor
from lag_bot.broadcasts.model import Draft, Report
from lag_bot.broadcasts.service import Broadcasts
from lag_bot.clock import utc_now
from lag_bot.db import Database
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.emulator import server as fake_server
from lag_bot.migrate import apply_migrations
from lag_bot.models import Role
from tests.harness import ADMIN_ID, TOKEN

Handler = Callable[[FakeTelegram, dict[str, Any]], Awaitable[Any]]
ROOT = Path(__file__).resolve().parent.parent
MEMBERS = 1000
BLOCKED = 500  # member index of the one who blocked the bot (their turn comes after the restart)
RATE = 250.0  # messages/s on both sides (Telegram: 30); see the module docstring
CONCURRENCY = 8  # SEND_CONCURRENCY: the bound for sends in flight
KILL_AT = MEMBERS // 3  # successful sendMessage calls seen by the fake before the SIGKILL
BODY = "<b>Einladung zur Landesversammlung</b>\n\nAm Samstag in Güstrow, Beginn 10 Uhr."


class KillAtSend:
    """Wraps the fake's sendMessage: counts the messages it stored and SIGKILLs the bot right after
    storing number `at`, before the answer is written (so that send's outcome is unknown to the bot)."""

    def __init__(self, handler: Handler, at: int) -> None:
        self.handler = handler
        self.at = at
        self.stored = 0
        self.proc: asyncio.subprocess.Process | None = None
        self.killed_chat: int | None = None

    async def __call__(self, fake: FakeTelegram, params: dict[str, Any]) -> Any:
        result = await self.handler(fake, params)  # raises (403, …) when nothing was stored
        self.stored += 1
        if self.stored == self.at and self.proc is not None and self.proc.returncode is None:
            self.killed_chat = int(params["chat_id"])
            self.proc.kill()
            await self.proc.wait()  # only a dead bot gets this answer: the outcome stays unknown to it
        return result


async def _seed(path: Path) -> int:
    """The database with MEMBERS members and one broadcast to all of them; returns its id."""
    await seed_database(path, MEMBERS, random.Random(3))
    db = await Database.open(path)
    try:
        await apply_migrations(db)
        actor = Actor(ADMIN_ID, None, Role.ADMIN)
        draft = Draft(body_html=BODY, audience=AudienceSpec(members="all"))
        return await Broadcasts(db, utc_now).create(actor, draft, read_labels={})
    finally:
        await db.close()


async def _report(path: Path, broadcast_id: int) -> Report:
    """The broadcast's report, read like the bot reads it."""
    db = await Database.open(path)
    try:
        return await Broadcasts(db, utc_now).report(broadcast_id)
    finally:
        await db.close()


def _query(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """A read with a fresh connection (the bot's process may just have been killed)."""
    with contextlib.closing(sqlite3.connect(path, timeout=5)) as conn:
        return conn.execute(sql, params).fetchall()


def _count(path: Path, where: str) -> int:
    """Deliveries matching `where`."""
    return int(str(_query(path, f"SELECT count(*) FROM deliveries WHERE {where}")[0][0]))


def _unfinished(path: Path) -> int:
    """Rows still to send (pending, or in flight)."""
    return _count(path, "status IN ('pending', 'sending')")


def _statuses(path: Path) -> list[tuple[object, ...]]:
    """Rows per status and last error, for failure messages."""
    return _query(path, "SELECT status, last_error, count(*) FROM deliveries GROUP BY 1, 2")


def _open_log(path: Path) -> IO[bytes]:
    """The bot's output file (both runs append)."""
    return path.open("ab")


async def _start_bot(fake: FakeTelegram, tmp_path: Path, log: IO[bytes]) -> asyncio.subprocess.Process:
    """`python -m composition run` against the fake, with the database in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "ADMIN_", "TELEGRAM_", "SEND_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        BOT_TOKEN=TOKEN,
        DATABASE_PATH=str(tmp_path / "lag.sqlite3"),
        TELEGRAM_API_BASE_URL=fake.base_url,
        TELEGRAM_FILE_BASE_URL=fake.base_file_url,
        LOG_LEVEL="WARNING",  # the output goes to a file: a full pipe would stall the bot
        SEND_PER_SECOND=str(RATE),
        SEND_CONCURRENCY=str(CONCURRENCY),
    )
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "composition", "run", cwd=tmp_path, env=env, stdout=log, stderr=log
    )


async def _until(condition: Callable[[], bool], seconds: float, what: str, interval: float) -> None:
    """Poll `condition` until it holds, or fail naming `what`."""
    for _ in range(int(seconds / interval)):
        if condition():
            return
        await asyncio.sleep(interval)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


@pytest.mark.timeout(120)
async def test_sigkill_mid_broadcast_misses_nobody(
    fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SLOW (~8 s): SIGKILL at a third of a 1,000-recipient broadcast, restart, check everyone."""
    db_path = tmp_path / "lag.sqlite3"
    broadcast_id = await _seed(db_path)
    users: dict[int, SimUser] = {}
    for i in range(MEMBERS):
        user = fake.user(FIRST_TELEGRAM_ID + i, f"Mitglied {i}")
        user.started = True  # as if each had written to the bot before
        users[FIRST_TELEGRAM_ID + i] = user
    blocked_id = FIRST_TELEGRAM_ID + BLOCKED
    users[blocked_id].blocked = True  # blocked while the bot was offline: the send answers 403
    fake.rate_limits = True
    fake.limiter.global_per_second = int(RATE)
    sends = KillAtSend(fake_server._HANDLERS["sendmessage"], KILL_AT)
    monkeypatch.setitem(fake_server._HANDLERS, "sendmessage", sends)
    log_path = tmp_path / "bot.log"
    log = _open_log(log_path)
    proc: asyncio.subprocess.Process | None = None
    try:
        # First run: killed right after the fake stored message number KILL_AT.
        proc = sends.proc = await _start_bot(fake, tmp_path, log)
        first = proc

        def killed_or_stuck() -> bool:
            return first.returncode is not None or not _unfinished(db_path)

        await _until(killed_or_stuck, 60, f"the kill at message {KILL_AT}", interval=0.1)
        assert sends.killed_chat is not None, f"never killed: {sends.stored} stored; {_statuses(db_path)}"
        # Let the fake finish every request that had reached it.
        await _until(lambda: fake.handling == 0, 10, "the fake to finish its requests", interval=0.01)
        sent_at_kill = sends.stored
        in_flight = _count(db_path, "status = 'sending'")
        assert proc.returncode == -signal.SIGKILL
        assert 1 <= in_flight <= CONCURRENCY  # at least the send whose answer never left the fake

        # Second run: recovers the rows in flight, drains the outbox, stops on SIGTERM.
        proc = await _start_bot(fake, tmp_path, log)
        await _until(lambda: not _unfinished(db_path), 60, "the outbox to drain", interval=0.2)
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), timeout=30)
        assert proc.returncode == 0, log_path.read_text()[-3000:]
    finally:
        if proc is not None and proc.returncode is None:
            proc.kill()
            await proc.wait()
        log.close()

    got = {telegram_id: len(user.messages) for telegram_id, user in users.items()}
    missed = [t for t, n in got.items() if n == 0 and t != blocked_id]
    twice = [t for t, n in got.items() if n >= 2]
    assert not missed, f"{len(missed)} reachable members got nothing: {missed[:10]}"
    assert max(got.values()) <= 2
    assert got[blocked_id] == 0
    assert len(twice) <= in_flight <= CONCURRENCY, (twice, in_flight)
    # It arrived before the kill, and once more after the recovery (its outcome was unknown).
    assert got[sends.killed_chat] == 2, "the send whose outcome was unknown was not retried"
    texts = {m.text for u in users.values() for m in u.messages}
    assert texts == {"Einladung zur Landesversammlung\n\nAm Samstag in Güstrow, Beginn 10 Uhr."}

    # Every actual duplicate is flagged as a possible one, and the blocked member is unreachable.
    flagged = {
        row[0]
        for row in _query(
            db_path,
            "SELECT chat_id FROM deliveries WHERE broadcast_id = ? AND possible_duplicate = 1",
            (broadcast_id,),
        )
    }
    assert set(twice) <= flagged
    blocked_rows = _query(
        db_path,
        "SELECT d.status, m.unreachable_at FROM deliveries d JOIN members m ON m.id = d.member_id "
        "WHERE d.chat_id = ?",
        (blocked_id,),
    )
    assert len(blocked_rows) == 1
    assert blocked_rows[0][0] == "unreachable"
    assert blocked_rows[0][1] is not None

    report = await _report(db_path, broadcast_id)
    assert (report.total, report.sent, report.unreachable) == (MEMBERS, MEMBERS - 1, 1)
    assert (report.failed, report.pending, report.stopped) == (0, 0, 0)
    assert len(twice) <= report.duplicates
    assert in_flight <= report.duplicates
    assert "interrupted sends retried as possible duplicates" in log_path.read_text()
    print(
        f"\ncrash test: killed at {sent_at_kill} delivered, {in_flight} in flight, "
        f"{len(twice)} got it twice, report {report.sent} sent / {report.unreachable} unreachable / "
        f"{report.duplicates} possible duplicates"
    )

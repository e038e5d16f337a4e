"""Crash tests for reminders: a group reminder across SIGKILL, and a reminder due during downtime.

SLOW (about 15-20 s on 2 cores): the real `python -m composition run` runs as a subprocess against
the fake API (started like tests/test_crash.py), with the real clock: each reminder is created
with `Reminders.create` a few seconds ahead of the real time, so nothing sleeps for minutes.

1. `test_group_reminder_sigkill_at_the_send`: a group reminder due ~4 s after the bot starts.
   When the fake receives the group's sendMessage for it, it stores the message and the bot gets
   SIGKILL before the answer leaves the fake: the worst moment (the message arrived, the bot
   cannot know). The policy (lag_bot/delivery/sender.py `Sender.start` ->
   `OutboxRepository.recover_in_flight`):
   a row caught in 'sending' is sent once more and flagged `possible_duplicate`; the reminder
   itself was already moved on in the same transaction that wrote the outbox row, so it never
   fires again. Asserted precisely: the group has the reminder exactly TWICE (the delivery retried
   once, no third copy), there is exactly ONE outbox row for it, 'sent' with possible_duplicate = 1,
   and the reminder is 'done' with last_fired = its due time. (A kill before the fake stored the
   message would give exactly one copy; the kill after storing is the case the policy must bound.)
2. `test_reminder_due_during_downtime_arrives_once_late`: the bot runs (the reminder is not due
   yet and is not sent), gets SIGKILL, and while it is down the reminder's time passes. A downtime
   of 90 s is simulated without waiting for it: the reminder's stored times are moved 90 s into the
   past while no process has the database open, which is what the restarted bot would see after
   90 s of downtime (more than the 1 min after which a message says it is late, well within the
   1 h grace). After the restart it arrives exactly once, marked "verspätet", naming its due time.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from lag_bot.authorization import Actor
from lag_bot.clock import iso, iso_ms, utc_now
from lag_bot.db import Database
from lag_bot.emulator import FakeTelegram, SimGroup
from lag_bot.emulator import server as fake_server
from lag_bot.i18n import Catalog
from lag_bot.migrate import apply_migrations
from lag_bot.models import Role
from lag_bot.reminders.rules import Target
from lag_bot.reminders.service import Reminders
from lag_bot.timeparse.parse import OneOff, describe_moment
from tests.harness import ADMIN_ID
from tests.test_crash import _open_log, _query, _start_bot, _until
from tests.texts import said

Handler = Callable[[FakeTelegram, dict[str, Any]], Awaitable[Any]]
BERLIN = ZoneInfo("Europe/Berlin")
GROUP_CHAT = -1001234567890
BODY = "Fraktionssitzung, Rathaus Raum 3"
CONTROL_CHAT = -1001234567891  # the group of the control reminders (`JobRuns`)


class KillAtGroupSend:
    """Wraps the fake's sendMessage: the first message to `chat_id` is stored, then the bot gets
    SIGKILL before the answer is written (so the bot cannot know that the send arrived)."""

    def __init__(self, handler: Handler, chat_id: int) -> None:
        self.handler = handler
        self.chat_id = chat_id
        self.proc: asyncio.subprocess.Process | None = None
        self.killed = False

    async def __call__(self, fake: FakeTelegram, params: dict[str, Any]) -> Any:
        result = await self.handler(fake, params)
        if int(params["chat_id"]) == self.chat_id and not self.killed and self.proc is not None:
            self.killed = True
            self.proc.kill()
            await self.proc.wait()  # only a dead bot gets this answer
        return result


async def _seed(path: Path, due: datetime) -> tuple[int, int]:
    """Migrations, a linked group (chats row) and one group reminder due at `due`.
    Returns (chats.id, reminder id)."""
    db = await Database.open(path)
    try:
        await apply_migrations(db)
        now = iso(utc_now())
        async with db.transaction():
            group_id = await db.execute(
                "INSERT INTO chats (chat_id, title, kind, is_forum, active, link_kind, added_at, updated_at) "
                "VALUES (?, 'Kreistagsfraktion Rostock', 'supergroup', 0, 1, 'lag', ?, ?)",
                (GROUP_CHAT, now, now),
            )
            await db.execute(
                "INSERT INTO chats (chat_id, title, kind, is_forum, active, link_kind, added_at, updated_at) "
                "VALUES (?, 'Kontrolle', 'supergroup', 0, 1, 'lag', ?, ?)",
                (CONTROL_CHAT, now, now),
            )
        reminders = Reminders(db, utc_now, Catalog.load())
        actor = Actor(ADMIN_ID, None, Role.ADMIN)
        reminder_id = await reminders.create(
            actor, Target("group", group_id=group_id), OneOff(due.astimezone(BERLIN), BODY), BODY
        )
        return group_id, reminder_id
    finally:
        await db.close()


def _group(
    fake: FakeTelegram, chat_id: int = GROUP_CHAT, title: str = "Kreistagsfraktion Rostock"
) -> SimGroup:
    group = fake.group(chat_id, title, supergroup=True)
    group.bot_status = "member"  # the bot is in the group (it was linked before)
    return group


class JobRuns:
    """Shows that the bot's reminder job has looked at the reminders again, instead of waiting a fixed
    time: each control reminder (to another group, due at once) that arrives was fired by a run of the
    job that started after it was written; anything that run should have done (or not done) is done."""

    def __init__(self, fake: FakeTelegram, path: Path, like: int) -> None:
        self.group = _group(fake, CONTROL_CHAT, "Kontrolle")
        self.path = path
        self.like = like  # a reminder whose creator and zone the control reminders take
        self.count = 0

    async def twice(self) -> None:
        """Wait for two more runs of the reminder job."""
        for _ in range(2):
            self.count += 1
            due = utc_now()
            first_at, body = due.astimezone(BERLIN).isoformat(), f"Kontrolle {self.count}"
            _query_write(
                self.path,
                "INSERT INTO reminders (created_by, target_kind, group_id, body, tz, first_at, next_due, "
                "created_at) SELECT created_by, 'group', (SELECT id FROM chats WHERE chat_id = ?), ?, tz, "
                "?, ?, created_at FROM reminders WHERE id = ?",
                (CONTROL_CHAT, body, first_at, iso_ms(due), self.like),
            )
            await _until(self._arrived, 20, "a run of the reminder job", interval=0.05)

    def _arrived(self) -> bool:
        return len(self.group.messages) >= self.count


def _unfinished(path: Path) -> int:
    return int(
        str(_query(path, "SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending')")[0][0])
    )


def _polling(fake: FakeTelegram) -> int:
    """deleteWebhook calls so far: PTB makes it after post_init, right before polling (the fake
    records a call when it answers, so a long-polling getUpdates would show up only seconds later)."""
    return len(fake.calls_of("deleteWebhook"))


async def _stop(proc: asyncio.subprocess.Process, log_path: Path) -> None:
    proc.send_signal(signal.SIGTERM)
    await asyncio.wait_for(proc.wait(), timeout=20)
    assert proc.returncode == 0, log_path.read_text()[-3000:]  # noqa: ASYNC240 (a small log, read once)


@pytest.mark.timeout(60)
async def test_group_reminder_sigkill_at_the_send(
    fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SLOW (~8 s): SIGKILL when the group's reminder reaches the fake; after the restart the group
    has it exactly twice, the one outbox row flagged as a possible duplicate, the reminder done."""
    db_path = tmp_path / "lag.sqlite3"
    due = (utc_now() + timedelta(seconds=4)).replace(microsecond=0)
    _, reminder_id = await _seed(db_path, due)
    group = _group(fake)
    job_runs = JobRuns(fake, db_path, reminder_id)
    sends = KillAtGroupSend(fake_server._HANDLERS["sendmessage"], GROUP_CHAT)
    monkeypatch.setitem(fake_server._HANDLERS, "sendmessage", sends)
    log_path = tmp_path / "bot.log"
    log = _open_log(log_path)
    proc: asyncio.subprocess.Process | None = None
    try:
        proc = sends.proc = await _start_bot(fake, tmp_path, log)
        first = proc
        await _until(lambda: first.returncode is not None, 20, "the kill at the group's send", interval=0.05)
        assert sends.killed and first.returncode == -signal.SIGKILL, log_path.read_text()[-3000:]
        await asyncio.sleep(0.3)
        # The kill came between the send and its answer: the one row is still in flight.
        in_flight = _query(db_path, "SELECT status FROM deliveries WHERE chat_id = ?", (GROUP_CHAT,))
        assert in_flight == [("sending",)]
        assert _query(
            db_path, "SELECT status, next_due, last_fired FROM reminders WHERE id = ?", (reminder_id,)
        ) == [("done", None, iso_ms(due))]
        assert len(group.messages) == 1

        proc = await _start_bot(fake, tmp_path, log)
        await _until(
            lambda: len(group.messages) >= 2 and not _unfinished(db_path), 20, "the retry", interval=0.1
        )
        await job_runs.twice()  # nothing else may come: no refire, no third copy
        await _stop(proc, log_path)
    finally:
        if proc is not None and proc.returncode is None:
            proc.kill()
            await proc.wait()
        log.close()

    assert [m.text for m in group.messages] == [said("reminder-message", body=BODY)] * 2
    rows = _query(
        db_path,
        "SELECT chat_id, kind, status, possible_duplicate FROM deliveries WHERE chat_id = ?",
        (GROUP_CHAT,),
    )
    assert rows == [(GROUP_CHAT, "reminder", "sent", 1)]  # one row: the reminder fired once
    reminder = "SELECT status, next_due, last_fired FROM reminders WHERE id = ?"
    assert _query(db_path, reminder, (reminder_id,)) == [("done", None, iso_ms(due))]
    assert "interrupted sends retried as possible duplicates" in log_path.read_text()


@pytest.mark.timeout(60)
async def test_reminder_due_during_downtime_arrives_once_late(fake: FakeTelegram, tmp_path: Path) -> None:
    """SLOW (~8 s): killed before the reminder is due; due while down (90 s, simulated); after the
    restart it arrives once, marked late with its due time."""
    db_path = tmp_path / "lag.sqlite3"
    _, reminder_id = await _seed(db_path, utc_now() + timedelta(seconds=60))
    group = _group(fake)
    job_runs = JobRuns(fake, db_path, reminder_id)
    log_path = tmp_path / "bot.log"
    log = _open_log(log_path)
    proc: asyncio.subprocess.Process | None = None
    try:
        proc = await _start_bot(fake, tmp_path, log)
        await _until(lambda: _polling(fake) > 0, 20, "the bot to start polling", interval=0.05)
        await job_runs.twice()  # the reminder job has looked twice: it is not due yet
        assert proc.returncode is None, log_path.read_text()[-3000:]
        proc.kill()
        await proc.wait()
        assert proc.returncode == -signal.SIGKILL
        outbox = _query(db_path, "SELECT count(*) FROM deliveries WHERE chat_id = ?", (GROUP_CHAT,))
        assert group.messages == [] and outbox == [(0,)]

        # 90 s of downtime: the reminder's time is now 90 s past (no process has the database open).
        due = (utc_now() - timedelta(seconds=90)).replace(microsecond=0)
        _query_write(
            db_path,
            "UPDATE reminders SET first_at = ?, next_due = ? WHERE id = ?",
            (due.astimezone(BERLIN).isoformat(), iso_ms(due), reminder_id),
        )

        proc = await _start_bot(fake, tmp_path, log)
        await _until(
            lambda: len(group.messages) >= 1 and not _unfinished(db_path), 20, "the late send", interval=0.1
        )
        await job_runs.twice()
        await _stop(proc, log_path)
    finally:
        if proc is not None and proc.returncode is None:
            proc.kill()
            await proc.wait()
        log.close()

    shown = describe_moment(due.astimezone(BERLIN), "de")
    assert [m.text for m in group.messages] == [said("reminder-message-late", body=BODY, due=shown)]
    rows = _query(
        db_path,
        "SELECT chat_id, kind, status, possible_duplicate FROM deliveries WHERE chat_id = ?",
        (GROUP_CHAT,),
    )
    assert rows == [(GROUP_CHAT, "reminder", "sent", 0)]
    reminder = "SELECT status, next_due, last_fired FROM reminders WHERE id = ?"
    assert _query(db_path, reminder, (reminder_id,)) == [("done", None, iso_ms(due))]


def _query_write(path: Path, sql: str, params: tuple[object, ...]) -> None:
    """A write with a fresh connection (waiting up to 5 s for the bot's own writes)."""
    with contextlib.closing(sqlite3.connect(path, timeout=5)) as conn, conn:
        assert conn.execute(sql, params).rowcount == 1

"""Fixtures: the fake Telegram API, the running bot, simulated people."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import ADMIN_ID, TOKEN, RunningBot, TestClock, running_bot


@pytest.fixture(autouse=True)
def no_unexpected_handler_errors(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """Fail a test in which a handler crashed, unless the test is marked `expected_errors`."""
    yield
    if request.node.get_closest_marker("expected_errors"):
        return
    crashed = [r.getMessage() for r in caplog.records if r.name == "handlers.errors" and r.levelno >= 40]
    assert not crashed, f"a handler failed: {crashed}"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A strict fake Telegram Bot API on 127.0.0.1."""
    server = FakeTelegram(token=TOKEN, bot_username="lag_test_bot")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def clock() -> TestClock:
    """The bot's clock, moved by the test."""
    return TestClock()


@pytest.fixture
async def bot(fake: FakeTelegram, tmp_path: Path, clock: TestClock) -> AsyncIterator[RunningBot]:
    """The real application, running against the fake."""
    async with running_bot(fake, tmp_path, clock) as running:
        yield running


@pytest.fixture
def admin(fake: FakeTelegram) -> SimUser:
    """The admin from ADMIN_IDS."""
    return fake.user(ADMIN_ID, "Ada", last_name="Admin", language_code="de")


@pytest.fixture
async def running_clock(clock: TestClock) -> AsyncIterator[None]:
    """Let the bot's clock run (three times as fast as real time): the sender schedules retries and
    per-chat waits by it. The fake enforces Telegram's limits in real time, as the sender's limiter does."""

    async def run() -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(0.02)
            current = loop.time()
            clock.run_ahead((current - last) * 3)
            last = current

    task = asyncio.create_task(run())
    yield
    task.cancel()


# The longest tests (measured: `python -m pytest --durations=20`) start first, so that the four
# workers do not end with one of them still running a 30 s browser story alone.
SLOW_FIRST = (
    "test_sandbox_browser.py",
    "test_crash.py",
    "test_shared_limits.py",
    "test_reminder_crash.py",
    "test_sandbox.py",
    "test_graceful_stop.py",
    "test_backup_restore.py",
    "test_broadcast.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the slow files first (a stable sort: each file keeps its own order)."""
    rank = {name: index for index, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOW_FIRST)))

"""Fixtures: the fake Telegram API, the running bot, simulated people."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fake_telegram import FakeTelegram, SimUser
from tests.harness import ADMIN_ID, TOKEN, RunningBot, TestClock, running_bot


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

"""The bot under test: the real application, polling the fake Telegram API over HTTP.

async with running_bot(fake, tmp_path) as bot:
    await alice.send("/start")
    greeting = await alice.next_message()
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from composition.application import LagApplication, polling
from lag_bot.delivery.ratelimit import SendLimits
from lag_bot.emulator import FakeTelegram
from lag_bot.services import Services
from lag_bot.settings import Secret, Settings

TOKEN = "123456:" + "A" * 35
ADMIN_ID = 9001
# The bot's own limits in tests: loose enough that a story clicking faster than any person never
# waits for them. The tests of the limits themselves pass `send_limits=SendLimits()`.
RELAXED_LIMITS = SendLimits(per_second=1000.0, per_chat_per_second=1000.0, per_group_per_minute=6000.0)


class TestClock:
    """A clock the test moves by hand."""

    __test__ = False

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(**delta)


@dataclass
class RunningBot:
    """A started application with handles the tests need."""

    app: LagApplication
    settings: Settings
    clock: TestClock

    @property
    def services(self) -> Services:
        """The services the handlers use (for reading the database in assertions)."""
        services = self.app.bot_data.services
        assert services is not None
        return services


def make_settings(fake: FakeTelegram, tmp_path: Path, **overrides: object) -> Settings:
    """Settings pointing at the fake API and a database in tmp_path."""
    settings = Settings(
        bot_token=Secret(TOKEN),
        admin_ids=frozenset({ADMIN_ID}),
        database_path=tmp_path / "lag.sqlite3",
        api_base_url=fake.base_url,
        file_base_url=fake.base_file_url,
        send_limits=RELAXED_LIMITS,
    )
    return replace(settings, **overrides)  # type: ignore[arg-type]


@asynccontextmanager
async def running_bot(
    fake: FakeTelegram, tmp_path: Path, clock: TestClock | None = None, **overrides: object
) -> AsyncIterator[RunningBot]:
    """Start the application like `run_polling` does, and stop it afterwards."""
    settings = make_settings(fake, tmp_path, **overrides)
    clock = clock or TestClock()
    async with polling(settings, clock) as app:
        yield RunningBot(app, settings, clock)

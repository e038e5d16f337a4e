"""The bot under test: the real application, polling the fake Telegram API over HTTP.

async with running_bot(fake, tmp_path) as bot:
    await alice.send("/start")
    greeting = await alice.next_message()
"""

from __future__ import annotations

import asyncio
import time
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
    """A clock the test moves by hand: the bot's date and time, and the seconds its send limiter and
    live cards count (`monotonic`: real time plus every jump of `advance`)."""

    __test__ = False

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
        self.ahead = 0.0  # seconds `advance` jumped: how far `monotonic` is ahead of real time

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Jump forward: the date and time, and the seconds the limiter and the live cards count."""
        step = timedelta(**delta)
        self.now += step
        self.ahead += step.total_seconds()

    def run_ahead(self, seconds: float) -> None:
        """Let the date and time run faster than real time (`running_clock`); the limiter and the live
        cards keep real speed, as the fake's limits do."""
        self.now += timedelta(seconds=seconds)

    def monotonic(self) -> float:
        """The seconds for the limiter and the live cards."""
        return time.monotonic() + self.ahead


@asynccontextmanager
async def fast_forward(clock: TestClock, step: float = 5.0, every: float = 0.25) -> AsyncIterator[None]:
    """Inside, the clock jumps `step` seconds every `every` real seconds: what waits for the live
    cards' 5 s between two edits of a group message comes due at the next run of the refresh job."""

    async def run() -> None:
        while True:
            await asyncio.sleep(every)
            clock.advance(seconds=step)

    task = asyncio.create_task(run())
    try:
        yield
    finally:
        task.cancel()


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
    """Start the application like `run_polling` does, and stop it afterwards. The limiter and the
    live cards count seconds by the test clock (`TestClock.monotonic`), except in the tests of the
    limits, which pass their own `send_limits`: those run at real speed, as Telegram's limits do."""
    settings = make_settings(fake, tmp_path, **overrides)
    clock = clock or TestClock()
    monotonic = time.monotonic if "send_limits" in overrides else clock.monotonic
    async with polling(settings, clock, monotonic) as app:
        yield RunningBot(app, settings, clock)

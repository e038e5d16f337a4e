"""Start the sandbox: the emulator, the real bot polling it, the demo world and the web page.

asyncio.run(run_sandbox(port=8080))      # what `lag-bot sandbox` does; Ctrl+C stops it
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import signal
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from aiohttp import web

from composition.application import LagApplication, polling
from lag_bot.emulator import FakeTelegram
from lag_bot.sandbox.cast import DEMO_ADMIN_ID
from lag_bot.sandbox.clock import FastForwardClock
from lag_bot.sandbox.demo import populate
from lag_bot.sandbox.web import World, build_web_app
from lag_bot.services import Services
from lag_bot.settings import Secret, Settings

TOKEN = "424242:" + "S" * 35  # the emulator's bot; never a real token
HOST = "127.0.0.1"


class PortInUse(Exception):
    """The page's port on 127.0.0.1 is taken by something else."""

    def __init__(self, port: int) -> None:
        super().__init__(f"port {port} on {HOST} is already in use")
        self.port = port


@dataclass
class Sandbox:
    """A running sandbox."""

    url: str
    world: World
    app: LagApplication

    @property
    def services(self) -> Services:
        """The bot's services (for tests)."""
        services = self.app.bot_data.services
        assert services is not None
        return services


@asynccontextmanager
async def sandbox(data_dir: Path, port: int = 0) -> AsyncIterator[Sandbox]:
    """Run everything until the block ends; `port` 0 picks a free one."""
    fake = FakeTelegram(TOKEN, bot_username="lag_sandbox_bot", bot_first_name="LAG-Bot (Sandbox)")
    await fake.start()
    clock = FastForwardClock()
    territory = resources.files("lag_bot.sandbox").joinpath("demo_territory.json")
    settings = Settings(
        bot_token=Secret(TOKEN),
        admin_ids=frozenset({DEMO_ADMIN_ID}),
        database_path=data_dir / "sandbox.sqlite3",
        api_base_url=fake.base_url,
        file_base_url=fake.base_file_url,
        territory_file=Path(str(territory)),
    )
    try:
        async with polling(settings, clock) as app:
            services = app.bot_data.services
            assert services is not None
            world = World(fake, clock, services.reminders.next_due, settings.timezone)
            runner = web.AppRunner(build_web_app(world), access_log=None)
            await runner.setup()
            try:
                await _listen(runner, port)  # first: a taken port stops it before the demo is made
                await populate(world, services)
                bound = int(runner.addresses[0][1])
                yield Sandbox(f"http://{HOST}:{bound}/", world, app)
            finally:
                await runner.cleanup()
    finally:
        await fake.stop()


async def _listen(runner: web.AppRunner, port: int) -> None:
    try:
        await web.TCPSite(runner, HOST, port).start()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PortInUse(port) from None
        raise


async def run_sandbox(port: int, data_dir: Path | None = None) -> None:
    """Run until SIGINT/SIGTERM, printing the one address to open."""
    with contextlib.ExitStack() as stack:
        folder = data_dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lag-sandbox-")))
        async with sandbox(folder, port) as running:
            print(f"lag-bot Sandbox läuft: {running.url}  (Strg+C beendet)", flush=True)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            await stop.wait()

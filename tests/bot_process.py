"""`lag-bot` as a real process against the fake API, for the operations tests.

proc = await start_bot(fake, tmp_path, log, WEBHOOK_URL="https://bot.example.org/hook", ...)
await until(lambda: ..., 20, "what we wait for")
await stop_bot(proc)            # SIGTERM; returns the exit status
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from lag_bot.emulator import FakeTelegram
from tests.harness import ADMIN_ID, TOKEN

ROOT = Path(__file__).resolve().parent.parent
_OURS = ("BOT_", "ADMIN_", "TELEGRAM_", "SEND_", "WEBHOOK_", "BACKUP_", "RETAIN_", "DATABASE_")


def bot_env(fake: FakeTelegram, database: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process: the fake's addresses, the database, and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    env.update(
        PYTHONPATH=str(ROOT),
        BOT_TOKEN=TOKEN,
        ADMIN_IDS=str(ADMIN_ID),
        DATABASE_PATH=str(database),
        TELEGRAM_API_BASE_URL=fake.base_url,
        TELEGRAM_FILE_BASE_URL=fake.base_file_url,
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


async def start_bot(
    fake: FakeTelegram, tmp_path: Path, log: IO[bytes], *args: str, **extra: str
) -> asyncio.subprocess.Process:
    """`python -m composition run` (or `args`), output appended to `log` (a pipe could fill and stall it)."""
    env = bot_env(fake, tmp_path / "lag.sqlite3", **extra)
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "composition",
        *(args or ("run",)),
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=log,
    )


async def stop_bot(proc: asyncio.subprocess.Process, seconds: float = 30) -> int:
    """SIGTERM and wait; kill if it does not stop in time (the test then fails on the status)."""
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), timeout=seconds)
        except TimeoutError:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode


async def until(condition: Callable[[], bool], seconds: float, what: str, interval: float = 0.05) -> None:
    """Poll `condition` until it holds, or fail naming `what`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        await asyncio.sleep(interval)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def query(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """A read with a fresh connection (the bot's process may be running or gone)."""
    with contextlib.closing(sqlite3.connect(path, timeout=5)) as conn:
        return conn.execute(sql, params).fetchall()

"""The `lag-bot` command as a real process against the fake API: starts, answers, stops on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from lag_bot.emulator import FakeTelegram
from tests.harness import TOKEN
from tests.texts import fragment

ROOT = Path(__file__).resolve().parent.parent


async def _start(fake: FakeTelegram, tmp_path: Path, token: str) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "ADMIN_", "TELEGRAM_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        BOT_TOKEN=token,
        DATABASE_PATH=str(tmp_path / "proc.sqlite3"),
        TELEGRAM_API_BASE_URL=fake.base_url,
        TELEGRAM_FILE_BASE_URL=fake.base_file_url,
        LOG_LEVEL="DEBUG",
    )
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "composition",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_process_answers_and_stops_cleanly(fake: FakeTelegram, tmp_path: Path) -> None:
    proc = await _start(fake, tmp_path, TOKEN)
    try:
        walter = fake.user(1701, "Walter")
        await walter.send("/start")
        # A fresh process imports and migrates first: give it longer than a story step's 5 s.
        await walter.wait_for(lambda m: fragment("start-greeting") in m.text, timeout=30)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    log = (out + err).decode()
    assert proc.returncode == 0, log[-2000:]
    assert TOKEN not in log  # DEBUG logging of a whole real run
    assert "lag-bot ready" in log


async def test_rejected_token_is_one_line(fake: FakeTelegram, tmp_path: Path) -> None:
    proc = await _start(fake, tmp_path, "654321:" + "Z" * 35)
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 2
    assert "BOT_TOKEN was rejected" in err.decode().strip().splitlines()[-1]

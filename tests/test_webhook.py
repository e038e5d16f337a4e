"""Webhook mode: `lag-bot run` with WEBHOOK_URL as a real process; the fake posts updates to it like
Telegram does (through `webhook_proxy`, standing in for the TLS proxy), and a forger posts without
or with a wrong secret header."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp

from lag_bot.emulator import FakeTelegram
from tests.bot_process import free_port, start_bot, stop_bot, until
from tests.harness import TOKEN
from tests.story import expect
from tests.texts import fragment

SECRET = "s3cr3t-" + "x" * 33
PUBLIC_URL = "https://bot.example.org/lag/hook"


def _update(update_id: int, user_id: int, text: str) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Mallory", "language_code": "de"}
    message = {
        "message_id": 1,
        "date": 1_790_000_000,
        "chat": {"id": user_id, "type": "private", "first_name": "Mallory"},
        "from": user,
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
    }
    return {"update_id": update_id, "message": message}


async def test_webhook_answers_with_the_secret_and_refuses_without(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    port = free_port()
    fake.webhook_proxy = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "bot.log"
    with log_path.open("ab") as log:
        proc = await start_bot(
            fake,
            tmp_path,
            log,
            WEBHOOK_URL=PUBLIC_URL,
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_PORT=str(port),
            LOG_LEVEL="DEBUG",  # PTB logs the setWebhook parameters at DEBUG: the secret must not show
        )
        try:
            await until(lambda: bool(fake.calls_of("setWebhook")), 30, "setWebhook")
            call = fake.calls_of("setWebhook")[-1]
            assert call.params["url"] == PUBLIC_URL and call.params["secret_token"] == SECRET
            assert "callback_query" in call.params["allowed_updates"]

            # Forged updates, straight to the bot's listener: refused before anything is handled.
            local = f"http://127.0.0.1:{port}/lag/hook"
            forged = json.dumps(_update(900, 1702, "/start"))
            plain = {"Content-Type": "application/json"}
            wrong = {**plain, "X-Telegram-Bot-Api-Secret-Token": "wrong-" + SECRET[6:]}
            assert await _post(local, forged, plain) == 403
            assert await _post(local, forged, wrong) == 403

            # A real update, posted by the fake with the secret, is answered.
            walter = fake.user(1701, "Walter")
            await walter.send("/start")
            await asyncio.wait_for(expect(walter, fragment("start-greeting")), timeout=30)
            assert fake.webhook.delivered
            assert not fake.calls_of("getUpdates")  # no long polling in webhook mode
        finally:
            status = await stop_bot(proc)
    output = log_path.read_text()
    assert status == 0, output[-3000:]
    assert TOKEN not in output and SECRET not in output
    # The forged /start reached no handler: nothing was sent to its chat.
    assert all(str(c.params.get("chat_id")) != "1702" for c in fake.calls)


async def _post(url: str, body: str, headers: dict[str, str]) -> int:
    """POST to the bot's listener, waiting for it to listen (it starts after setWebhook); the status."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.post(url, data=body, headers=headers) as response:
                    return response.status
            except aiohttp.ClientConnectorError:
                if loop.time() > deadline:
                    raise
                await asyncio.sleep(0.05)


async def test_webhook_without_secret_stops_at_start(fake: FakeTelegram, tmp_path: Path) -> None:
    log_path = tmp_path / "bot.log"
    with log_path.open("ab") as log:
        proc = await start_bot(fake, tmp_path, log, WEBHOOK_URL=PUBLIC_URL)
        status = await asyncio.wait_for(proc.wait(), timeout=30)
    lines = log_path.read_text().strip().splitlines()
    assert status == 2
    assert lines == [
        "lag-bot: configuration error: WEBHOOK_SECRET is not set; it is required with WEBHOOK_URL"
    ]
    assert not fake.calls

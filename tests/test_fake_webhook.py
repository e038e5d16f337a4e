"""The fake's webhook delivery: strict setWebhook, one update per POST with the secret header,
retried until the bot answers 2xx, errors shown in getWebhookInfo."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from lag_bot.emulator import FakeTelegram
from tests.bot_process import until

TOKEN = "123456:" + "A" * 35
SECRET = "Abc_-" + "9" * 30


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server


@pytest.fixture
async def api(tg: FakeTelegram) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{tg.base_url}{TOKEN}/") as client:
        yield client


async def call(api: httpx.AsyncClient, method: str, **params: Any) -> dict[str, Any]:
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    body: dict[str, Any] = (await api.post(method, data=form)).json()
    return body


class Receiver:
    """A stand-in bot: records each POST, answers with the next status of `answers` (then 200)."""

    def __init__(self, answers: list[int]) -> None:
        self.answers = answers
        self.seen: list[tuple[str, str | None, dict[str, Any]]] = []
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{path:.*}", self.handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self.runner.addresses[0][1])

    async def handle(self, request: web.Request) -> web.Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        self.seen.append((request.path, secret, await request.json()))
        return web.Response(status=self.answers.pop(0) if self.answers else 200)


async def test_set_webhook_is_strict(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    bad_port = await call(api, "setWebhook", url="https://bot.example.org:8080/hook")
    assert bad_port["description"] == (
        "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
    )
    bad_secret = await call(api, "setWebhook", url="https://bot.example.org/hook", secret_token="a b")
    assert bad_secret["description"] == "Bad Request: secret token contains unallowed characters"
    assert tg.webhook_url == ""


async def test_updates_are_posted_in_order_with_the_secret_until_accepted(
    tg: FakeTelegram, api: httpx.AsyncClient
) -> None:
    receiver = Receiver([403])
    await receiver.start()
    try:
        tg.webhook_proxy = f"http://127.0.0.1:{receiver.port}"
        alice = tg.user(1001, "Alice")
        await alice.send("eins")
        await alice.send("zwei")
        hook = await call(
            api,
            "setWebhook",
            url="https://bot.example.org/tg/hook",
            secret_token=SECRET,
            allowed_updates=["message"],
        )
        assert hook["ok"]
        await until(lambda: len(tg.webhook.delivered) == 2, 5, "both updates delivered")
        paths = {path for path, _, _ in receiver.seen}
        assert paths == {"/tg/hook"} and {secret for _, secret, _ in receiver.seen} == {SECRET}
        texts = [body["message"]["text"] for _, _, body in receiver.seen]
        assert texts == ["eins", "eins", "zwei"]  # refused once with 403, then posted again
        info = (await call(api, "getWebhookInfo"))["result"]
        assert info["pending_update_count"] == 0
        assert info["last_error_message"] == "Wrong response from the webhook: 403 Forbidden"
        assert (await call(api, "getUpdates"))["error_code"] == 409
        assert (await call(api, "deleteWebhook"))["ok"]
        await alice.send("drei")  # no webhook: waits for getUpdates again
        assert [u["message"]["text"] for u in (await call(api, "getUpdates"))["result"]] == ["drei"]
        assert len(receiver.seen) == 3
    finally:
        assert receiver.runner is not None
        await receiver.runner.cleanup()

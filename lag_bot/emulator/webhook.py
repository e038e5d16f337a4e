"""Webhook delivery: once setWebhook was called, the fake posts every update to the bot, as Telegram does.

Telegram posts to the public https:// address, which in production is a TLS proxy in front of the
bot. The fake stands in for that proxy with `fake.webhook_proxy`, the bot's local http:// address:
the path of the webhook URL is kept, scheme, host and port are replaced. Without a proxy address
nothing is posted (updates wait, as `getWebhookInfo`'s pending_update_count shows).

    fake.webhook_proxy = "http://127.0.0.1:8081"
    # the bot calls setWebhook(url="https://bot.example.org/tg", secret_token="…")
    await alice.send("/start")     # POST http://127.0.0.1:8081/tg, X-Telegram-Bot-Api-Secret-Token: …

Like Telegram: one update per request, in order, JSON; the next only after a 2xx answer; a refused
or failed post is retried (after RETRY seconds here) and reported in `last_error_message`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aiohttp

if TYPE_CHECKING:
    from .server import FakeTelegram

RETRY = 0.2
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookPush:
    """Posts the queued updates to the webhook while one is set and a proxy address is given."""

    def __init__(self, fake: FakeTelegram) -> None:
        self._fake = fake
        self.secret = ""
        self.last_error_message = ""
        self.last_error_date = 0
        self.delivered: list[int] = []  # update ids the bot accepted
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def started(self) -> None:
        """setWebhook was called: deliver from now on (the URL and secret are on the fake)."""
        self.last_error_message = ""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="fake-webhook-push")

    async def stop(self) -> None:
        """Stop delivering (server shutdown)."""
        # A flag as well as the cancellation: Python 3.11's wait_for can swallow a cancellation.
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _target(self) -> str | None:
        proxy = self._fake.webhook_proxy
        url = self._fake.webhook_url
        if not proxy or not url:
            return None
        parts = urlsplit(url)
        return proxy.rstrip("/") + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    async def _run(self) -> None:
        async with aiohttp.ClientSession() as session:
            while self._fake.webhook_url and not self._stopping:
                update = await self._fake.updates.next_pending(timeout=0.2) if self._target() else None
                target = self._target()  # again: deleteWebhook may have come while waiting
                if update is None or target is None:
                    await asyncio.sleep(0.02)  # also yields when the queue was closed
                    continue
                if await self._post(session, target, update):
                    self._fake.updates.confirm(int(update["update_id"]) + 1)
                    self.delivered.append(int(update["update_id"]))
                else:
                    await asyncio.sleep(RETRY)

    async def _post(self, session: aiohttp.ClientSession, target: str, update: dict[str, object]) -> bool:
        headers = {SECRET_HEADER: self.secret} if self.secret else {}
        try:
            async with session.post(
                target, json=update, headers=headers, timeout=aiohttp.ClientTimeout(total=5)
            ) as response:
                if 200 <= response.status < 300:
                    return True
                reason = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            reason = f"Connection failed: {type(exc).__name__}"
        self.last_error_message = reason
        self.last_error_date = int(time.time())
        return False

"""The application bot's requests within the one limiter the outbox uses (`lag_bot.delivery.ratelimit`).

Every message the bot sends or edits counts against Telegram's limits, whether the outbox sends it
or a handler replies. So the application's bot takes its slots from the same `RateLimiter` as the
sender; only the place in line differs, chosen with PTB's `rate_limit_args`:

    await context.bot.send_message(chat_id, text)                                # a reply: ahead
    await context.bot.edit_message_text(..., rate_limit_args=Slot.BACKGROUND)   # in turn, behind
    delay = limiter.reserve(chat_id, is_group=True)                               # taken by hand …
    await context.bot.edit_message_text(..., rate_limit_args=Slot.TAKEN)         # … then sent

Requests that are not messages (answerCallbackQuery, getChatMember, getUpdates …) are not limited.
A 429 pauses everyone (the sender too) for its retry_after, and the request is tried again.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from lag_bot.delivery.ratelimit import RateLimiter

log = logging.getLogger(__name__)
JSON = bool | dict[str, Any] | list[dict[str, Any]]


class Slot(enum.Enum):
    """Where a request waits for its send slot."""

    REPLY = "reply"  # someone is waiting for it: ahead of the bulk sends (the default)
    BACKGROUND = "background"  # nobody waits: in turn with other background edits, behind replies
    TAKEN = "taken"  # the caller reserved the slot already (`RateLimiter.reserve`)


def counted(endpoint: str) -> bool:
    """Whether Telegram counts this method against the message limits."""
    name = endpoint.lower()
    return (name.startswith("send") and name != "sendchataction") or name.startswith(
        ("edit", "copymessage", "forwardmessage")
    )


def chat_of(data: dict[str, Any]) -> tuple[int | None, bool]:
    """The chat a request goes to and whether it is a group (a channel name counts as one)."""
    raw = data.get("chat_id")
    if raw is None:
        return None, False
    try:
        chat_id = int(raw)
    except (TypeError, ValueError):
        return hash(raw), True  # "@channelname": limited like a group, under a key of its own
    return chat_id, chat_id < 0


class SharedRateLimiter(BaseRateLimiter[Slot]):
    """PTB's rate-limiter hook, backed by the bot's one `RateLimiter`."""

    def __init__(self, limiter: RateLimiter, max_retries: int = 2) -> None:
        self.limiter = limiter
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to set up: the limiter lives as long as the application."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Slot | None,
    ) -> JSON:
        """Wait for the request's slot (if it is a message), send it, and on a 429 wait and retry."""
        limited = counted(endpoint)
        chat_id, is_group = chat_of(data)
        slot = rate_limit_args or Slot.REPLY
        for attempt in range(self.max_retries + 1):
            if limited and slot is not Slot.TAKEN:
                await self._take(slot, chat_id, is_group)
            slot = Slot.REPLY if slot is Slot.TAKEN else slot  # a retry waits for a new slot
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = exc._retry_after.total_seconds()  # the timedelta, not the deprecated int
                self.limiter.pause(seconds)
                if attempt == self.max_retries:
                    raise
                log.info("%s: flood limit, retrying after %.1f s", endpoint, seconds)
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable")  # the loop returns or raises

    async def _take(self, slot: Slot, chat_id: int | None, is_group: bool) -> None:
        if slot is Slot.BACKGROUND and chat_id is not None:
            await self.limiter.take_fair(chat_id, is_group)
        else:
            await self.limiter.take_reply(chat_id, is_group)

"""Keeping within Telegram's limits: overall per second, per chat per second, per group per minute.

    limits = SendLimits(per_second=30, per_chat_per_second=1, per_group_per_minute=20)
    limiter = RateLimiter(limits)
    if limiter.chat_wait(chat_id, is_group=False) == 0:   # peek: may this chat get one now?
        await limiter.take(chat_id, is_group=False)        # wait for the slot, right before sending
    limiter.pause(3.0)                                     # after a 429: nobody sends for 3 s
    delay = limiter.reserve(chat_id, is_group=True)       # the next slot, ahead of the waiting

Each limit spaces its sends evenly (a send every 1/rate seconds, the way a leaky bucket drains),
so no window of any length ever holds more than the limit allows, and fractional rates work.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SendLimits:
    """The limits (Telegram's documented ones by default)."""

    per_second: float = 30.0
    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20.0


class _Spacing:
    """Grants at least `interval` seconds apart."""

    __slots__ = ("interval", "next_at")

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.next_at = 0.0

    def wait_time(self, now: float) -> float:
        return max(0.0, self.next_at - now)

    def record(self, now: float) -> None:
        self.next_at = max(now, self.next_at) + self.interval


class RateLimiter:
    """Hands out send slots no faster than the limits."""

    def __init__(self, limits: SendLimits, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._now = monotonic
        self._overall = _Spacing(1.0 / limits.per_second)
        self._chats: dict[int, _Spacing] = {}
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Stop all sends for `seconds` (Telegram said 429 with retry_after)."""
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def chat_wait(self, chat_id: int, is_group: bool) -> float:
        """Seconds until `chat_id` may get its next message (0.0: now); takes nothing."""
        return self._chat(chat_id, is_group).wait_time(self._now())

    async def take(self, chat_id: int, is_group: bool) -> None:
        """Wait for a slot that keeps every limit, and take it."""
        chat = self._chat(chat_id, is_group)
        while True:
            async with self._lock:
                now = self._now()
                wait = max(self._paused_until - now, self._overall.wait_time(now), chat.wait_time(now))
                if wait <= 0:
                    self._overall.record(now)
                    chat.record(now)
                    self._forget_idle(now)
                    return
            await asyncio.sleep(wait)

    def reserve(self, chat_id: int, is_group: bool) -> float | None:
        """Reserve the next overall slot ahead of the sends waiting for one: the seconds until it
        (sleep that long, then send), or None when a pause or the chat's own spacing does not allow
        a send now. The slot keeps the even spacing; the waiting sends move back by one."""
        now = self._now()
        chat = self._chat(chat_id, is_group)
        if self._paused_until > now or chat.wait_time(now) > 0:
            return None
        at = max(now, self._overall.next_at)
        self._overall.record(at)
        chat.record(at)
        return at - now

    def _chat(self, chat_id: int, is_group: bool) -> _Spacing:
        chat = self._chats.get(chat_id)
        if chat is None:
            interval = (
                60.0 / self.limits.per_group_per_minute if is_group else 1.0 / self.limits.per_chat_per_second
            )
            chat = self._chats[chat_id] = _Spacing(interval)
        return chat

    def _forget_idle(self, now: float) -> None:
        if len(self._chats) > 10_000:
            self._chats = {k: s for k, s in self._chats.items() if s.next_at > now}

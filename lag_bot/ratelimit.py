"""Keeping within Telegram's limits: overall per second, per chat per second, per group per minute.

    limits = SendLimits(per_second=30, per_chat_per_second=1, per_group_per_minute=20)
    limiter = RateLimiter(limits)
    wait = await limiter.acquire(chat_id, is_group=False)   # 0.0: send now; else retry in `wait` s
    limiter.pause(3.0)                               # after a 429: nobody sends for 3 s

Sliding windows over the times of the last sends; `monotonic` is injectable for tests.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SendLimits:
    """The limits (Telegram's documented ones by default)."""

    per_second: float = 30.0
    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20.0


class _Window:
    """At most `count` events in any `span` seconds."""

    def __init__(self, count: float, span: float) -> None:
        self.count = max(1, int(count))
        self.span = span
        self.times: deque[float] = deque()

    def wait_time(self, now: float) -> float:
        while self.times and now - self.times[0] >= self.span:
            self.times.popleft()
        if len(self.times) < self.count:
            return 0.0
        return self.span - (now - self.times[0])

    def record(self, now: float) -> None:
        self.times.append(now)


class RateLimiter:
    """Grants sends in the order asked, never faster than the limits."""

    def __init__(self, limits: SendLimits, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._now = monotonic
        # The overall window is per second, but spread over tenths so a burst never bunches up.
        self._overall = _Window(max(1.0, limits.per_second / 10), 0.1)
        self._chats: dict[int, _Window] = {}
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Stop all sends for `seconds` (Telegram said 429 with retry_after)."""
        self._paused_until = max(self._paused_until, self._now() + seconds)

    async def acquire(self, chat_id: int, is_group: bool) -> float:
        """Take a send slot for `chat_id`: 0.0 once granted (waiting for the overall limit and any
        pause), else the seconds until this chat may get the next message (nothing is taken then:
        the caller sends to other chats meanwhile instead of waiting in line)."""
        async with self._lock:
            while True:
                now = self._now()
                chat = self._chats.get(chat_id)
                if chat is None:
                    chat = (
                        _Window(self.limits.per_group_per_minute, 60.0)
                        if is_group
                        else _Window(self.limits.per_chat_per_second, 1.0)
                    )
                    self._chats[chat_id] = chat
                chat_wait = chat.wait_time(now)
                if chat_wait > 0:
                    return chat_wait
                wait = max(self._paused_until - now, self._overall.wait_time(now))
                if wait <= 0:
                    self._overall.record(now)
                    chat.record(now)
                    self._forget_idle(now)
                    return 0.0
                await asyncio.sleep(wait)

    def _forget_idle(self, now: float) -> None:
        if len(self._chats) > 10_000:
            self._chats = {k: w for k, w in self._chats.items() if w.times and now - w.times[-1] < w.span}

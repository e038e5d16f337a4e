"""Telegram's flood limits for sending bots, and one-shot error injection (fail_next)."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import ApiError


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 exactly as Telegram words it."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


class RateLimiter:
    """Sliding windows: global per second, per private chat (burst then 1/s), per group per minute."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        # Attributes so a test can tighten or loosen them.
        self.global_per_second = 30
        self.private_per_second = 1.0
        self.private_burst = 3
        self.group_per_minute = 20
        self._clock = clock
        self._global: deque[float] = deque()
        self._private: dict[int, tuple[float, float]] = {}  # chat -> (tokens, last refill)
        self._groups: dict[int, deque[float]] = {}

    def check(self, chat_id: int | None, private: bool) -> None:
        """Count one send to chat_id, or raise 429 with an honest retry_after (nothing counted then)."""
        now = self._clock()
        _trim(self._global, now - 1.0)
        if len(self._global) >= self.global_per_second:
            raise too_many_requests(_wait(self._global[0] + 1.0 - now))
        if chat_id is not None and private:
            tokens, last = self._private.get(chat_id, (float(self.private_burst), now))
            tokens = min(float(self.private_burst), tokens + (now - last) * self.private_per_second)
            if tokens < 1.0:
                raise too_many_requests(_wait((1.0 - tokens) / self.private_per_second))
            self._private[chat_id] = (tokens - 1.0, now)
        elif chat_id is not None:
            window = self._groups.setdefault(chat_id, deque())
            _trim(window, now - 60.0)
            if len(window) >= self.group_per_minute:
                raise too_many_requests(_wait(window[0] + 60.0 - now))
            window.append(now)
        self._global.append(now)


def _trim(window: deque[float], before: float) -> None:
    while window and window[0] <= before:
        window.popleft()


def _wait(seconds: float) -> int:
    return max(1, math.ceil(seconds))


@dataclass
class _Injection:
    method: str
    error: ApiError
    count: int
    chat_id: int | None


class Injections:
    """Errors queued by fail_next, consumed by the next matching calls."""

    def __init__(self) -> None:
        self._queue: list[_Injection] = []

    def add(self, method: str, error: ApiError, count: int, chat_id: int | None) -> None:
        """Fail the next `count` calls of `method` (only for `chat_id` if given)."""
        self._queue.append(_Injection(method, error, count, chat_id))

    def take(self, method: str, params: dict[str, Any]) -> ApiError | None:
        """The error for this call, if one is queued."""
        for injection in self._queue:
            if injection.method != method:
                continue
            if injection.chat_id is not None and str(params.get("chat_id")) != str(injection.chat_id):
                continue
            injection.count -= 1
            if injection.count <= 0:
                self._queue.remove(injection)
            return injection.error
        return None

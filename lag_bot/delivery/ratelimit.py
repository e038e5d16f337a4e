"""Keeping within Telegram's limits: overall per second, per chat per second, per group per minute.

One limiter per bot counts every message it sends or edits: the outbox's sends, the handlers'
replies, the live cards and the progress messages. Who asks decides only the place in line:

    limiter = RateLimiter(SendLimits(per_second=30, per_chat_per_second=1, per_group_per_minute=20))
    await limiter.take_reply(chat_id, is_group=False)   # a reply: ahead of bulk, short bursts allowed
    delay = limiter.reserve(chat_id, is_group=True)     # the next slot, ahead of the waiting (or None)
    await limiter.take_fair(chat_id, is_group=False)    # background edits: in turn, behind the replies
    if limiter.chat_wait(chat_id, is_group=False) == 0: # the outbox: may this chat get one now?
        await limiter.take(chat_id, is_group=False)     # wait for the slot, right before sending
    limiter.pause(3.0)                                  # after a 429: nobody sends for 3 s

The overall limit and the outbox's per-chat limits space sends evenly (a send every 1/rate
seconds, the way a leaky bucket drains, at `HEADROOM` of the rate), so no window of any length
holds more than the limit allows. Replies may use what Telegram tolerates on top: a short burst
in a private chat (`PRIVATE_BURST`), and in a group any 20 in a minute rather than one every 3 s.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

PRIVATE_BURST = 3  # messages in a row Telegram accepts in a private chat before its 1 per second
GROUP_WINDOW = 60.0  # seconds: the group limit counts messages per minute
# Slots are handed out at 98 % of each limit: a request that reaches Telegram a few milliseconds
# later than the one after it (the network, a busy event loop) must not make 31 in one second.
HEADROOM = 0.98
# A slot taken this little after its time still counts from its time: a sleep always wakes a bit
# late, and counting from the wake-up would lose that much of every interval (about 2 % at 30/s).
# Small enough that no second can hold one send more than the limit.
LATE_FORGIVEN = 0.002


@dataclass(frozen=True)
class SendLimits:
    """The limits (Telegram's documented ones by default)."""

    per_second: float = 30.0
    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20.0


class _Spacing:
    """Grants at least `interval` seconds apart (with `tolerance`: that much earlier, for a burst).

    With `stall_guard`, a grant to a request that waited for its slot and came more than a whole
    interval late leaves the next slot free: the event loop stood still (a garbage collection, a
    slow callback), and a send granted just before may only now be going out, beside this one. One
    slot costs 1/30 s; a 429 would stop every send for a second."""

    __slots__ = ("interval", "next_at", "stall_guard")

    def __init__(self, interval: float, stall_guard: bool = False) -> None:
        self.interval = interval
        self.next_at = 0.0
        self.stall_guard = stall_guard

    def wait_time(self, now: float, tolerance: float = 0.0) -> float:
        return max(0.0, self.next_at - tolerance - now)

    def record(self, now: float, waited: bool = False) -> None:
        late = now - self.next_at
        if 0.0 <= late <= LATE_FORGIVEN:
            start = self.next_at
        elif self.stall_guard and waited and late > self.interval:
            start = now + self.interval
        else:
            start = max(now, self.next_at)
        self.next_at = start + self.interval


class _Chat:
    """One chat's spacing, and for a group the times of its last messages (its per-minute window)."""

    __slots__ = ("recent", "spacing")

    def __init__(self, interval: float, window: int | None) -> None:
        self.spacing = _Spacing(interval)
        self.recent: deque[float] | None = deque(maxlen=window) if window else None

    def wait_time(self, now: float, reply: bool) -> float:
        if self.recent is None:  # a private chat: replies may burst, the outbox keeps the spacing
            tolerance = (PRIVATE_BURST - 1) * self.spacing.interval if reply else 0.0
            return self.spacing.wait_time(now, tolerance)
        full = len(self.recent) == self.recent.maxlen
        window_wait = max(0.0, self.recent[0] + GROUP_WINDOW / HEADROOM - now) if full else 0.0
        return window_wait if reply else max(window_wait, self.spacing.wait_time(now))

    def record(self, at: float) -> None:
        self.spacing.record(at)
        if self.recent is not None:
            self.recent.append(at)

    def idle(self, now: float) -> bool:
        return self.spacing.next_at <= now and (
            not self.recent or self.recent[-1] + GROUP_WINDOW / HEADROOM <= now
        )


class RateLimiter:
    """Hands out send slots no faster than the limits."""

    def __init__(self, limits: SendLimits, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._now = monotonic
        self._overall = _Spacing(1.0 / (limits.per_second * HEADROOM), stall_guard=True)
        self._chats: dict[int, _Chat] = {}
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self._fair = asyncio.Lock()  # fair: background requests wait for slots in turn
        self.limits = limits

    @property
    def limits(self) -> SendLimits:
        """The limits in force."""
        return self._limits

    @limits.setter
    def limits(self, limits: SendLimits) -> None:
        """Change the limits from the next slot on (each chat's spacing starts afresh)."""
        self._limits = limits
        self._overall.interval = 1.0 / (limits.per_second * HEADROOM)
        self._chats.clear()

    def pause(self, seconds: float) -> None:
        """Stop all sends for `seconds` (Telegram said 429 with retry_after)."""
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def chat_wait(self, chat_id: int, is_group: bool) -> float:
        """Seconds until `chat_id` may get its next bulk message (0.0: now); takes nothing."""
        return self._chat(chat_id, is_group).wait_time(self._now(), reply=False)

    async def take(self, chat_id: int, is_group: bool) -> None:
        """Wait for a slot that keeps every limit, and take it (the outbox's way)."""
        chat = self._chat(chat_id, is_group)
        waited = False
        while True:
            async with self._lock:
                now = self._now()
                wait = max(
                    self._paused_until - now, self._overall.wait_time(now), chat.wait_time(now, reply=False)
                )
                if wait <= 0:
                    self._overall.record(now, waited)
                    chat.record(now)
                    self._forget_idle(now)
                    return
            await asyncio.sleep(wait)
            waited = True

    async def take_fair(self, chat_id: int, is_group: bool) -> None:
        """Wait for a slot in the order asked, among requests that are not in a hurry (a card
        edited in the background): a burst of them cannot starve one, nor hold up a reply."""
        await asyncio.sleep(self.chat_wait(chat_id, is_group))  # the chat's own spacing first
        async with self._fair:
            await self.take(chat_id, is_group)

    def reserve(self, chat_id: int, is_group: bool) -> float | None:
        """Reserve the next overall slot ahead of the sends waiting for one: the seconds until it
        (sleep that long, then send), or None when a pause or the chat's own spacing does not allow
        a send now. The slot keeps the even spacing; the waiting sends move back by one."""
        return self._reserve(chat_id, is_group, reply=False)

    async def take_reply(self, chat_id: int | None, is_group: bool) -> None:
        """Wait for a slot for a reply to someone waiting: ahead of the bulk sends, within every
        limit, with the short bursts Telegram allows in one chat (`chat_id` None: the overall
        limit only, as for an inline message)."""
        while True:
            delay = self._reserve(chat_id, is_group, reply=True)
            if delay is not None:
                if delay > 0:
                    await asyncio.sleep(delay)
                return
            now = self._now()
            chat_wait = self._chat(chat_id, is_group).wait_time(now, reply=True) if chat_id is not None else 0
            await asyncio.sleep(max(self._paused_until - now, chat_wait, 0.001))

    def _reserve(self, chat_id: int | None, is_group: bool, reply: bool) -> float | None:
        now = self._now()
        chat = self._chat(chat_id, is_group) if chat_id is not None else None
        if self._paused_until > now or (chat is not None and chat.wait_time(now, reply) > 0):
            return None
        at = max(now, self._overall.next_at)
        self._overall.record(at)
        if chat is not None:
            chat.record(at)
            self._forget_idle(now)
        return at - now

    def _chat(self, chat_id: int, is_group: bool) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            if is_group:
                window = max(1, int(self.limits.per_group_per_minute * GROUP_WINDOW / 60.0))
                chat = _Chat(60.0 / (self.limits.per_group_per_minute * HEADROOM), window)
            else:
                chat = _Chat(1.0 / (self.limits.per_chat_per_second * HEADROOM), None)
            self._chats[chat_id] = chat
        return chat

    def _forget_idle(self, now: float) -> None:
        if len(self._chats) > 10_000:
            self._chats = {k: c for k, c in self._chats.items() if not c.idle(now)}

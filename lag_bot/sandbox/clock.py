"""The sandbox's clock: real time, plus however far the page has fast-forwarded it.

Fast-forward steps the clock through every moment something is due in the skipped span (the
one reminder scheduler holds reminders, event reminders and question deadlines), and waits at
each until the scheduler has handled it: everything fires in order, at its own time, as if that
time had passed normally, never as "missed" or "late".
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

NextDue = Callable[[], Awaitable[datetime | None]]  # when the scheduler must look next
MAX_MINUTES = 30 * 24 * 60
SETTLE = 5.0  # seconds to wait for the scheduler (it looks four times a second) to handle one moment
MAX_STEPS = 2000  # a guard: no span of 30 days holds more due moments in the demo


class FastForwardClock:
    """`clock()` is now plus an offset that only grows."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def jump_to(self, moment: datetime) -> None:
        """Make it `moment` now (never backwards)."""
        now = self()
        if moment > now:
            self.offset += moment - now


async def fast_forward(clock: FastForwardClock, minutes: int, next_due: NextDue) -> int:
    """Move time on by `minutes` (1 minute to 30 days), stopping at each due moment on the way
    until the scheduler has handled it; the number of moments stepped through."""
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValueError("minutes out of range")
    target = clock() + timedelta(minutes=minutes)
    loop = asyncio.get_running_loop()
    steps = 0
    while steps < MAX_STEPS and (due := await next_due()) is not None and due <= target:
        clock.jump_to(due)
        give_up = loop.time() + SETTLE
        while (still := await next_due()) is not None and still <= due:
            if loop.time() > give_up:
                clock.jump_to(target)  # the scheduler is stuck: don't hold the page
                return steps
            await asyncio.sleep(0.05)
        steps += 1
    clock.jump_to(target)
    return steps

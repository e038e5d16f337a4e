"""The rate limiter spaces sends so that no window holds more than a limit allows."""

from __future__ import annotations

import pytest

from lag_bot.ratelimit import RateLimiter, SendLimits


class FakeTime:
    """A monotonic clock that `asyncio.sleep` does not move; the test moves it."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.timeout(10)
@pytest.mark.parametrize("rate", [29.0, 30.0, 7.5])
async def test_overall_rate_is_exact(rate: float) -> None:
    clock = FakeTime()
    limiter = RateLimiter(SendLimits(per_second=rate, per_chat_per_second=1000), monotonic=clock)
    granted: list[float] = []
    for chat in range(200):
        while limiter._overall.wait_time(clock.now) > 0:  # advance time instead of sleeping
            clock.now += 0.001
        await limiter.take(chat, is_group=False)
        granted.append(clock.now)
    window = [t for t in granted if granted[0] <= t < granted[0] + 1.0]
    assert len(window) <= int(rate) + 1
    span = granted[-1] - granted[0]
    assert abs(199 / span - rate) / rate < 0.02


@pytest.mark.timeout(10)
async def test_chat_and_group_spacing_and_pause() -> None:
    clock = FakeTime()
    limiter = RateLimiter(SendLimits(), monotonic=clock)
    await limiter.take(1, is_group=False)
    assert limiter.chat_wait(1, is_group=False) == pytest.approx(1.0)
    assert limiter.chat_wait(2, is_group=False) == 0.0
    clock.now += 0.1  # past the overall spacing (1/30 s)
    await limiter.take(-5, is_group=True)
    assert limiter.chat_wait(-5, is_group=True) == pytest.approx(3.0)  # 20 per minute
    assert limiter.chat_wait(1, is_group=False) == pytest.approx(0.9)
    limiter.pause(2.0)
    clock.now += 1.5
    assert limiter.chat_wait(1, is_group=False) == 0.0
    assert limiter._paused_until - clock.now == pytest.approx(0.5)


@pytest.mark.timeout(10)
async def test_a_reserved_slot_goes_ahead_and_keeps_the_spacing() -> None:
    clock = FakeTime()
    limiter = RateLimiter(SendLimits(), monotonic=clock)
    await limiter.take(1, is_group=False)
    # The next overall slot is 1/30 s away: the reservation gets it, the waiting sends the one after.
    assert limiter.reserve(-5, is_group=True) == pytest.approx(1 / 30)
    assert limiter._overall.wait_time(clock.now) == pytest.approx(2 / 30)
    assert limiter.reserve(-5, is_group=True) is None  # the group's own spacing (20 a minute)
    assert limiter.reserve(-6, is_group=True) == pytest.approx(2 / 30)  # another group: the next one
    limiter.pause(1.0)
    assert limiter.reserve(-7, is_group=True) is None  # nobody sends during a flood pause

"""The rate limiter spaces sends so that no window holds more than a limit allows."""

from __future__ import annotations

import asyncio

import pytest

from lag_bot.delivery.ratelimit import HEADROOM, RateLimiter, SendLimits, _Spacing

SLOT = 1 / (30 * HEADROOM)  # seconds between two sends at the default 30 a second


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
            clock.now += 0.0001
        await limiter.take(chat, is_group=False)
        granted.append(clock.now)
    window = [t for t in granted if granted[0] <= t < granted[0] + 1.0]
    assert len(window) <= int(rate) + 1
    span = granted[-1] - granted[0]
    assert abs(199 / span - rate * HEADROOM) / rate < 0.01  # just under the limit, never over


@pytest.mark.timeout(10)
async def test_chat_and_group_spacing_and_pause() -> None:
    clock = FakeTime()
    limiter = RateLimiter(SendLimits(), monotonic=clock)
    await limiter.take(1, is_group=False)
    assert limiter.chat_wait(1, is_group=False) == pytest.approx(1.0 / HEADROOM)
    assert limiter.chat_wait(2, is_group=False) == 0.0
    clock.now += 0.1  # past the overall spacing (1/30 s)
    await limiter.take(-5, is_group=True)
    assert limiter.chat_wait(-5, is_group=True) == pytest.approx(3.0 / HEADROOM)  # 20 per minute
    assert limiter.chat_wait(1, is_group=False) == pytest.approx(1.0 / HEADROOM - 0.1)
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
    assert limiter.reserve(-5, is_group=True) == pytest.approx(SLOT)
    assert limiter._overall.wait_time(clock.now) == pytest.approx(2 * SLOT)
    assert limiter.reserve(-5, is_group=True) is None  # the group's own spacing (20 a minute)
    assert limiter.reserve(-6, is_group=True) == pytest.approx(2 * SLOT)  # another group: the next one
    limiter.pause(1.0)
    assert limiter.reserve(-7, is_group=True) is None  # nobody sends during a flood pause


@pytest.mark.timeout(10)
async def test_a_reply_goes_ahead_of_bulk_and_bursts_only_where_telegram_allows() -> None:
    clock = FakeTime()
    limiter = RateLimiter(SendLimits(), monotonic=clock)
    for chat in range(10):  # the outbox has used the next slots
        await limiter.take(chat, is_group=False)
        clock.now += SLOT
    # A reply to someone waiting: the next overall slot, without waiting for the bulk sends.
    await limiter.take_reply(500, is_group=False)
    assert limiter._overall.wait_time(clock.now) == pytest.approx(SLOT)
    # In a private chat Telegram takes three in a row; the outbox waits for the spacing after them.
    clock.now += 1
    for _ in range(3):
        assert limiter._reserve(501, is_group=False, reply=True) is not None
        clock.now += 0.04
    assert limiter._reserve(501, is_group=False, reply=True) is None  # a fourth must wait
    assert limiter.chat_wait(501, is_group=False) > 2.0
    # In a group: any 20 a minute for replies (not one every 3 s), never a 21st within the minute.
    for _ in range(20):
        assert limiter._reserve(-9, is_group=True, reply=True) is not None
        clock.now += 0.04
    assert limiter._reserve(-9, is_group=True, reply=True) is None
    clock.now += 62  # a minute (and the headroom) later
    assert limiter._reserve(-9, is_group=True, reply=True) is not None


@pytest.mark.timeout(10)
async def test_background_requests_wait_in_turn_behind_replies() -> None:
    limiter = RateLimiter(SendLimits(per_second=50, per_chat_per_second=1000))
    order: list[str] = []

    async def background(name: str) -> None:
        await limiter.take_fair(hash(name), is_group=False)
        order.append(name)

    async def reply(name: str) -> None:
        await limiter.take_reply(hash(name), is_group=False)
        order.append(name)

    tasks = [asyncio.create_task(background(f"b{i}")) for i in range(6)]
    await asyncio.sleep(0)  # the background edits are queued first
    tasks.append(asyncio.create_task(reply("reply")))
    await asyncio.gather(*tasks)
    assert order.index("reply") < 3  # it did not wait for the queue
    assert [n for n in order if n != "reply"] == [f"b{i}" for i in range(6)]


def test_changed_limits_apply_to_the_next_slot() -> None:
    limiter = RateLimiter(SendLimits())
    limiter.limits = SendLimits(per_second=5.0)
    assert limiter._overall.interval == pytest.approx(0.2 / HEADROOM)


def test_late_grants_keep_the_rate_and_a_stalled_loop_leaves_a_slot_free() -> None:
    spacing = _Spacing(0.1, stall_guard=True)
    spacing.record(10.0)
    spacing.record(10.1005)  # woke half a millisecond late: counted from its time, nothing lost
    assert spacing.next_at == pytest.approx(10.2)
    spacing.record(10.5, waited=True)  # waited, then came 0.3 s late: the loop stood still
    assert spacing.next_at == pytest.approx(10.7)  # a send granted before it may be going out now
    spacing.record(11.0)  # nobody was waiting (idle): the plain spacing
    assert spacing.next_at == pytest.approx(11.1)

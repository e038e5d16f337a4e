"""The sender: drains the outbox within Telegram's limits, and survives restarts.

    sender = Sender(db, transport, RateLimiter(SendLimits()), clock, on_unreachable=..., on_migrated=...)
    await sender.start()     # first recovers rows a crash left in flight
    sender.wake()            # new rows were written
    await sender.stop()      # lets the sends under way finish, then returns

Policy per send (see `delivery_errors`): a 429 pauses every send for `retry_after` and the row
waits without losing an attempt; a migrated group gets its new id and the part is sent there;
403 makes the chat unreachable; 5xx and connection errors retry with exponential backoff up to
`max_attempts`; a timeout (outcome unknown) is retried once and the row counted as a possible
duplicate; any other refusal fails the row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from lag_bot.clock import Clock, iso_ms
from lag_bot.db import Database
from lag_bot.delivery.errors import Migrated, OutcomeUnknown, RetryLater, ThreadGone, Transient, Unreachable
from lag_bot.delivery.message_parts import Part
from lag_bot.delivery.ratelimit import RateLimiter
from lag_bot.repositories.outbox import Delivery, OutboxRepository

log = logging.getLogger(__name__)
# A chat's spacing shorter than this is waited out holding the send slot; a longer one puts the row
# back (`not_before`) so that the slot serves other chats meanwhile.
SHORT_WAIT = 0.25


class Transport(Protocol):
    """Sends one part to one chat, raising a `DeliveryError` when it did not (surely) arrive."""

    async def send(self, chat_id: int, thread_id: int | None, part: Part) -> int | None:
        """Send the part; Telegram's message id if known."""

    async def close(self) -> None:
        """Release connections (after the sender stopped)."""


ChatHook = Callable[[Delivery], Awaitable[None]]
MigrationHook = Callable[[int, int], Awaitable[None]]
ThreadHook = Callable[[int, int], Awaitable[None]]  # (chat id, deleted topic)


class Sender:
    """One loop that hands due rows to a bounded number of concurrent sends."""

    def __init__(
        self,
        db: Database,
        transport: Transport,
        limiter: RateLimiter,
        clock: Clock,
        *,
        concurrency: int = 8,
        max_attempts: int = 5,
        backoff_base: float = 2.0,
        on_unreachable: ChatHook | None = None,
        on_migrated: MigrationHook | None = None,
        on_thread_gone: ThreadHook | None = None,
    ) -> None:
        self.outbox = OutboxRepository(db)
        self.transport = transport
        self.limiter = limiter  # shared with the application's bot (handlers/delivery/rate_limits.py)
        self.clock = clock
        self.concurrency = concurrency
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.on_unreachable = on_unreachable
        self.on_migrated = on_migrated
        self.on_thread_gone = on_thread_gone
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_hand: dict[int, int] = {}  # row id -> chat id of the sends under way
        self._sends: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(concurrency)

    async def start(self) -> None:
        """Recover what a crash left in flight, then start draining."""
        retried, failed = await self.outbox.recover_in_flight(iso_ms(self.clock()))
        if retried or failed:
            log.warning(
                "outbox: %d interrupted sends retried as possible duplicates, %d failed", retried, failed
            )
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    def wake(self) -> None:
        """Look for due rows now (new rows were written)."""
        self._wake.set()

    async def stop(self, grace: float = 10.0) -> None:
        """Stop taking rows; wait up to `grace` seconds for the sends under way."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._sends:
            await asyncio.wait(self._sends, timeout=grace)

    async def drained(self, seconds: float) -> bool:
        """Wait until no row is pending or in flight, retries included (for tests and benchmarks)."""
        async with asyncio.timeout(seconds):
            # Polls the database: rows can be written by another process (the CLI, a test).
            while await self.outbox.next_due() is not None or self._in_hand:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
            return True

    async def _run(self) -> None:
        while True:
            try:
                await self._dispatch_due()
            except Exception:  # a database hiccup must not end the sender: log and try again
                log.exception("outbox: dispatching due rows failed")
                await asyncio.sleep(1.0)

    async def _dispatch_due(self) -> None:
        batch = await self.outbox.due(iso_ms(self.clock()), self.concurrency * 4, tuple(self._in_hand))
        # One row per chat at a time: a second row for a busy chat waits for the next round
        # instead of holding a send slot while the chat's spacing runs out.
        busy = set(self._in_hand.values())
        chosen = []
        for row in batch:
            if row.chat_id not in busy:
                busy.add(row.chat_id)
                chosen.append(row)
        batch = chosen
        if not batch:
            await self._sleep_until_due()
            return
        for row in batch:
            await self._slots.acquire()
            self._in_hand[row.id] = row.chat_id
            task = asyncio.create_task(self._deliver_guarded(row))
            self._sends.add(task)
            task.add_done_callback(self._sends.discard)

    async def _sleep_until_due(self) -> None:
        self._wake.clear()
        timeout = 1.0
        next_due = await self.outbox.next_due()
        if next_due is not None and not self._in_hand:
            seconds = (datetime.fromisoformat(next_due) - self.clock()).total_seconds()
            timeout = min(1.0, max(0.01, seconds))
        elif self._in_hand:
            timeout = 0.05
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def _deliver_guarded(self, row: Delivery) -> None:
        try:
            await self._deliver(row)
        except Exception:  # e.g. the database was locked too long: retry this row, bounded
            log.exception("outbox: delivery %s failed unexpectedly", row.id)
            with contextlib.suppress(Exception):
                if row.attempts + 1 >= self.max_attempts:
                    await self.outbox.finish(row.id, "failed", "internal error")
                else:
                    await self.outbox.retry(row.id, self._later(5.0), "internal error")
        finally:
            self._in_hand.pop(row.id, None)
            self._slots.release()

    async def _deliver(self, row: Delivery) -> None:
        chat_id = row.chat_id
        is_group = row.group_id is not None
        wait = self.limiter.chat_wait(chat_id, is_group)
        if wait > SHORT_WAIT:  # this chat had a message just now: send to others meanwhile
            # No attempt was started, so none is taken back either.
            await self.outbox.retry(row.id, self._later(wait), "rate limit")
            return
        # A shorter wait (a reply went to this chat a moment ago) is waited out in `take` below.
        if not await self.outbox.start_attempt(row.id):
            return  # stopped meanwhile
        index = row.next_part
        thread_id = row.thread_id
        while index < len(row.parts):
            # The slot is taken right before the request, so a slow database write cannot
            # bunch sends together at Telegram; every part of a long message needs its own.
            await self.limiter.take(chat_id, is_group)
            try:
                message_id = await self.transport.send(chat_id, thread_id, row.parts[index])
            except RetryLater as exc:
                self.limiter.pause(exc.seconds)
                await self.outbox.retry(row.id, self._later(exc.seconds), exc.reason, uncount=True)
                return
            except Migrated as exc:
                if chat_id != row.chat_id:  # migrated twice in one attempt: try again later
                    await self.outbox.retry(row.id, self._later(5.0), exc.reason)
                    return
                if self.on_migrated is not None:
                    await self.on_migrated(chat_id, exc.new_chat_id)
                await self.outbox.retarget(chat_id, exc.new_chat_id)
                chat_id = exc.new_chat_id
                continue
            except ThreadGone:
                # The forum topic was deleted: forget it (this row, the rows waiting for it and the
                # group's link) and send to the group's General topic instead, which it sees.
                if thread_id is None:
                    await self.outbox.finish(row.id, "failed", "message thread not found")
                    return
                await self.outbox.drop_thread(chat_id, thread_id)
                if self.on_thread_gone is not None:
                    await self.on_thread_gone(chat_id, thread_id)
                thread_id = None
                continue
            except Unreachable as exc:
                # The member (or group) first: a crash in between must not leave them reachable.
                if self.on_unreachable is not None:
                    await self.on_unreachable(replace(row, chat_id=chat_id))
                await self.outbox.finish(row.id, "unreachable", exc.reason)
                return
            except OutcomeUnknown as exc:
                if row.possible_duplicate:
                    await self.outbox.finish(row.id, "failed", f"outcome unknown twice: {exc.reason}")
                else:
                    await self.outbox.retry(row.id, self._later(1.0), exc.reason, duplicate=True)
                return
            except Transient as exc:
                if row.attempts + 1 >= self.max_attempts:
                    await self.outbox.finish(row.id, "failed", exc.reason)
                else:
                    delay = min(60.0, self.backoff_base ** (row.attempts + 1))
                    await self.outbox.retry(row.id, self._later(delay), exc.reason)
                return
            except Exception as exc:  # Rejected, or anything the transport did not classify
                await self.outbox.finish(row.id, "failed", str(exc) or type(exc).__name__)
                return
            index += 1
            done = index == len(row.parts)
            await self.outbox.part_sent(
                row.id, index, done, iso_ms(self.clock()), message_id if done else None
            )

    def _later(self, seconds: float) -> str:
        return iso_ms(self.clock() + timedelta(seconds=seconds))

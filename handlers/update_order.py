"""Concurrent update processing that keeps each conversation's order.

    app = ApplicationBuilder()...concurrent_updates(OrderedUpdateProcessor(in_flight=32)).build()

Updates of different chats, and of different people in one group, are handled at the same time, up
to `in_flight` at once: a handler waiting for Telegram (tens of milliseconds per call in production)
no longer holds up everyone else's. Updates with the same key (`order_key`: the chat and, in a
group, the person) are handled one after the other, in the order Telegram delivered them, so a
dialog never sees its steps out of order and a double press is decided after the first.

An update waiting for its key's turn does not take one of the `in_flight` places: a person who
floods the bot queues behind themself, not in front of everyone else. At most `queued` updates are
accepted (waiting or running) before PTB's fetching waits as well.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

Key = tuple[int | None, int | None]


def order_key(update: object) -> Key | None:
    """Whose updates must keep their order: (chat, person in a group); None for no order at all."""
    if not isinstance(update, Update):
        return None
    chat, user = update.effective_chat, update.effective_user
    if chat is None and user is None:
        return None
    if chat is not None and chat.type == "private":
        return (chat.id, None)  # the private chat is the person
    return (chat.id if chat is not None else None, user.id if user is not None else None)


class _Turn:
    """The lock of one key and how many updates hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # waiters are woken first come, first served
        self.users = 0


class OrderedUpdateProcessor(BaseUpdateProcessor):
    """Runs up to `in_flight` updates at once, one at a time per `order_key`."""

    def __init__(self, in_flight: int, queued: int = 10_000) -> None:
        # PTB's own semaphore bounds what is accepted; ours bounds what runs.
        super().__init__(max_concurrent_updates=max(queued, in_flight))
        self.in_flight = in_flight
        self._running = asyncio.Semaphore(in_flight)
        self._turns: dict[Key, _Turn] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the key's turn (without a running place), then for a running place, then run."""
        key = order_key(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        # No await between entering and queueing on the lock: PTB starts the tasks in the order
        # of the updates, so the lock's queue keeps that order.
        turn = self._turns.get(key)
        if turn is None:
            turn = self._turns[key] = _Turn()
        turn.users += 1
        try:
            async with turn.lock, self._running:
                await coroutine
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._turns[key]

    @property
    def waiting_keys(self) -> int:
        """How many conversations have updates running or waiting now."""
        return len(self._turns)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for the running updates itself."""

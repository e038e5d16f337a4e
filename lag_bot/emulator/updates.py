"""The bot's update queue with getUpdates semantics: offsets confirm, long polls wait, filters apply."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from .models import ApiError

# Telegram's default when allowed_updates is empty: everything except these.
_OPT_IN_ONLY = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class UpdateQueue:
    """One global queue of updates with increasing update_id."""

    def __init__(self) -> None:
        self._updates: list[tuple[int, str, dict[str, Any]]] = []
        self._next_id = 1
        self._waiters: set[asyncio.Future[None]] = set()
        self._allowed: list[str] = []
        self._closed = False
        self._generation = 0  # bumps with every getUpdates; an older waiting poll is then terminated

    def put(self, kind: str, payload: dict[str, Any]) -> int:
        """Enqueue one update of type `kind` (e.g. "message"); wake long polls. Synchronous on purpose."""
        update_id = self._next_id
        self._next_id += 1
        self._updates.append((update_id, kind, payload))
        self._wake()
        return update_id

    def pending(self) -> int:
        """How many updates are not yet confirmed."""
        return len(self._updates)

    def drop_pending(self) -> None:
        """Forget everything queued (deleteWebhook/setWebhook with drop_pending_updates)."""
        self._updates.clear()

    def confirm(self, offset: int) -> None:
        """Forget the updates below `offset` (a webhook delivery was accepted)."""
        self._confirm(offset)

    def set_allowed(self, allowed_updates: list[str]) -> None:
        """The update types to deliver from now on (setWebhook's allowed_updates persist too)."""
        self._allowed = list(allowed_updates)

    async def next_pending(self, timeout: float) -> dict[str, Any] | None:  # noqa: ASYNC109
        """The oldest deliverable update, waiting up to `timeout` seconds for one (webhook delivery)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._closed:
            found = self._select(1)
            remaining = deadline - loop.time()
            if found:
                return found[0]
            if remaining <= 0:
                return None
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter, remaining)
            finally:
                self._waiters.discard(waiter)
        return None

    def close(self) -> None:
        """Release all long polls (server shutdown)."""
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        # Futures instead of a Condition: put() must work from synchronous code (block(), etc.).
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            # Negative offset: keep only the last -offset updates (Telegram semantics).
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u[0] >= offset]

    def _select(self, limit: int) -> list[dict[str, Any]]:
        allowed = set(self._allowed)
        chosen = [
            {"update_id": uid, kind: payload}
            for uid, kind, payload in self._updates
            if (kind in allowed if allowed else kind not in _OPT_IN_ONLY)
        ]
        return chosen[:limit]

    async def get(
        self,
        offset: int | None,
        limit: int,
        timeout: float,  # noqa: ASYNC109 - the Bot API's own parameter name
        allowed_updates: list[str] | None,
    ) -> list[dict[str, Any]]:
        """getUpdates: confirm < offset, then return up to `limit` updates, waiting up to `timeout`."""
        self._generation += 1
        generation = self._generation
        self._wake()  # like Telegram: a newer getUpdates terminates one still waiting
        if allowed_updates is not None:
            self._allowed = list(allowed_updates)  # persists like on Telegram
        self._confirm(offset)
        limit = max(1, min(100, limit))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, timeout)
        while True:
            if generation != self._generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            found = self._select(limit)
            remaining = deadline - loop.time()
            if found or remaining <= 0 or self._closed:
                return found
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter, remaining)
            finally:
                # Runs on cancellation too (client went away): no stale waiter stays behind.
                self._waiters.discard(waiter)

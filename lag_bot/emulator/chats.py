"""What one chat shows: the bot's messages (current state), plus cursors and waits for tests."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass

from .models import SimMessage

DEFAULT_TIMEOUT = 5.0
# One sequence across all chats, so "after the user's last action" is well defined everywhere.
_SEQUENCE = itertools.count(1)


def next_seq() -> int:
    """The next global event number."""
    return next(_SEQUENCE)


class NoMessageError(AssertionError, TimeoutError):
    """Nothing suitable arrived in time (both an AssertionError and a TimeoutError, so either catch works)."""


@dataclass(frozen=True)
class _Event:
    seq: int
    new: bool  # False: an edit that changed the text
    message: SimMessage  # snapshot at that moment


class ChatLog:
    """Bot messages in one chat with a read cursor; base of SimUser and SimGroup."""

    def __init__(self) -> None:
        self._current: dict[int, SimMessage] = {}  # bot messages by id, edits applied
        self._all: dict[int, SimMessage] = {}  # also the users' messages, for replies
        self._events: list[_Event] = []
        self._cursor = 0
        self._waiters: set[asyncio.Future[None]] = set()
        self._last_message_id = 0
        self._last_action = 0  # seq of the last simulated user action in this chat

    @property
    def messages(self) -> list[SimMessage]:
        """The bot's messages here, current state, in order (deleted ones are gone)."""
        return list(self._current.values())

    def history(self) -> list[SimMessage]:
        """Everything in this chat, the users' messages and the bot's (current state), in order."""
        return [self._all[i] for i in sorted(self._all)]

    def new_message_id(self) -> int:
        """Message ids count per chat, like in private chats and groups on Telegram."""
        self._last_message_id += 1
        return self._last_message_id

    def find(self, message_id: int) -> SimMessage | None:
        """Any message in this chat (bot's or users'), current state."""
        return self._current.get(message_id) or self._all.get(message_id)

    def record_user_message(self, message: SimMessage) -> None:
        """Remember a user's message (for replies) and mark a user action."""
        self._all[message.message_id] = message
        self.mark_action()

    def mark_action(self) -> None:
        """A simulated person did something here; no_message() only looks at what comes after."""
        self._last_action = next_seq()

    def record_bot_message(self, message: SimMessage) -> None:
        """The bot sent a message here."""
        self._current[message.message_id] = message
        self._all[message.message_id] = message
        self._events.append(_Event(next_seq(), True, message))
        self._notify()

    def record_edit(self, message: SimMessage, text_changed: bool) -> None:
        """The bot edited a message; only text changes are visible to wait_for."""
        self._current[message.message_id] = message
        self._all[message.message_id] = message
        if text_changed:
            self._events.append(_Event(next_seq(), False, message))
        self._notify()

    def record_delete(self, message_id: int) -> None:
        """The message disappears from the chat."""
        self._current.pop(message_id, None)
        self._all.pop(message_id, None)
        self._notify()

    def _notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _until(self, probe: Callable[[], SimMessage | None], timeout: float) -> SimMessage | None:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = probe()
            remaining = deadline - loop.time()
            if found is not None or remaining <= 0:
                return found
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                await asyncio.wait({waiter}, timeout=remaining)
            finally:
                self._waiters.discard(waiter)

    def _arrived(self) -> str:
        unread = [e for e in self._events[self._cursor :]]
        if not unread:
            return "nothing new arrived; earlier: " + repr([m.text[:80] for m in self.messages[-5:]])
        return "arrived: " + repr([("edit: " if not e.new else "") + e.message.text[:200] for e in unread])

    async def next_message(self, timeout: float = DEFAULT_TIMEOUT) -> SimMessage:  # noqa: ASYNC109
        """The next new bot message here not yet returned (a snapshot as it was sent)."""

        def probe() -> SimMessage | None:
            for index in range(self._cursor, len(self._events)):
                if self._events[index].new:
                    self._cursor = index + 1
                    return self._events[index].message
            return None

        found = await self._until(probe, timeout)
        if found is None:
            raise NoMessageError(f"no new bot message in chat {self._chat_label()} within {timeout}s")
        return found

    async def wait_for(
        self,
        predicate: Callable[[SimMessage], bool],
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> SimMessage:
        """The first message since the cursor (new, or edited to new text) matching; cursor moves past it."""

        def probe() -> SimMessage | None:
            for index in range(self._cursor, len(self._events)):
                if predicate(self._events[index].message):
                    self._cursor = index + 1
                    return self._events[index].message
            return None

        found = await self._until(probe, timeout)
        if found is None:
            raise NoMessageError(
                f"no matching bot message in chat {self._chat_label()} within {timeout}s; {self._arrived()}"
            )
        return found

    async def wait_edit(
        self,
        message: SimMessage,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> SimMessage:
        """Wait until `message` is edited beyond the given snapshot; return the new state."""

        def probe() -> SimMessage | None:
            current = self._current.get(message.message_id)
            return current if current is not None and current.edits > message.edits else None

        found = await self._until(probe, timeout)
        if found is None:
            raise NoMessageError(
                f"message {message.message_id} in chat {self._chat_label()} not edited within {timeout}s "
                f"(still: {message.text[:200]!r}); {self._arrived()}"
            )
        return found

    async def no_message(self, within: float = 0.3) -> None:
        """Assert the bot sends nothing new here within `within` s (counting since the last user action)."""

        def probe() -> SimMessage | None:
            for event in self._events[self._cursor :]:
                if event.new and event.seq > self._last_action:
                    return event.message
            return None

        found = await self._until(probe, within)
        if found is not None:
            raise AssertionError(f"unexpected bot message in chat {self._chat_label()}: {found.text[:300]!r}")

    def _chat_label(self) -> str:
        return str(getattr(self, "id", "?"))

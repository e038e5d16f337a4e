"""Live counts on the copies of an event's announcement in GROUPS: which events changed, and which
group messages may be edited now.

    cards = LiveCards(interval=5.0)
    cards.mark(event_id)                    # answers changed (the events service calls this)
    for event_id in cards.take():           # the refresh job, every second
        for copy in cards.ready(event_id, copies_of_event):
            ...edit copy...; cards.edited(copy)

Only group copies are kept up to date. A member's private copy shows their own answer and is
re-rendered when they press it (or open /termine): editing every private copy on every answer would
cost one API call per member per answer and eat Telegram's limits (30 messages a second for the
whole bot), so an event with 2,000 invited members would need minutes of sending per answer.

Each group message is edited at most once per `interval` (the first change shows at the next run,
later ones are collected), and a group message that cannot be edited any more (deleted, too old,
the bot removed) is forgotten. The state is in memory: after a restart the next answer refreshes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

INTERVAL = 5.0  # seconds between two edits of one group message


@dataclass(frozen=True)
class CardCopy:
    """A delivered copy of an announcement in a group."""

    chat_id: int
    message_id: int


class LiveCards:
    """Events with changed answers, and when each group copy was last edited."""

    def __init__(self, interval: float = INTERVAL, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.monotonic = monotonic
        self._dirty: set[int] = set()
        self._last_edit: dict[CardCopy, float] = {}
        self._gone: set[CardCopy] = set()

    def mark(self, event_id: int) -> None:
        """The event's counts (or its text) changed: its group copies need a refresh."""
        self._dirty.add(event_id)

    def take(self) -> list[int]:
        """The changed events, in id order; they are unmarked (`ready` marks one again if needed)."""
        taken, self._dirty = sorted(self._dirty), set()
        return taken

    def ready(self, event_id: int, copies: Iterable[CardCopy]) -> list[CardCopy]:
        """The copies that may be edited now; if any must wait, the event stays marked for later."""
        now = self.monotonic()
        self._last_edit = {c: at for c, at in self._last_edit.items() if now - at < self.interval}
        chosen, waiting = [], False
        for copy in copies:
            if copy in self._gone:
                continue
            if copy in self._last_edit:
                waiting = True
            else:
                chosen.append(copy)
        if waiting:
            self.mark(event_id)
        return chosen

    def edited(self, copy: CardCopy) -> None:
        """An edit of the copy was made (or attempted): the next waits `interval`."""
        self._last_edit[copy] = self.monotonic()

    def forget(self, copy: CardCopy) -> None:
        """The copy cannot be edited any more (deleted, too old, the bot left the group)."""
        self._gone.add(copy)

    @property
    def pending(self) -> int:
        """How many events wait for a refresh (for tests and benchmarks)."""
        return len(self._dirty)

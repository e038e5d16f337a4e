"""The last few errors the error handler saw, in memory, for `/status`.

    errors = RecentErrors(clock)
    errors.add("message", KeyError("x"))     # kept: the time, where, and the exception's type
    errors.latest()                          # newest first

Only the exception's class name is kept, never its message: a message can quote what a user
typed, a name, or a request URL with the token in it.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from lag_bot.clock import Clock

KEEP = 10


@dataclass(frozen=True)
class ErrorSummary:
    """One error, without personal data."""

    at: datetime
    where: str  # the kind of update ("message", "callback_query") or "job"
    error: str  # the exception's class name


class RecentErrors:
    """A ring of the last `KEEP` error summaries."""

    def __init__(self, clock: Clock, keep: int = KEEP) -> None:
        self.clock = clock
        self._items: deque[ErrorSummary] = deque(maxlen=keep)

    def add(self, where: str, error: BaseException | None) -> None:
        """Remember one error."""
        name = type(error).__name__ if error is not None else "unknown"
        self._items.append(ErrorSummary(self.clock(), where, name))

    def latest(self) -> list[ErrorSummary]:
        """The remembered errors, newest first."""
        return list(reversed(self._items))

"""The sandbox's clock: real time, plus however far the page has fast-forwarded it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FastForwardClock:
    """`clock()` is now plus an offset that only grows, so reminders and deadlines can be seen firing."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def forward(self, minutes: int) -> None:
        """Move time on by `minutes` (1 minute to 30 days at a time)."""
        if not 1 <= minutes <= 30 * 24 * 60:
            raise ValueError("minutes out of range")
        self.offset += timedelta(minutes=minutes)

"""The current time, in one place, so tests can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, timezone-aware in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """The form timestamps are stored in: ISO 8601 in UTC, seconds precision."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def iso_ms(moment: datetime) -> str:
    """A stored timestamp with milliseconds, for schedules finer than a second (the outbox).

    It sorts correctly against `iso` values: "…:00+00:00" < "…:00.500+00:00" < "…:01+00:00".
    """
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")

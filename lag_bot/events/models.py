"""The records of the events feature, as the data layer returns them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lag_bot.audience import AudienceSpec

ANSWERS = ("yes", "no", "maybe", "waitlist")


@dataclass(frozen=True)
class Event:
    """A stored event (`starts_at`/`ends_at`: its first date, for a series)."""

    id: int
    uid: str
    sequence: int
    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    tz: str
    rrule: str | None
    place: str
    link: str
    description: str
    audience: AudienceSpec
    capacity: int | None
    deadline: datetime | None
    remind_offsets: tuple[int, ...]
    remind_maybe: bool
    shift_alert_days: int | None
    status: str
    created_by: int | None
    created_at: str
    updated_at: str
    exdates: tuple[datetime, ...] = ()  # cancelled dates of a series (their starts)
    group_ids: tuple[int, ...] = ()  # the groups it was announced to

    @property
    def cancelled(self) -> bool:
        """Whether the whole event was cancelled."""
        return self.status == "cancelled"


@dataclass(frozen=True)
class RsvpCounts:
    """How many answered what."""

    yes: int = 0
    maybe: int = 0
    no: int = 0
    waitlist: int = 0

    def free(self, capacity: int | None) -> int | None:
        """Seats left (None: no limit)."""
        return None if capacity is None else max(0, capacity - self.yes)


@dataclass(frozen=True)
class Attendee:
    """One answer, for the coordinators' list."""

    member_id: int
    name: str
    district: str
    answer: str
    answered_at: str
    position: int | None = None  # on the waitlist


@dataclass(frozen=True)
class Shift:
    """A shift with how many signed up (and whether the asking member did)."""

    id: int
    event_id: int
    starts_at: datetime
    ends_at: datetime
    min_people: int
    max_people: int | None
    signed: int = 0
    mine: bool = False

    @property
    def missing(self) -> int:
        """People still needed to reach the minimum."""
        return max(0, self.min_people - self.signed)

    @property
    def full(self) -> bool:
        """Whether the maximum is reached."""
        return self.max_people is not None and self.signed >= self.max_people


@dataclass(frozen=True)
class MemberFacets:
    """What a segment looks at in one member."""

    district_id: int | None
    role: str
    levels: frozenset[str]
    bodies: frozenset[int]
    topics: frozenset[int]

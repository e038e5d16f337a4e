"""An event being written, and every rule its fields must meet.

    draft = EventDraft(title="LAG-Sitzung", kind="sitzung", starts_at=start, ends_at=end, place="Rostock")
    validate(draft, now)               # InvalidInput with an `event-…` catalog key, else None

The single fields (title, capacity, link, reminder offsets, shifts) have their own checks in
`lag_bot.events.input`, for the dialog to use as each typed answer comes; they can be imported
from here too.

Times are aware datetimes; `tz` is the IANA zone the event is shown in and a series (`rrule`, as
written by `lag_bot.timeparse.parse` for a `Recurring`) repeats in. The start of a series is its first date.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lag_bot.audience import AudienceSpec
from lag_bot.errors import InvalidInput
from lag_bot.events.input import (
    CAPACITY_MAX,
    ShiftDraft,
    check_description,
    check_offsets,
    check_place,
    check_shift,
    check_title,
    parse_capacity,
    parse_link,
    parse_offsets,
    parse_shift,
)
from lag_bot.timeparse.recurrence import Rule, occurrences

__all__ = [
    "DEFAULT_OFFSETS",
    "KINDS",
    "EventDraft",
    "ShiftDraft",
    "align_rrule",
    "check_deadline",
    "check_description",
    "check_place",
    "check_rrule",
    "check_shifts",
    "check_times",
    "check_title",
    "check_tz",
    "parse_capacity",
    "parse_link",
    "parse_offsets",
    "parse_shift",
    "validate",
]

KINDS = ("sitzung", "workshop", "konferenz", "infostand", "fraktionssitzung", "exkursion", "sonstiges")
LONGEST = timedelta(days=14)
SHIFTS_MAX = 20
ALERT_DAYS_MAX = 60
DEFAULT_OFFSETS = (1440, 120)


@dataclass(frozen=True)
class EventDraft:
    """What a coordinator entered for an event (also the editable part of a stored event)."""

    title: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    tz: str = "Europe/Berlin"
    rrule: str | None = None
    place: str = ""
    link: str = ""
    description: str = ""
    audience: AudienceSpec = field(default_factory=AudienceSpec)
    capacity: int | None = None
    deadline: datetime | None = None
    remind_offsets: tuple[int, ...] = DEFAULT_OFFSETS
    remind_maybe: bool = False
    shifts: tuple[ShiftDraft, ...] = ()
    shift_alert_days: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The form kept in a dialog row."""
        return {
            "title": self.title,
            "kind": self.kind,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "tz": self.tz,
            "rrule": self.rrule,
            "place": self.place,
            "link": self.link,
            "description": self.description,
            "audience": self.audience.to_json(),
            "capacity": self.capacity,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "remind_offsets": list(self.remind_offsets),
            "remind_maybe": self.remind_maybe,
            "shifts": [[s[0].isoformat(), s[1].isoformat(), s[2], s[3]] for s in self.shifts],
            "shift_alert_days": self.shift_alert_days,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventDraft:
        """Read the form `to_json` wrote."""
        when = datetime.fromisoformat
        return cls(
            title=str(data["title"]),
            kind=str(data["kind"]),
            starts_at=when(data["starts_at"]),
            ends_at=when(data["ends_at"]),
            tz=str(data.get("tz", "Europe/Berlin")),
            rrule=data.get("rrule"),
            place=str(data.get("place", "")),
            link=str(data.get("link", "")),
            description=str(data.get("description", "")),
            audience=AudienceSpec.from_json(data["audience"]) if data.get("audience") else AudienceSpec(),
            capacity=data.get("capacity"),
            deadline=when(data["deadline"]) if data.get("deadline") else None,
            remind_offsets=tuple(int(m) for m in data.get("remind_offsets", DEFAULT_OFFSETS)),
            remind_maybe=bool(data.get("remind_maybe")),
            shifts=tuple(ShiftDraft(when(s[0]), when(s[1]), int(s[2]), s[3]) for s in data.get("shifts", [])),
            shift_alert_days=data.get("shift_alert_days"),
        )


def validate(draft: EventDraft, now: datetime, changed: Collection[str] | None = None) -> None:
    """Raise InvalidInput for the first rule the draft breaks. `changed`: the fields an edit touches
    (only those are checked against `now`); None for a new event."""
    fresh = changed is None
    check_title(draft.title)
    if draft.kind not in KINDS:
        raise InvalidInput("event-kind-unknown")
    zone = check_tz(draft.tz)
    check_times(draft.starts_at, draft.ends_at, now if fresh or "starts_at" in (changed or ()) else None)
    if draft.rrule is not None:
        check_rrule(draft.rrule, draft.starts_at, zone)
    check_place(draft.place)
    if draft.link:
        parse_link(draft.link)
    if not draft.place.strip() and not draft.link:
        raise InvalidInput("event-place-missing")
    check_description(draft.description)
    if draft.capacity is not None and not 1 <= draft.capacity <= CAPACITY_MAX:
        raise InvalidInput("event-capacity-range", max=CAPACITY_MAX)
    if draft.deadline is not None:
        check_deadline(
            draft.deadline, draft.starts_at, now if fresh or "deadline" in (changed or ()) else None
        )
    check_offsets(draft.remind_offsets)
    if draft.audience.members == "none" and draft.audience.groups == "none":
        raise InvalidInput("event-nobody")
    check_shifts(draft)


def check_tz(name: str) -> ZoneInfo:
    """The zone of an IANA name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidInput("event-tz-unknown", tz=name) from error


def check_times(starts_at: datetime, ends_at: datetime, now: datetime | None) -> None:
    """The end after the start, at most LONGEST apart; the start after `now` (if given)."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("event times must be timezone-aware")
    if ends_at <= starts_at:
        raise InvalidInput("event-end-before-start")
    if ends_at - starts_at > LONGEST:
        raise InvalidInput("event-too-long", days=LONGEST.days)
    if now is not None and starts_at <= now:
        raise InvalidInput("event-start-past")


def check_rrule(rrule: str, starts_at: datetime, zone: ZoneInfo) -> None:
    """A rule the bot can read, whose first date is the start."""
    try:
        Rule.from_rrule(rrule)
        first = occurrences(
            rrule, zone, starts_at.astimezone(zone).date(), starts_at - timedelta(seconds=1), 1
        )
    except ValueError as error:
        raise InvalidInput("event-rrule-invalid") from error
    if not first or first[0] != starts_at:
        raise InvalidInput("event-rrule-invalid")


def align_rrule(rrule: str, starts_at: datetime, zone: ZoneInfo) -> str:
    """The rule moved to the wall-clock time of a new start (an edit of a series' time)."""
    local = starts_at.astimezone(zone)
    return replace(Rule.from_rrule(rrule), hour=local.hour, minute=local.minute).to_rrule()


def check_deadline(deadline: datetime, starts_at: datetime, now: datetime | None) -> None:
    """A registration deadline before the start (and after `now`, if given)."""
    if deadline > starts_at:
        raise InvalidInput("event-deadline-after-start")
    if now is not None and deadline <= now:
        raise InvalidInput("event-deadline-past")


def check_shifts(draft: EventDraft) -> None:
    """Shifts lie within the event, need min ≤ max people; only single events have shifts."""
    if draft.shifts and draft.rrule is not None:
        raise InvalidInput("event-shift-series")
    if len(draft.shifts) > SHIFTS_MAX:
        raise InvalidInput("event-shift-too-many", max=SHIFTS_MAX)
    for number, shift in enumerate(draft.shifts, start=1):
        check_shift(shift, number)
        if shift.starts_at < draft.starts_at or shift.ends_at > draft.ends_at:
            raise InvalidInput("event-shift-outside", n=number)
    if draft.shift_alert_days is not None and not 1 <= draft.shift_alert_days <= ALERT_DAYS_MAX:
        raise InvalidInput("event-shift-alert-invalid", max=ALERT_DAYS_MAX)

"""An event as far as `/neuertermin` (or ✏️) has filled it in: the dialog's draft between steps.

    form = DraftForm(tz="Europe/Berlin", audience=AudienceSpec())    # a new event: nothing asked yet
    form = replace(form, title="LAG-Sitzung")                        # a step answered
    draft = form.complete()                                          # the EventDraft, once all steps are done
    form = DraftForm.from_draft(await records.draft_of(event_id))    # editing a stored event

A field stays None (or empty) until its step is answered. The stored form is the one
`EventDraft.to_json` writes (same keys, same values), holding only the fields set so far, plus
`_view`, the audience picker's screen while that step is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lag_bot.audience import AudienceSpec
from lag_bot.events.draft import DEFAULT_OFFSETS, EventDraft
from lag_bot.events.input import ShiftDraft

PickerView = tuple[str, str, int]  # as handlers.audience_picker.View: (screen, dimension, page)


@dataclass(frozen=True)
class DraftForm:
    """The fields of an `EventDraft`, each None until given (`view`: the picker's open screen)."""

    title: str | None = None
    kind: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    tz: str | None = None
    rrule: str | None = None
    place: str | None = None
    link: str | None = None
    description: str | None = None
    audience: AudienceSpec | None = None
    capacity: int | None = None
    deadline: datetime | None = None
    remind_offsets: tuple[int, ...] | None = None
    remind_maybe: bool = False
    shifts: tuple[ShiftDraft, ...] = ()
    shift_alert_days: int | None = None
    view: PickerView | None = None

    @property
    def spec(self) -> AudienceSpec:
        """The audience chosen so far (everyone of the default, if none yet)."""
        return self.audience if self.audience is not None else AudienceSpec()

    @property
    def offsets(self) -> tuple[int, ...]:
        """The reminder offsets chosen so far (the default ones, if none yet)."""
        return self.remind_offsets if self.remind_offsets is not None else DEFAULT_OFFSETS

    def start(self) -> datetime:
        """The start; only asked for once the start step is answered."""
        if self.starts_at is None:
            raise ValueError("the draft has no start yet")
        return self.starts_at

    def complete(self) -> EventDraft:
        """The event once every step is answered (KeyError for a missing title, kind or time)."""
        return EventDraft.from_json(self.to_json())

    @classmethod
    def from_draft(cls, draft: EventDraft) -> DraftForm:
        """The form of a stored event, for editing it."""
        return cls.from_json(draft.to_json())

    def to_json(self) -> dict[str, Any]:
        """The stored form: `EventDraft.to_json`'s keys, only those set so far."""
        data: dict[str, Any] = {
            "title": self.title,
            "kind": self.kind,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "tz": self.tz,
            "rrule": self.rrule,
            "place": self.place,
            "link": self.link,
            "description": self.description,
            "audience": self.audience.to_json() if self.audience is not None else None,
            "capacity": self.capacity,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "remind_offsets": list(self.remind_offsets) if self.remind_offsets is not None else None,
            "remind_maybe": self.remind_maybe or None,
            "shifts": [[s[0].isoformat(), s[1].isoformat(), s[2], s[3]] for s in self.shifts] or None,
            "shift_alert_days": self.shift_alert_days,
            "_view": list(self.view) if self.view else None,
        }
        return {key: value for key, value in data.items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DraftForm:
        """The form `to_json` (or `EventDraft.to_json`) wrote."""

        def when(key: str) -> datetime | None:
            return datetime.fromisoformat(data[key]) if data.get(key) else None

        def text(key: str) -> str | None:
            return str(data[key]) if data.get(key) is not None else None

        offsets, view = data.get("remind_offsets"), data.get("_view")
        return cls(
            title=text("title"),
            kind=text("kind"),
            starts_at=when("starts_at"),
            ends_at=when("ends_at"),
            tz=text("tz"),
            rrule=data.get("rrule"),
            place=text("place"),
            link=text("link"),
            description=text("description"),
            audience=AudienceSpec.from_json(data["audience"]) if data.get("audience") else None,
            capacity=data.get("capacity"),
            deadline=when("deadline"),
            remind_offsets=tuple(int(m) for m in offsets) if offsets is not None else None,
            remind_maybe=bool(data.get("remind_maybe")),
            shifts=tuple(
                ShiftDraft(datetime.fromisoformat(s[0]), datetime.fromisoformat(s[1]), int(s[2]), s[3])
                for s in data.get("shifts") or []
            ),
            shift_alert_days=data.get("shift_alert_days"),
            view=(str(view[0]), str(view[1]), int(view[2])) if view else None,
        )

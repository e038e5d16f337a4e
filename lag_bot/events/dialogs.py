"""The events' dialogs and their state, kept in the person's dialog row so a restart loses no one's
place: `/neuertermin` and ✏️ (kind "event": `EventDialog`), and a coordinator's message to the
attendees (kind "event-message": `MessageDialog`).

    state = await events.dialogs.event_dialog(telegram_id)      # None if another dialog is open
    await events.dialogs.save(telegram_id, replace(state, step="menu"))
    await events.dialogs.clear(telegram_id)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.events.draft_form import DraftForm
from lag_bot.models import Dialog
from lag_bot.repositories.dialogs import DialogRepository

EVENT_DIALOG = "event"
MESSAGE_DIALOG = "event-message"


@dataclass(frozen=True)
class EventDialog:
    """Where a coordinator is in /neuertermin (or editing an event): the step, the draft so far
    (incomplete until the last step), the event's id when editing, and whether an answered step
    returns to the preview (or the edit menu) because the draft is complete."""

    step: str
    draft: DraftForm = field(default_factory=DraftForm)
    edit: int | None = None
    back: bool = False

    def to_json(self) -> dict[str, Any]:
        """The state as stored: {"step", "d", "edit" when editing, "back" once complete}."""
        data: dict[str, Any] = {"step": self.step, "d": self.draft.to_json()}
        if self.edit is not None:
            data["edit"] = self.edit
        if self.back:
            data["back"] = True
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EventDialog:
        """The state from `to_json`."""
        edit = data.get("edit")
        draft = DraftForm.from_json(data.get("d") or {})
        return cls(str(data.get("step")), draft, int(edit) if edit else None, bool(data.get("back")))


@dataclass(frozen=True)
class MessageDialog:
    """A coordinator types a message to those who said yes to an event."""

    event_id: int

    def to_json(self) -> dict[str, Any]:
        """The state as stored: {"event"}."""
        return {"event": self.event_id}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MessageDialog:
        """The state from `to_json`."""
        return cls(int(data["event"]))


class EventDialogs:
    """Reads and writes the events' dialog rows, each write in its own transaction."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.repo = DialogRepository(db)

    async def event_dialog(self, telegram_id: int) -> EventDialog | None:
        """The person's /neuertermin (or edit) dialog; None if none is open (or another one)."""
        dialog = await self.repo.get(telegram_id)
        if dialog is None or dialog.kind != EVENT_DIALOG:
            return None
        return EventDialog.from_json(dialog.data)

    async def save(self, telegram_id: int, state: EventDialog | MessageDialog) -> None:
        """Store the state (replacing any dialog the person had open)."""
        if isinstance(state, EventDialog):
            dialog = Dialog(telegram_id, EVENT_DIALOG, state.step, state.to_json())
        else:
            dialog = Dialog(telegram_id, MESSAGE_DIALOG, "text", state.to_json())
        async with self.db.transaction():
            await self.repo.put(dialog, iso(self.clock()))

    async def clear(self, telegram_id: int) -> bool:
        """Close the person's open dialog; whether there was one."""
        async with self.db.transaction():
            return await self.repo.clear(telegram_id)

"""Where a member is in a question dialog, kept in their dialog row as JSON: asking (`/frage`, kind
"question") and writing a text a button asked for (kind "question-write": an answer, a follow-up,
why the faction is not responsible, why a coordinator looks behind a pseudonym).

    state = AskState(step="to", text="Wie …?")
    await dialogs.save_asking(telegram_id, state)
    state = await dialogs.asking(telegram_id)           # None if no /frage dialog is open
    await dialogs.open_write(telegram_id, WriteState("answer", target_id))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.models import Dialog
from lag_bot.repositories.dialogs import DialogRepository

ASK_DIALOG = "question"
WRITE_DIALOG = "question-write"
WRITE_PURPOSES = ("answer", "followup", "decline", "reveal")


@dataclass(frozen=True)
class AskState:
    """The question being put together in `/frage`: to whom (factions, or all local factions of a
    district), the topic (0: none), the text and how the asker appears; `step` is the one shown."""

    step: str = "to"  # "to", "topic", "text", "identity", "confirm"
    faction_ids: tuple[int, ...] | None = None
    district_id: int | None = None
    topic_id: int | None = None  # None: not chosen yet; 0: no topic
    text: str | None = None
    identity: str | None = None  # "named" or "pseudonymous"
    scope: str | None = None  # a pseudonym coarser than district and level: "level" or "state"

    def to_json(self) -> dict[str, Any]:
        """The JSON kept in the dialog row (the keys the row has always had)."""
        data: dict[str, Any] = {
            "step": self.step,
            "f": list(self.faction_ids) if self.faction_ids is not None else None,
            "d": self.district_id,
            "t": self.topic_id,
            "text": self.text,
            "id": self.identity,
            "ps": self.scope,
        }
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AskState:
        """The state from a dialog row (missing or malformed values read as not chosen yet)."""
        factions = data.get("f")
        return cls(
            step=str(data.get("step") or "to"),
            faction_ids=tuple(int(f) for f in factions) if isinstance(factions, list) and factions else None,
            district_id=_int(data.get("d")) or None,
            topic_id=_int(data.get("t")),
            text=data["text"] if isinstance(data.get("text"), str) else None,
            identity=data["id"] if isinstance(data.get("id"), str) else None,
            scope=data["ps"] if isinstance(data.get("ps"), str) else None,
        )

    def missing(self) -> str:
        """The first step still missing after "to": topic, text, identity, or confirm."""
        if self.topic_id is None:
            return "topic"
        if self.text is None:
            return "text"
        if self.identity is None:
            return "identity"
        return "confirm"


@dataclass(frozen=True)
class WriteState:
    """What a text typed in private is for, and what it refers to (a target or a question)."""

    purpose: str  # one of WRITE_PURPOSES (another one is a stale dialog)
    ref: int  # the target (answer, followup, decline) or the question (reveal)

    def to_json(self) -> dict[str, Any]:
        """The JSON kept in the dialog row."""
        return {"purpose": self.purpose, "ref": self.ref}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WriteState | None:
        """The state from a dialog row; None for one that is not a valid write state."""
        ref = data.get("ref")
        if not isinstance(ref, int) or isinstance(ref, bool):
            return None
        return cls(str(data.get("purpose")), ref)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


class QuestionDialogs:
    """Stores and reads the question dialogs, each change in its own transaction."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.repo = DialogRepository(db)

    async def asking(self, telegram_id: int) -> AskState | None:
        """The open `/frage` dialog of a person, if any."""
        dialog = await self.repo.get(telegram_id)
        if dialog is None or dialog.kind != ASK_DIALOG:
            return None
        return AskState.from_json(dialog.data)

    async def save_asking(self, telegram_id: int, state: AskState) -> None:
        """Store where the person is in `/frage`."""
        await self._put(Dialog(telegram_id, ASK_DIALOG, state.step, state.to_json()))

    async def open_write(self, telegram_id: int, state: WriteState) -> None:
        """Open the private "write" dialog (replacing any other open dialog)."""
        await self._put(Dialog(telegram_id, WRITE_DIALOG, state.purpose, state.to_json()))

    async def clear(self, telegram_id: int) -> bool:
        """End the person's dialog; whether there was one."""
        async with self.db.transaction():
            return await self.repo.clear(telegram_id)

    async def _put(self, dialog: Dialog) -> None:
        async with self.db.transaction():
            await self.repo.put(dialog, iso(self.clock()))

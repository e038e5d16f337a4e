"""What `/erinnerung` has understood so far, kept in the creator's dialog row until ✅: the chat
it was proposed in, the parsed time and text, and the options (repetition, segment, the reminder
being edited).

    proposal = Proposal(chat=42, when=OneOff(...), body="Müll rausbringen")
    Proposal.from_json(proposal.to_json()) == proposal
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lag_bot.audience import AudienceSpec
from lag_bot.timeparse.parse import OneOff, Recurring, When


@dataclass(frozen=True)
class Proposal:
    """A reminder being set up (or edited) in one chat."""

    chat: int  # where it was proposed: another chat's typing does not touch it
    group: bool = False  # proposed in a linked group (for the group)
    when: When | None = None  # None while asking for the time and text
    body: str = ""
    ack: int | None = None  # minutes between repeats until "Erledigt ✓"
    audience: AudienceSpec | None = None  # a segment of members instead of the creator
    edit: int | None = None  # the id of the reminder this replaces

    def kept(self) -> Proposal:
        """The options that carry over to a new time and text (✏️ Nochmal)."""
        return Proposal(self.chat, self.group, ack=self.ack, audience=self.audience, edit=self.edit)

    def to_json(self) -> dict[str, Any]:
        """The stored form (unset options left out)."""
        data: dict[str, Any] = {"chat": self.chat, "group": self.group}
        if self.when is not None:
            data["when"] = dump_when(self.when)
            data["body"] = self.body
        if self.ack is not None:
            data["ack"] = self.ack
        if self.audience is not None:
            data["audience"] = self.audience.to_json()
        if self.edit is not None:
            data["edit"] = self.edit
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Proposal:
        """Read the stored form; what is missing or malformed is left unset."""
        when, audience, chat = data.get("when"), data.get("audience"), data.get("chat")
        return cls(
            chat=chat if isinstance(chat, int) else 0,
            group=bool(data.get("group", False)),
            when=load_when(when) if isinstance(when, dict) else None,
            body=str(data.get("body", "")),
            ack=_int(data.get("ack")),
            audience=AudienceSpec.from_json(audience) if isinstance(audience, str) and audience else None,
            edit=_int(data.get("edit")),
        )


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def dump_when(w: When) -> dict[str, Any]:
    """A parsed time as JSON."""
    if isinstance(w, OneOff):
        data: dict[str, Any] = {"at": w.at.isoformat(), "tz": getattr(w.at.tzinfo, "key", "UTC")}
        if w.next_year:
            data["next_year"] = True
        return data
    return {"rrule": w.rrule, "tz": w.tz, "first": w.first.isoformat()}


def load_when(data: dict[str, Any]) -> When:
    """The parsed time back from JSON, in its IANA zone again."""
    zone = ZoneInfo(str(data["tz"]))
    if "rrule" in data:
        return Recurring(str(data["rrule"]), zone.key, datetime.fromisoformat(data["first"]).astimezone(zone))
    at = datetime.fromisoformat(data["at"]).astimezone(zone)
    return OneOff(at, next_year=data.get("next_year") is True)

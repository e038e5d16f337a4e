"""What a broadcast is made of: the draft a coordinator writes (kept as JSON in their dialog), the
report of how it went, the rule for its body, and the "Gelesen ✓" button under it.

    draft = Draft(body_html="<b>Einladung</b> …", audience=AudienceSpec(members="all"))
    Draft.from_json(draft.to_json()) == draft
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from lag_bot.audience import AudienceSpec
from lag_bot.callbacks import Feature
from lag_bot.delivery.message_parts import Part, build_parts
from lag_bot.errors import InvalidInput
from lag_bot.repositories.broadcasts import BroadcastRow
from lag_bot.text_input import strip_control

BODY_MAX = 12_000  # three Telegram messages at most
READ_FEATURE = Feature.BROADCAST_READ


class ReadAction(enum.StrEnum):
    """The one button under a broadcast (feature BROADCAST_READ)."""

    OK = "ok"  # "Gelesen ✓"


@dataclass(frozen=True)
class Draft:
    """A broadcast being written (kept in the coordinator's dialog)."""

    body_html: str
    media: tuple[str, str] | None = None  # ("photo" | "document", Telegram file id)
    audience: AudienceSpec = field(default_factory=AudienceSpec)
    read_button: bool = False
    scheduled_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "body_html": self.body_html,
            "media": list(self.media) if self.media else None,
            "audience": self.audience.to_json(),
            "read_button": self.read_button,
            "scheduled_at": self.scheduled_at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        """Read the stored form."""
        media = data.get("media")
        return cls(
            body_html=str(data.get("body_html", "")),
            media=(str(media[0]), str(media[1])) if media else None,
            audience=AudienceSpec.from_json(data["audience"]) if data.get("audience") else AudienceSpec(),
            read_button=bool(data.get("read_button")),
            scheduled_at=data.get("scheduled_at"),
        )

    def parts(self) -> list[Part]:
        """The messages every recipient gets (without the read button)."""
        return build_parts(self.body_html, self.media)


@dataclass(frozen=True)
class Report:
    """How a broadcast went."""

    broadcast: BroadcastRow
    total: int
    sent: int
    unreachable: int
    failed: int
    stopped: int
    pending: int
    read: int
    duplicates: int

    @property
    def finished(self) -> bool:
        """Whether nothing is left to send."""
        return self.pending == 0


def check_body(body_html: str, has_media: bool = False) -> str:
    """The body, if it is not empty (media alone is fine) and not over BODY_MAX."""
    body = strip_control(body_html).strip()
    if not body and not has_media:
        raise InvalidInput("broadcast-empty")
    if len(body) > BODY_MAX:
        raise InvalidInput("broadcast-too-long", max=BODY_MAX, length=len(body))
    return body

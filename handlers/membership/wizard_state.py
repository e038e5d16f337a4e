"""The profile wizard's buttons and what its dialog row holds between steps."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from lag_bot.callbacks import Feature
from lag_bot.errors import Stale
from lag_bot.models import Level

FEATURE = Feature.WIZARD


class Action(enum.StrEnum):
    """The wizard's buttons (the values are the callback data's action part)."""

    PAGE = "pg"  # turn the page of a long list
    NAME = "name"  # take the name proposed from Telegram
    DISTRICT = "dist"
    MUNICIPALITY = "muni"  # 0: none
    LEVEL = "lvl"  # a level to add a mandate at, "clear" or "done"
    BODY = "body"
    FUNCTION = "fn"
    MANDATE_TOPIC = "mt"  # a topic of the mandate being added, or "done"
    TOPIC = "tp"  # a topic of interest, or "done"


DONE = "done"  # the argument of LEVEL, MANDATE_TOPIC and TOPIC that finishes the step
CLEAR = "clear"  # the argument of LEVEL that removes every mandate
PROPOSED = "p"  # the argument of NAME


@dataclass(frozen=True)
class WizardState:
    """What the wizard remembers between steps: the mandate being added (level, body, function),
    the topics ticked so far, and whether the last press only ticked one (then the keyboard is
    edited in place)."""

    level: Level | None = None
    body: int | None = None
    function: str | None = None
    topics: tuple[int, ...] = ()
    toggled: bool = False

    def to_json(self) -> dict[str, Any]:
        """The stored form (only what is set)."""
        data: dict[str, Any] = {
            "level": self.level.value if self.level else None,
            "body": self.body,
            "function": self.function,
            "topics": list(self.topics),
            "toggled": self.toggled or None,
        }
        return {key: value for key, value in data.items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WizardState:
        """Read the stored form."""
        body, level, function = data.get("body"), data.get("level"), data.get("function")
        return cls(
            level=Level(level) if level in {lv.value for lv in Level} else None,
            body=body if isinstance(body, int) else None,
            function=function if isinstance(function, str) else None,
            topics=tuple(t for t in data.get("topics", []) if isinstance(t, int)),
            toggled=bool(data.get("toggled")),
        )

    def mandate_level(self) -> Level:
        """The level of the mandate being added; a press without one is stale."""
        if self.level is None:
            raise Stale()
        return self.level

"""`/mitglieder`'s buttons and what the coordinator's dialog row holds: the filter, the search
and the page."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any

from lag_bot.callbacks import Feature
from lag_bot.membership.profiles import MemberFilter
from lag_bot.models import Level, Status
from lag_bot.text_input import echo

FEATURE = Feature.MEMBERS
DIALOG = "members"
FIELDS = ("status", "district", "level", "topic")
ANY = "-"  # the filter value that lifts a filter
SEARCH_MAX = 64


class Action(enum.StrEnum):
    """The buttons of the member list and of a member's card."""

    PAGE = "pg"
    RESET = "reset"
    FILTER = "f"  # with the field: offer its values
    SET = "set"  # with the field and the value (ANY: lift it)
    SEARCH = "q"  # ask for a name
    CSV = "csv"
    SHOW = "show"  # one member's card
    SUSPEND = "sus"
    REINSTATE = "uns"
    ROLE = "role"  # with the member and the new role


def _positive(value: object) -> int | None:
    return value if isinstance(value, int) and value > 0 else None


@dataclass(frozen=True)
class MemberListState:
    """The coordinator's view of the member list."""

    status: Status | None = None
    district: int | None = None
    level: Level | None = None
    topic: int | None = None
    search: str = ""
    page: int = 0

    def to_json(self) -> dict[str, Any]:
        """The stored form (only what is set)."""
        data: dict[str, Any] = {
            "status": self.status.value if self.status else None,
            "district": self.district,
            "level": self.level.value if self.level else None,
            "topic": self.topic,
            "search": self.search or None,
            "page": self.page or None,
        }
        return {key: value for key, value in data.items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemberListState:
        """Read the stored form (anything malformed reads as no filter)."""
        status, level = data.get("status"), data.get("level")
        search, page = data.get("search"), data.get("page")
        return cls(
            status=Status(status) if status in {s.value for s in Status} else None,
            district=_positive(data.get("district")),
            level=Level(level) if level in {lv.value for lv in Level} else None,
            topic=_positive(data.get("topic")),
            search=search if isinstance(search, str) else "",
            page=page if isinstance(page, int) and page >= 0 else 0,
        )

    def with_filter(self, field: str, value: str | int | None) -> MemberListState:
        """One filter set (None: lifted), from the first page."""
        if field == "status":
            new = replace(self, status=Status(value) if value in {s.value for s in Status} else None)
        elif field == "level":
            new = replace(self, level=Level(value) if value in {lv.value for lv in Level} else None)
        elif field == "district":
            new = replace(self, district=_positive(value))
        else:
            new = replace(self, topic=_positive(value))
        return replace(new, page=0)

    def searching(self, typed: str) -> MemberListState:
        """The typed name as the search, from the first page."""
        return replace(self, search=echo(typed, SEARCH_MAX), page=0)

    def filter(self) -> MemberFilter:
        """The filter for the member search."""
        return MemberFilter(self.status, self.district, self.level, self.topic, self.search or None)

    def described(self) -> dict[str, object]:
        """The filter as the audit log records it (whether there was a search, not its words)."""
        return {
            k: v
            for k, v in {
                "status": self.status.value if self.status else None,
                "district": self.district,
                "level": self.level.value if self.level else None,
                "topic": self.topic,
                "search": bool(self.search),
            }.items()
            if v
        }

"""The small frozen records the data layer returns; database rows never leave the repositories."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """What a person may do; each role includes the ones before it."""

    MEMBER = "member"
    COORDINATOR = "coordinator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        """Order of the roles, for `at least` comparisons."""
        return {"member": 0, "coordinator": 1, "admin": 2}[self.value]


class Status(StrEnum):
    """Where a member is in their life with the working group."""

    ONBOARDING = "onboarding"
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class Level(StrEnum):
    """The level of a council (Gremium)."""

    GEMEINDE = "gemeinde"
    KREIS = "kreis"
    LAND = "land"


@dataclass(frozen=True)
class Member:
    """A person known to the bot (after consenting)."""

    id: int
    telegram_id: int
    display_name: str | None
    language: str
    status: Status
    role: Role
    district_id: int | None
    municipality_id: int | None
    directory_opt_in: bool
    created_at: str
    status_changed_at: str
    joined_via_invite: int | None = None


@dataclass(frozen=True)
class Territory:
    """A state, district (Landkreis, kreisfreie Stadt) or municipality."""

    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None


@dataclass(frozen=True)
class Body:
    """A council at one level (Gemeindevertretung, Kreistag, Landtag)."""

    id: int
    code: str
    name: str
    level: Level
    territory_id: int


@dataclass(frozen=True)
class Topic:
    """A policy field (Bildung, Wohnen, …)."""

    id: int
    code: str
    name_de: str
    name_en: str

    def name(self, lang: str) -> str:
        """The topic's name in a language."""
        return self.name_en if lang == "en" else self.name_de


@dataclass(frozen=True)
class Mandate:
    """A member's seat in a body."""

    id: int
    member_id: int
    body_id: int
    function: str
    topic_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ProfileDetails:
    """What a profile shows besides the member row: topics, mandates, the consent given."""

    topic_ids: tuple[int, ...]
    mandates: tuple[Mandate, ...]
    consent_version: str | None
    consent_at: str | None


@dataclass(frozen=True)
class Invite:
    """An invite link's record (the code itself is never stored)."""

    id: int
    max_uses: int
    uses: int
    created_at: str
    expires_at: str


@dataclass(frozen=True)
class GroupChat:
    """A Telegram group the bot is in."""

    id: int
    chat_id: int
    title: str
    kind: str
    is_forum: bool
    active: bool
    link_kind: str | None
    territory_id: int | None
    faction_id: int | None
    thread_id: int | None = None  # the forum topic it was linked in


@dataclass(frozen=True)
class Dialog:
    """Where a person is in a multi-step dialog, and what they entered so far."""

    telegram_id: int
    kind: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)

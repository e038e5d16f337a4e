"""The records of the question relay: factions with their settings, questions, the factions each
question is addressed to (targets), answers and follow-ups, archive hits and statistics."""

from __future__ import annotations

from dataclasses import dataclass

from lag_bot.models import Level

QUESTION_MAX = 2000  # characters of a question, stated in the dialog
ANSWER_MAX = 3000  # an answer or follow-up (with its header it stays one Telegram message)
REASON_MAX = 500  # why a faction is not responsible, why an identity was revealed
REASON_MIN = 5
IDENTITIES = ("named", "pseudonymous")
DEADLINE_CHOICES = (7, 10, 14, 21, 28)
DEFAULT_DEADLINE_DAYS = 14
REMIND_BEFORE_DAYS = 3


@dataclass(frozen=True)
class Faction:
    """The party's faction in one body, with its relay settings."""

    id: int
    body_id: int
    name: str
    level: Level
    territory_id: int
    deadline_days: int = DEFAULT_DEADLINE_DAYS
    answer_as_faction: bool = False


@dataclass(frozen=True)
class Contact:
    """A contact person of a faction for one topic (None: every topic)."""

    id: int
    faction_id: int
    member_id: int
    topic_id: int | None
    name: str


@dataclass(frozen=True)
class Question:
    """One question as stored."""

    id: int
    asker_id: int | None
    identity: str  # "named", "pseudonymous", "anonymous" (the asker left)
    asker_district_id: int | None
    asker_level: str | None
    asker_body_id: int | None
    scope_district_id: int | None
    topic_id: int | None
    body: str
    status: str  # "open", "claimed", "answered", "closed", "overdue"
    created_at: str
    answered_at: str | None
    closed_at: str | None
    asker_archive: bool | None
    archived_at: str | None


@dataclass(frozen=True)
class Target:
    """A question as one faction has it."""

    id: int
    question_id: int
    faction_id: int
    state: str  # "active", "forwarded", "declined"
    deadline: str
    claimed_by: int | None
    claimed_at: str | None
    answered_at: str | None
    reason: str | None
    via_target_id: int | None
    archive_ok: bool | None
    created_at: str

    @property
    def active(self) -> bool:
        """Whether the faction still has the question (not passed on, not declined)."""
        return self.state == "active"


@dataclass(frozen=True)
class Answer:
    """An answer of a faction, or a follow-up of the asker."""

    id: int
    question_id: int
    target_id: int
    kind: str  # "answer" or "followup"
    author_id: int | None
    as_faction: bool
    body: str
    created_at: str


@dataclass(frozen=True)
class Draft:
    """What the asker chose in `/frage`: to whom (factions, or all local factions of a district),
    topic, text and how they appear."""

    faction_ids: tuple[int, ...] = ()
    scope_district_id: int | None = None
    topic_id: int | None = None
    body: str = ""
    identity: str = "named"
    pseudonym_scope: str = "district"  # how coarse a pseudonym is: "district", "level", "state"


@dataclass(frozen=True)
class ArchiveHit:
    """An archived question with the answers that may be shown."""

    question_id: int
    question: str
    answers: str
    topic_id: int | None
    created_at: str


@dataclass(frozen=True)
class FactionStats:
    """A faction's figures over a period."""

    faction_id: int
    name: str
    asked: int
    answered: int
    declined: int
    forwarded: int
    median_hours: float | None

    @property
    def rate(self) -> float:
        """Answered questions as a share of those it kept (not declined, not passed on)."""
        return self.answered / self.asked if self.asked else 0.0

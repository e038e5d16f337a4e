"""Callback data: short, prefixed with a feature and a version, parsed in one place.

    class Action(enum.StrEnum):              # each feature's actions, one enum per feature
        OK = "ok"
        NO = "no"

    data = encode(Feature.APPROVAL, Action.OK, 42)   # "v1:ap:ok:42"
    cb = decode(data)                        # Callback(feature="ap", action="ok", args=("42",))
    cb.action_of(Action)                     # Action.OK, or Stale for an action it does not know
    cb.int_arg(0)                            # 42, or Stale for a forged value

Handlers match `pattern(feature)`, an anchored regular expression. Telegram allows 64 bytes.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import TypeVar

from lag_bot.errors import Stale

A = TypeVar("A", bound=enum.StrEnum)

VERSION = "v1"


@enum.unique
class Feature(enum.StrEnum):
    """Every feature prefix of callback data, in one place: two features can never share one."""

    CONSENT = "cs"  # the privacy consent at /start
    WIZARD = "wz"  # the profile wizard
    PROFILE = "pf"
    LANGUAGE = "lg"
    LEAVE = "lv"  # /austreten
    APPROVAL = "ap"  # coordinators' approval cards
    MEMBERS = "mb"  # /mitglieder
    INVITE = "iv"
    GROUP_LINK = "gl"  # /verbinden
    GROUP_GATE = "gg"  # /gruppe, join requests, removal from groups
    FACTIONS = "fx"  # /fraktionen and a faction's contact people
    BROADCAST = "bc"  # /rundschreiben
    BROADCAST_READ = "rd"  # "Gelesen ✓" under a broadcast
    REMINDER = "rm"  # /erinnerung
    REMINDER_LIST = "rl"  # /erinnerungen
    REMINDER_DONE = "rk"  # "Erledigt ✓" under a reminder
    EVENT_NEW = "en"  # /neuertermin
    EVENT_RSVP = "ev"  # the answer buttons under an announcement
    EVENT_LIST = "et"  # /termine
    EVENT_ADMIN = "ea"  # an event's admin screen
    EVENT_SHIFTS = "es"
    QUESTION_ASK = "qa"  # /frage
    QUESTION_CARD = "qc"  # the faction's copy of a question
    QUESTION_MINE = "qm"  # the asker's copy, /meinefragen
    QUESTION_BOARD = "qb"  # the coordinators' board
    QUESTION_SEARCH = "qs"  # /frage suche


MAX_BYTES = 64
_PART = re.compile(r"^[A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Callback:
    """One parsed button press."""

    feature: str
    action: str
    args: tuple[str, ...]

    def action_of(self, actions: type[A]) -> A:
        """The action as a member of the feature's enum; an unknown (forged) one is a stale button."""
        try:
            return actions(self.action)
        except ValueError:
            raise Stale() from None

    def str_arg(self, index: int, allowed: tuple[str, ...] | None = None) -> str:
        """An argument as text (optionally one of `allowed`); a forged or missing one is stale."""
        if index >= len(self.args) or (allowed is not None and self.args[index] not in allowed):
            raise Stale()
        return self.args[index]

    def int_arg(self, index: int) -> int:
        """An argument as an int; a forged or missing one is treated as a stale button."""
        number = small_int(self.args[index] if index < len(self.args) else "")
        if number is None:
            raise Stale()
        return number


def small_int(text: str) -> int | None:
    """A non-negative number of ASCII digits that SQLite's 64-bit integers can hold, else None."""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def encode(feature: str, action: str, *args: object) -> str:
    """Build callback data; raises ValueError if it would exceed Telegram's 64 bytes."""
    parts = [VERSION, feature, action, *(str(a) for a in args)]
    for part in parts:
        if not _PART.match(part):
            raise ValueError(f"callback part {part!r} has characters outside [A-Za-z0-9_.-]")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback:
    """Parse callback data; anything not made by `encode` is a stale (or forged) button."""
    if not data or len(data.encode()) > MAX_BYTES:
        raise Stale()
    parts = data.split(":")
    if len(parts) < 3 or parts[0] != VERSION or not all(_PART.match(p) for p in parts):
        raise Stale()
    return Callback(parts[1], parts[2], tuple(parts[3:]))


def pattern(feature: str) -> str:
    """The anchored pattern that matches one feature's buttons."""
    return rf"^{VERSION}:{re.escape(feature)}:"

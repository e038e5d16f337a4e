"""Choosing a faction, shared by `/frage` (to whom), "An andere Fraktion weitergeben" and the
coordinators' board: by level, then district, then faction; or all local factions of a district.

Each caller passes `make(action, *args)`, which builds its callback data (with its own reference,
e.g. the question, in front). Only reachable factions are offered; the service checks the final
choice again, so a forged press routes nothing.

    ("lv")                      the levels
    ("ld", level, page)         the districts with factions of that level
    ("lf", level, district)     the factions of that level there (the Landtag: district 0)
    ("ad", page)                districts with local factions ("all local factions of …")
    ("f", faction) / ("a", district)   the choice, handled by the caller
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from handlers.common import Button, paged
from handlers.context import LagContext
from lag_bot.callbacks import small_int
from lag_bot.errors import Stale
from lag_bot.models import Level, Member

Make = Callable[..., str]


@enum.unique
class PickAction(enum.StrEnum):
    """The picker's actions; the enums of the features that use it repeat these values."""

    LEVELS = "lv"
    DISTRICTS = "ld"
    FACTIONS = "lf"
    ALL_LOCAL = "ad"
    FACTION = "f"
    ALL_LOCAL_OF = "a"  # all local factions of a district (only /frage offers it)


SCREENS: tuple[str, ...] = (
    PickAction.LEVELS,
    PickAction.DISTRICTS,
    PickAction.FACTIONS,
    PickAction.ALL_LOCAL,
)


async def root(context: LagContext, lang: str, member: Member, make: Make) -> tuple[str, list[list[Button]]]:
    """The first screen of `/frage`: suggestions, any faction, all local factions of a district."""
    svc = context.services
    t = svc.texts.t
    rows: list[list[Button]] = [
        [(t(lang, "question-pick-suggested", faction=f.name), make(PickAction.FACTION, f.id))]
        for f in await svc.questions.routing.suggestions(member)
    ]
    rows.append([(t(lang, "question-pick-other"), make(PickAction.LEVELS))])
    rows.append([(t(lang, "question-pick-all-local"), make(PickAction.ALL_LOCAL, 0))])
    return t(lang, "question-ask-to"), rows


async def screen(
    context: LagContext, lang: str, action: str, args: tuple[str, ...], make: Make
) -> tuple[str, list[list[Button]]]:
    """The picker screen a press asks for (`args` without the caller's reference)."""
    svc = context.services
    t = svc.texts.t
    routing = svc.questions.routing
    if action == PickAction.LEVELS:
        rows = [[(t(lang, f"question-pick-level-{lv.value}"), _level_target(lv, make))] for lv in Level]
        return t(lang, "question-pick-level"), rows
    if action == PickAction.DISTRICTS:
        level, page = _level(args, 0), _int(args, 1)
        districts = await routing.districts_for(level)
        buttons = [(d.name, make(PickAction.FACTIONS, level.value, d.id)) for d in districts]
        return _choose(
            t(lang, "question-pick-district"),
            buttons,
            page,
            lambda p: make(PickAction.DISTRICTS, level.value, p),
            t(lang, "question-pick-none"),
        )
    if action == PickAction.FACTIONS:
        level, district = _level(args, 0), _int(args, 1)
        factions = await routing.factions_at(level, district or None)
        buttons = [(f.name, make(PickAction.FACTION, f.id)) for f in factions]
        return _choose(
            t(lang, "question-pick-faction"),
            buttons,
            0,
            lambda p: make(PickAction.FACTIONS, level.value, district),
            t(lang, "question-pick-none"),
        )
    if action == PickAction.ALL_LOCAL:
        page = _int(args, 0)
        districts = await routing.districts_for(Level.GEMEINDE)
        buttons = [(d.name, make(PickAction.ALL_LOCAL_OF, d.id)) for d in districts]
        return _choose(
            t(lang, "question-pick-all-local-district"),
            buttons,
            page,
            lambda p: make(PickAction.ALL_LOCAL, p),
            t(lang, "question-pick-none"),
        )
    raise Stale()


def _choose(
    text: str, buttons: list[Button], page: int, nav: Callable[[int], str], empty: str
) -> tuple[str, list[list[Button]]]:
    return (text if buttons else empty), paged(buttons, page, nav)


def _level_target(level: Level, make: Make) -> str:
    # The Landtag is one body for the whole state: no district to choose.
    return (
        make(PickAction.FACTIONS, level.value, 0)
        if level is Level.LAND
        else make(PickAction.DISTRICTS, level.value, 0)
    )


def _level(args: tuple[str, ...], index: int) -> Level:
    try:
        return Level(args[index])
    except (IndexError, ValueError):
        raise Stale() from None


def _int(args: tuple[str, ...], index: int) -> int:
    number = small_int(args[index]) if index < len(args) else None
    if number is None:
        raise Stale()
    return number

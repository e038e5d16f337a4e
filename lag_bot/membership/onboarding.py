"""The order of the onboarding dialog and of the mandate sub-dialog; pure, tested alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from lag_bot.text_input import one_line

ONBOARDING = "onboarding"
PROFILE = "profile"
STEPS = ("name", "district", "municipality", "mandates", "topics")
# Sub-steps of adding one mandate; they return to "mandates".
MANDATE_STEPS = ("body", "function", "mandate_topics")
# Which button action belongs to which step: a press in another step is stale.
ACTION_STEP = {
    "name": "name",
    "dist": "district",
    "muni": "municipality",
    "lvl": "mandates",
    "body": "body",
    "fn": "function",
    "mt": "mandate_topics",
    "tp": "topics",
}

T = TypeVar("T")


def next_step(kind: str, step: str, *, district_has_municipalities: bool = True) -> str | None:
    """The step after `step`, or None when the dialog is complete."""
    if kind != ONBOARDING:
        # Editing the district asks for the municipality too (the old one may lie elsewhere).
        return "municipality" if step == "district" and district_has_municipalities else None
    index = STEPS.index(step) + 1
    if index < len(STEPS) and STEPS[index] == "municipality" and not district_has_municipalities:
        index += 1
    return STEPS[index] if index < len(STEPS) else None


def match_by_name(items: Sequence[T], typed: str, name_of: dict[int, str]) -> T | None:
    """The one item whose name equals or uniquely contains the typed text (case-insensitive).

    `name_of` maps each item's position to its name.
    """
    needle = one_line(typed).casefold()
    if not needle:
        return None
    exact = [items[i] for i, name in name_of.items() if name.casefold() == needle]
    if len(exact) == 1:
        return exact[0]
    partial = [items[i] for i, name in name_of.items() if needle in name.casefold()]
    return partial[0] if len(partial) == 1 else None

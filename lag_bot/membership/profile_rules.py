"""Rules for what a member may enter in their profile; pure functions, tested alone."""

from __future__ import annotations

from lag_bot.errors import InvalidInput
from lag_bot.text_input import has_control, one_line

NAME_MAX = 64
FUNCTIONS = ("mitglied", "vorsitz", "stellv_vorsitz", "fachsprecher", "sachkundig")


def clean_display_name(raw: str) -> str:
    """Trim and check a display name: 1 to NAME_MAX characters, no control characters."""
    name = one_line(raw)
    if not name:
        raise InvalidInput("profile-name-empty")
    if has_control(name):
        raise InvalidInput("profile-name-control")
    if len(name) > NAME_MAX:
        raise InvalidInput("profile-name-too-long", max=NAME_MAX, length=len(name))
    return name


def check_function(function: str) -> str:
    """A mandate function must be one of FUNCTIONS."""
    if function not in FUNCTIONS:
        raise InvalidInput("profile-function-unknown")
    return function


def proposed_name(first_name: str, last_name: str | None) -> str | None:
    """The name proposed from Telegram, if it fits the rules."""
    try:
        return clean_display_name(f"{first_name} {last_name or ''}")
    except InvalidInput:
        return None

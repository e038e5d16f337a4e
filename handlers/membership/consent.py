"""The buttons of the consent at `/start` (feature "cs"), apart from its handler so that
`handlers.help` can offer "apply again" to a rejected member without importing `/start`."""

from __future__ import annotations

import enum

from lag_bot.callbacks import Feature

FEATURE = Feature.CONSENT


class Action(enum.StrEnum):
    """The buttons of the greeting (and "apply again" for a rejected member)."""

    YES = "yes"  # with the invite code as argument, if the person came through a link
    NO = "no"
    READ = "read"  # the full privacy text
    AGAIN = "again"  # a rejected member goes through the wizard again

"""The buttons of the group gate's feature (one handler: `group_gate.on_button`)."""

from __future__ import annotations

import enum

from lag_bot.callbacks import Feature

FEATURE = Feature.GROUP_GATE


class Action(enum.StrEnum):
    """The gate's buttons."""

    MEMBERS_ONLY = "mo"  # switch "members only" in a group (argument: 1 on, 0 off)
    AUTO_REMOVE = "ar"  # switch automatic removal in a group (argument: 1 on, 0 off)
    REMOVE = "rm"  # a coordinator confirms a removal (argument: its id)

"""The button actions of the question features whose buttons the core builds too (cards, answers,
notices): one enum per feature, values exactly the short strings of the callback data.

    encode(Feature.QUESTION_CARD, CardAction.CLAIM, target_id)     # "v1:qc:cl:12"
    action = pressed(update).cb.action_of(CardAction)              # Stale for an unknown action

The faction picker (handlers/questions/pick.py) adds its screens to the card and the board:
"lv" levels, "ld" districts, "lf" factions, "ad" all local factions of a district, "f" the choice.
"""

from __future__ import annotations

import enum

from lag_bot.callbacks import Feature

CARD_FEATURE = Feature.QUESTION_CARD  # buttons on the faction's copy (handlers/questions/card.py)
ASKER_FEATURE = Feature.QUESTION_MINE  # buttons on the asker's copy (handlers/questions/mine.py)
BOARD_FEATURE = Feature.QUESTION_BOARD  # the coordinators' board (handlers/questions/board.py)


@enum.unique
class CardAction(enum.StrEnum):
    """Presses on a question card (the faction's side), its forward picker and answer confirmation."""

    CLAIM = "cl"  # "Ich antworte"
    WRITE = "aw"  # "Antworten" (in private)
    FORWARD = "fw"  # "An andere Fraktion weitergeben": opens the picker
    DECLINE = "dc"  # "Nicht zuständig"
    ARCHIVE = "ar"  # the faction's archive consent (1 yes, 0 no)
    LEVELS = "lv"
    DISTRICTS = "ld"
    FACTIONS = "lf"
    ALL_LOCAL = "ad"
    FACTION = "f"  # the faction chosen to pass the question on to


@enum.unique
class AskerAction(enum.StrEnum):
    """Presses on the asker's side: /meinefragen and the answers they get."""

    VIEW = "v"
    ANSWERED = "ok"  # "Ist beantwortet"
    CLOSE = "cl"
    FOLLOW_UP = "fu"
    ARCHIVE = "ar"  # from /meinefragen (1 yes, 0 no)
    ARCHIVE_YES = "ay"  # under an answer


@enum.unique
class BoardAction(enum.StrEnum):
    """Presses on the coordinators' board and one question there."""

    BOARD = "b"
    QUESTION = "q"
    ADDRESS = "add"  # "Weitere Fraktion": opens the picker
    LEVELS = "lv"
    DISTRICTS = "ld"
    FACTIONS = "lf"
    ALL_LOCAL = "ad"
    FACTION = "f"  # the faction chosen to address the question to
    REVEAL = "rv"
    CLOSE = "cl"

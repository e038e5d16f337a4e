"""The question features' callback data stays byte-identical to what buttons already sent carry:
every action enum pins the short strings, and the picker's actions are the same in each feature
that shows the picker."""

from __future__ import annotations

from handlers.questions.ask_screens import AskAction
from handlers.questions.pick import PickAction
from handlers.questions.search import SearchAction
from lag_bot.callbacks import Feature, decode, encode
from lag_bot.questions.actions import AskerAction, BoardAction, CardAction


def test_action_values_are_the_strings_buttons_carry() -> None:
    assert {a.value for a in CardAction} == {"cl", "aw", "fw", "dc", "ar", "lv", "ld", "lf", "ad", "f"}
    assert {a.value for a in AskerAction} == {"v", "ok", "cl", "fu", "ar", "ay"}
    assert {a.value for a in BoardAction} == {"b", "q", "add", "lv", "ld", "lf", "ad", "f", "rv", "cl"}
    assert {a.value for a in AskAction} == {
        "lv", "ld", "lf", "ad", "f", "a", "tp", "id", "send", "drop", "helps"
    }  # fmt: skip
    assert {a.value for a in SearchAction} == {"v"}
    assert {a.value for a in PickAction} == {"lv", "ld", "lf", "ad", "f", "a"}


def test_encoded_as_before() -> None:
    assert encode(Feature.QUESTION_CARD, CardAction.CLAIM, 12) == "v1:qc:cl:12"
    assert encode(Feature.QUESTION_MINE, AskerAction.ARCHIVE_YES, 3, 12) == "v1:qm:ay:3:12"
    assert encode(Feature.QUESTION_BOARD, BoardAction.QUESTION, 3) == "v1:qb:q:3"
    assert encode(Feature.QUESTION_ASK, AskAction.IDENTITY, "named") == "v1:qa:id:named"
    assert encode(Feature.QUESTION_SEARCH, SearchAction.VIEW, 7) == "v1:qs:v:7"
    assert decode("v1:qc:lf:kreis:4:12").action_of(CardAction) is CardAction.FACTIONS


def test_every_feature_that_shows_the_picker_knows_its_actions() -> None:
    picker = {a.value for a in PickAction} - {"a"}  # all local factions of a district: /frage only
    for actions in (CardAction, BoardAction, AskAction):
        assert picker <= {a.value for a in actions}

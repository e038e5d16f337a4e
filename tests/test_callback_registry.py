"""Callback data prefixes: one registry, each prefix once, each handled by exactly one handler."""

from __future__ import annotations

import enum
from pathlib import Path

import pytest
from telegram.ext import CallbackQueryHandler

from composition.application import build_application
from lag_bot.callbacks import VERSION, Feature, decode, encode
from lag_bot.emulator import FakeTelegram
from lag_bot.errors import Stale
from tests.harness import make_settings


def test_every_prefix_is_unique_and_short() -> None:
    values = [feature.value for feature in Feature]
    assert len(values) == len(set(values))
    assert all(1 <= len(value) <= 3 for value in values)  # callback data has only 64 bytes
    cb = decode(encode(Feature.EVENT_RSVP, "a", 7, "y"))
    assert (cb.feature, cb.action, cb.args) == ("ev", "a", ("7", "y"))


def test_each_feature_has_exactly_one_button_handler(fake: FakeTelegram, tmp_path: Path) -> None:
    app = build_application(make_settings(fake, tmp_path))
    patterns = [
        h.pattern.pattern  # type: ignore[union-attr]
        for group in app.handlers.values()
        for h in group
        if isinstance(h, CallbackQueryHandler) and h.pattern is not None
    ]
    prefixes = [p.removeprefix(f"^{VERSION}:").removesuffix(":") for p in patterns]
    assert sorted(prefixes) == sorted(f.value for f in Feature)


class _Action(enum.StrEnum):
    YES = "y"
    NO = "n"


def test_actions_and_arguments_are_typed_and_forgeries_are_stale() -> None:
    cb = decode(encode(Feature.EVENT_RSVP, _Action.YES, 7, "de"))
    assert cb.action_of(_Action) is _Action.YES
    assert cb.int_arg(0) == 7
    assert cb.str_arg(1, ("de", "en")) == "de"
    forged = decode(encode(Feature.EVENT_RSVP, "zz", "x"))
    with pytest.raises(Stale):
        forged.action_of(_Action)
    with pytest.raises(Stale):
        forged.int_arg(0)
    with pytest.raises(Stale):
        forged.str_arg(0, ("de", "en"))
    with pytest.raises(Stale):
        forged.str_arg(3)

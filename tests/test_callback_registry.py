"""Callback data prefixes: one registry, each prefix once, each handled by exactly one handler."""

from __future__ import annotations

from pathlib import Path

from telegram.ext import CallbackQueryHandler

from composition.application import build_application
from lag_bot.callbacks import VERSION, Feature, decode, encode
from lag_bot.emulator import FakeTelegram
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

"""Moved: the strict fake Telegram Bot API is the sandbox's emulator now, `lag_bot.emulator`."""

from lag_bot.emulator import *  # noqa: F403
from lag_bot.emulator import __all__  # noqa: F401

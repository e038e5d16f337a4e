"""Settings: every variable is read, and a bad one names itself."""

from __future__ import annotations

import pytest

from lag_bot.settings import SettingsError, load_settings

TOKEN = "123456:" + "A" * 35


def test_defaults() -> None:
    s = load_settings({"BOT_TOKEN": TOKEN})
    assert s.admin_ids == frozenset()
    assert str(s.timezone) == "Europe/Berlin"
    assert s.default_language == "de"
    assert s.log_level == "INFO"
    assert s.api_base_url == "https://api.telegram.org/bot"


def test_all_variables() -> None:
    s = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "ADMIN_IDS": " 1, 22 ,333",
            "DATABASE_PATH": "/tmp/x.sqlite3",
            "TIMEZONE": "Europe/Vienna",
            "DEFAULT_LANGUAGE": "EN",
            "LOG_LEVEL": "debug",
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "NOTIFY_ADMINS_ON_ERROR": "true",
        }
    )
    assert s.admin_ids == frozenset({1, 22, 333})
    assert str(s.database_path) == "/tmp/x.sqlite3"
    assert str(s.timezone) == "Europe/Vienna"
    assert (s.default_language, s.log_level) == ("en", "DEBUG")
    assert s.api_base_url == "http://127.0.0.1:8081/bot"
    assert s.notify_admins_on_error is True


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "nonsense"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"BOT_TOKEN": TOKEN, "DEFAULT_LANGUAGE": "fr"}, "DEFAULT_LANGUAGE"),
        ({"BOT_TOKEN": TOKEN, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "ftp://x"}, "TELEGRAM_API_BASE_URL"),
        ({"BOT_TOKEN": TOKEN, "NOTIFY_ADMINS_ON_ERROR": "maybe"}, "NOTIFY_ADMINS_ON_ERROR"),
        ({"BOT_TOKEN": TOKEN, "TERRITORY_FILE": "/nonexistent.json"}, "TERRITORY_FILE"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(env)
    assert err.value.variable == variable


def test_token_never_printed() -> None:
    s = load_settings({"BOT_TOKEN": TOKEN})
    assert TOKEN not in repr(s) and TOKEN not in str(s)
    assert s.bot_token.get() == TOKEN

"""The operations settings: webhook, backups, retention; a bad value names its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from lag_bot.settings import RetentionDays, SettingsError, load_settings

TOKEN = "123456:" + "A" * 35
SECRET = "k" * 40


def test_defaults_poll_and_keep_no_backups() -> None:
    s = load_settings({"BOT_TOKEN": TOKEN})
    assert s.webhook is None and s.backup_dir is None and s.backup_keep == 7
    assert s.retention == RetentionDays(deliveries_days=90, pending_days=30, invites_days=30, dialogs_days=30)


def test_all_operations_variables() -> None:
    s = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "WEBHOOK_URL": "https://bot.example.org:8443/lag/hook",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "0.0.0.0",
            "WEBHOOK_PORT": "9000",
            "BACKUP_DIR": "/var/backups/lag-bot",
            "BACKUP_KEEP": "14",
            "RETAIN_DELIVERIES_DAYS": "180",
            "RETAIN_PENDING_DAYS": "0",
            "RETAIN_INVITES_DAYS": "7",
            "RETAIN_DIALOGS_DAYS": "60",
        }
    )
    assert s.webhook is not None
    assert (s.webhook.listen, s.webhook.port, s.webhook.path) == ("0.0.0.0", 9000, "lag/hook")
    assert s.webhook.secret.get() == SECRET and SECRET not in repr(s)
    assert s.backup_dir == Path("/var/backups/lag-bot") and s.backup_keep == 14
    assert s.retention == RetentionDays(180, 0, 7, 60)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"WEBHOOK_URL": "http://bot.example.org/hook", "WEBHOOK_SECRET": SECRET}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://bot.example.org:8080/hook", "WEBHOOK_SECRET": SECRET}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://bot.example.org/hook"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "short"}, "WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "ä" * 40}, "WEBHOOK_SECRET"),
        (
            {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": SECRET, "WEBHOOK_PORT": "http"},
            "WEBHOOK_PORT",
        ),
        ({"BACKUP_KEEP": "0"}, "BACKUP_KEEP"),
        ({"RETAIN_DELIVERIES_DAYS": "-1"}, "RETAIN_DELIVERIES_DAYS"),
        ({"RETAIN_DIALOGS_DAYS": "1.5"}, "RETAIN_DIALOGS_DAYS"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings({"BOT_TOKEN": TOKEN, **env})
    assert err.value.variable == variable
    assert SECRET not in str(err.value)

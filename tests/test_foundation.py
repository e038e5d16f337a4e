"""Foundation: catalog parity, command menus, the error handler, the token never logged, the CLI."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from telegram.ext import CommandHandler
from telegram.ext.filters import ChatType

from composition.commands import COMMANDS
from handlers import menus
from handlers.help import on_private_only
from handlers.menus import Scope, TableCommandHandler
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.i18n import Catalog
from lag_bot.logs import configure_logging
from lag_bot.settings import Secret
from tests.harness import ADMIN_ID, TOKEN, RunningBot, running_bot
from tests.story import expect, join
from tests.texts import said

ROOT = Path(__file__).resolve().parent.parent


def test_catalog_languages_match() -> None:
    texts = Catalog.load()
    de, en = texts.texts["de"], texts.texts["en"]
    assert set(de) == set(en)
    for key in de:
        assert texts.placeholders("de", key) == texts.placeholders("en", key), key
        assert de[key].strip() and en[key].strip(), key


def test_catalog_escapes_user_data() -> None:
    texts = Catalog.load()
    rendered = texts.t("de", "groups-faction-in", body="<b>Rat & Co</b>")
    assert "&lt;b&gt;Rat &amp; Co&lt;/b&gt;" in rendered


async def test_command_menus(fake: FakeTelegram, bot: RunningBot) -> None:
    private_de = [c["command"] for c in fake.commands({"type": "all_private_chats"}, "")]
    private_en = [c["command"] for c in fake.commands({"type": "all_private_chats"}, "en")]
    groups_de = [c["command"] for c in fake.commands({"type": "all_group_chats"}, "")]
    assert {"start", "profil", "meinedaten", "austreten", "sprache", "abbrechen"} <= set(private_de)
    assert {"start", "profile", "mydata", "leave", "language", "cancel"} <= set(private_en)
    assert "verbinden" in groups_de
    assert "mitglieder" not in private_de  # coordinators get theirs per chat


MEMBER_MENU = "start hilfe profil sprache datenschutz meinedaten austreten abbrechen termine erinnerung "
MEMBER_MENU += "erinnerungen frage meinefragen"
PRIVATE = ChatType.PRIVATE
COORDINATOR_MENU = MEMBER_MENU + " mitglieder einladen rundschreiben neuertermin fraktionen statistik"


async def test_command_table_drives_registration_and_menus(
    fake: FakeTelegram, admin: SimUser, bot: RunningBot
) -> None:
    handlers = bot.app.handlers[0]
    assert menus.registered(bot.app) == COMMANDS
    for command in COMMANDS:
        [registered] = [h for h in handlers if isinstance(h, TableCommandHandler) and h.command is command]
        assert registered.commands == frozenset(command.names) and registered.callback is command.handler
        assert (registered.filters is PRIVATE) == (command.scope is Scope.PRIVATE)
    # A private-only command typed in a group gets the hint; the other commands are answered there.
    [private_only] = [h for h in handlers if isinstance(h, CommandHandler) and h.callback is on_private_only]
    assert private_only.commands == {n for c in COMMANDS if c.scope is Scope.PRIVATE for n in c.names}
    names = {n for h in handlers if isinstance(h, CommandHandler) for n in h.commands}
    assert names == {n for c in COMMANDS for n in c.names}
    # The menus: every row in the right one, in the table's order, in German and English.
    english = {c.de: c.en for c in COMMANDS}
    for code in ("", "en"):

        def menu(scope: dict[str, object], code: str = code) -> str:
            return " ".join(c["command"] for c in fake.commands(scope, code))

        def named(german: str, code: str = code) -> str:
            return " ".join(english[de] for de in german.split()) if code else german

        assert menu({"type": "all_private_chats"}) == named(MEMBER_MENU)
        group_menu = "verbinden gruppe hilfe termine erinnerung erinnerungen"
        assert menu({"type": "all_group_chats"}) == named(group_menu)
    admin_menu = [c["command"] for c in fake.commands({"type": "chat", "chat_id": ADMIN_ID}, "")]
    assert " ".join(admin_menu) == COORDINATOR_MENU + " status"


@pytest.mark.expected_errors
async def test_error_handler_apologises(
    fake: FakeTelegram, bot: RunningBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    uwe = fake.user(1501, "Uwe")
    await join(uwe)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(bot.services.membership, "export", broken)
    with caplog.at_level(logging.ERROR):
        await uwe.send("/meinedaten")
        await expect(uwe, said("error-apology"))
    assert any("simulated failure" in (r.exc_text or str(r.exc_info)) for r in caplog.records)


async def test_token_never_in_logs(
    fake: FakeTelegram, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    configure_logging(logging.DEBUG, Secret(TOKEN))
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    collector = Collect()
    root = logging.getLogger()
    for existing_filter in root.handlers[0].filters:
        collector.addFilter(existing_filter)
    root.addHandler(collector)
    try:
        async with running_bot(fake, tmp_path, log_level="DEBUG"):
            vera = fake.user(1502, "Vera")
            await join(vera)
            logging.getLogger("test").info("url was %s/bot%s/getMe", fake.base_url, TOKEN)
    finally:
        root.removeHandler(collector)
        logging.getLogger().handlers.clear()
    assert len(records) > 20  # DEBUG really was on
    assert not [line for line in records if TOKEN in line]
    out, err = capfd.readouterr()
    assert TOKEN not in out and TOKEN not in err
    assert "<BOT_TOKEN>" in "\n".join(records)


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "composition", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "ADMIN_IDS", "TIMEZONE")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


@pytest.mark.parametrize(
    ("extra", "variable"),
    [
        ({}, "BOT_TOKEN"),
        ({"BOT_TOKEN": TOKEN, "ADMIN_IDS": "1,zwei"}, "ADMIN_IDS"),
        ({"BOT_TOKEN": TOKEN, "TIMEZONE": "Europe/Atlantis"}, "TIMEZONE"),
    ],
)
def test_cli_config_error_is_one_line(tmp_path: Path, extra: dict[str, str], variable: str) -> None:
    result = _cli(env=_env(**extra), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0] and "Traceback" not in result.stderr


def test_cli_reads_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_TOKEN=123456:" + "B" * 35 + "\nADMIN_IDS=oops\n")
    result = _cli(env=_env(), cwd=tmp_path)
    assert result.returncode == 2 and "ADMIN_IDS" in result.stderr


def test_cli_migrate_and_backup(tmp_path: Path) -> None:
    env = _env(DATABASE_PATH=str(tmp_path / "live.sqlite3"))
    migrated = _cli("migrate", env=env, cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    assert "0001_initial.sql" in migrated.stdout
    assert "up to date" in _cli("migrate", env=env, cwd=tmp_path).stdout
    backup = _cli("backup", str(tmp_path / "b.sqlite3"), env=env, cwd=tmp_path)
    assert backup.returncode == 0, backup.stderr
    with sqlite3.connect(tmp_path / "b.sqlite3") as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] >= 1
    version = _cli("--version", env=env, cwd=tmp_path)
    assert version.stdout.startswith("lag-bot ")


def test_cli_load_territory(tmp_path: Path) -> None:
    seed = tmp_path / "land.json"
    seed.write_text(
        '{"state": {"code": "xx", "name": "Beispielland", "bodies": [{"code": "lt", "name": "Landtag", '
        '"level": "land"}]}, "districts": [{"code": "k1", "name": "Kreis Eins", "kind": "landkreis", '
        '"bodies": [], "municipalities": []}], '
        '"topics": [{"code": "bildung", "de": "Bildung", "en": "Education"}]}'
    )
    env = _env(DATABASE_PATH=str(tmp_path / "t.sqlite3"))
    result = _cli("load-territory", str(seed), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "t.sqlite3") as db:
        names = {r[0] for r in db.execute("SELECT name FROM territories")}
    assert names == {"Beispielland", "Kreis Eins"}
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    failed = _cli("load-territory", str(bad), env=env, cwd=tmp_path)
    assert failed.returncode == 1 and "bad.json" in failed.stderr


def test_tests_can_find_every_text_by_its_key() -> None:
    """tests/texts.fragment finds each text's literal part in what the user is shown."""
    from tests.texts import CATALOG, fragment, said

    for lang in ("de", "en"):
        for key in CATALOG.texts[lang]:
            params = {name: "Xy" for name in CATALOG.placeholders(lang, key)}
            try:
                piece = fragment(key, lang)
            except ValueError:
                continue  # a text that is only placeholders
            assert piece in said(key, lang, **params), key

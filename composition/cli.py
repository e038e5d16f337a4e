"""The `lag-bot` command.

    lag-bot                      run the bot (same as `lag-bot run`): long polling, or a webhook
                                 when WEBHOOK_URL is set
    lag-bot migrate              apply database migrations
    lag-bot backup FILE          write a consistent copy of the database to FILE
    lag-bot restore FILE         put the backup FILE in place of the database (the bot must be stopped)
    lag-bot load-territory FILE  replace the territory data (districts, bodies, topics)
    lag-bot --version

Configuration comes from the environment and a `.env` file in the working directory; a bad
value stops the command with one line naming the variable and exit status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from dotenv import dotenv_values
from telegram.error import InvalidToken, NetworkError

from lag_bot import __version__
from lag_bot.db import Database
from lag_bot.db_lock import DatabaseInUse
from lag_bot.logs import configure_logging
from lag_bot.membership.territory_seed import SeedError, load_seed, read_seed
from lag_bot.migrate import MigrationError, apply_migrations
from lag_bot.operations.backup import backup_database
from lag_bot.operations.restore import RestoreError, replay_erasures, restore_database
from lag_bot.settings import Settings, SettingsError, load_settings

EXIT_CONFIG = 2


def environment() -> dict[str, str]:
    """The process environment over the values of `.env` (the environment wins)."""
    values = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    values.update(os.environ)
    return values


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `lag-bot` command."""
    parser = argparse.ArgumentParser(prog="lag-bot", description="Bot der LAG Kommunalpolitik")
    parser.add_argument("--version", action="version", version=f"lag-bot {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot: long polling, or a webhook if WEBHOOK_URL is set (default)")
    sandbox = sub.add_parser("sandbox", help="try the bot without Telegram: emulator, demo data, a web page")
    sandbox.add_argument(
        "--port", type=int, default=8080, help="the web page's port on 127.0.0.1 (default 8080)"
    )
    sandbox.add_argument("--data", type=Path, default=None, help="keep the sandbox's database in this folder")
    sub.add_parser("migrate", help="apply database migrations")
    backup = sub.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("file", type=Path)
    restore = sub.add_parser("restore", help="replace the database by a backup (the bot must be stopped)")
    restore.add_argument("file", type=Path)
    territory = sub.add_parser("load-territory", help="replace the territory data from a JSON file")
    territory.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings(environment(), require_token=command == "run")
    except SettingsError as exc:
        print(f"lag-bot: configuration error: {exc.variable} {exc.problem}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    secrets = [settings.webhook.secret] if settings.webhook else []
    configure_logging(settings.log_level_number, settings.bot_token, *secrets)
    actions: dict[str, Callable[[], None]] = {
        "run": lambda: run(settings),
        "sandbox": lambda: _sandbox(args.port, args.data),
        "migrate": lambda: asyncio.run(_migrate(settings)),
        "backup": lambda: _backup(settings, args.file),
        "restore": lambda: _restore(settings, args.file),
        "load-territory": lambda: asyncio.run(_load_territory(settings, args.file)),
    }
    try:
        actions[command]()
    except (MigrationError, SeedError, FileNotFoundError) as exc:
        print(f"lag-bot: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    except (RestoreError, DatabaseInUse) as exc:
        print(f"lag-bot: {command} refused: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


def run(settings: Settings) -> None:
    """Run the bot until SIGTERM or SIGINT (both stop it gracefully: see deploy/OPERATIONS.md)."""
    from composition.application import ALLOWED_UPDATES, build_application

    app = build_application(settings)
    # PTB logs a failed start with its traceback (about 100 lines); the one line below says it.
    logging.getLogger("telegram.ext").addFilter(_without_failed_start)
    webhook = settings.webhook
    try:
        if webhook is None:
            app.run_polling(allowed_updates=ALLOWED_UPDATES)
        else:
            # Serves http://listen:port/<path of WEBHOOK_URL> behind a TLS proxy; requests without
            # Telegram's X-Telegram-Bot-Api-Secret-Token header, or with another value, get 403.
            app.run_webhook(
                listen=webhook.listen,
                port=webhook.port,
                url_path=webhook.path,
                webhook_url=webhook.url,
                secret_token=webhook.secret.get(),
                allowed_updates=ALLOWED_UPDATES,
            )
    except InvalidToken:
        print("lag-bot: configuration error: BOT_TOKEN was rejected by Telegram", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    except NetworkError as exc:
        print(f"lag-bot: cannot reach the Telegram Bot API ({exc.message})", file=sys.stderr)
        raise SystemExit(1) from None


def _without_failed_start(record: logging.LogRecord) -> bool:
    """Drop PTB's report of a start that could not reach the Bot API: run() says it in one line."""
    return not record.getMessage().startswith("Network Retry Loop (Bootstrap")


def _sandbox(port: int, data: Path | None) -> None:
    from composition.sandbox import PortInUse, run_sandbox

    if "LOG_LEVEL" not in environment():  # the address alone, unless a log level was asked for
        logging.getLogger().setLevel(logging.WARNING)
    if data is not None:
        data.mkdir(parents=True, exist_ok=True)
    try:
        asyncio.run(run_sandbox(port, data))
    except PortInUse as exc:
        print(f"lag-bot: {exc}; choose another with --port, e.g. --port {exc.port + 1}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None


async def _migrate(settings: Settings) -> None:
    db = await Database.open(settings.database_path)
    try:
        applied = await apply_migrations(db)
    finally:
        await db.close()
    print(f"applied: {', '.join(applied) or 'nothing (up to date)'}")


def _backup(settings: Settings, target: Path) -> None:
    size = backup_database(settings.database_path, target)
    print(f"backup written: {target} ({size} bytes)")


def _restore(settings: Settings, source: Path) -> None:
    restored = restore_database(source, settings.database_path)
    print(f"restored {settings.database_path} from {source} (schema version {restored.schema_version})")
    if restored.previous is not None:
        print(f"the database it replaced is kept as {restored.previous}")
    erased = asyncio.run(replay_erasures(settings.database_path))
    print(f"erased again (left after the backup was written): {erased}")


async def _load_territory(settings: Settings, path: Path) -> None:
    data = read_seed(path)
    db = await Database.open(settings.database_path)
    try:
        await apply_migrations(db)
        report = await load_seed(db, data)
    finally:
        await db.close()
    print(f"loaded {report.territories} places, {report.bodies} bodies, {report.topics} topics")
    if report.kept:
        print(f"kept (still in use): {', '.join(report.kept)}")

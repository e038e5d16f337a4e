"""The bot's configuration: one frozen object, read once from the environment and `.env`.

    settings = load_settings(os.environ)      # raises SettingsError naming the variable

A `SettingsError` carries the variable's name; the CLI prints it as one line and exits 2.
`WEBHOOK_URL` switches from long polling to a webhook (see deploy/OPERATIONS.md).

One file on purpose (about 255 lines): every variable's name, default, range and check is next to
the field of `Settings` it fills, so one file answers "what does this variable do".
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lag_bot.delivery.ratelimit import SendLimits
from lag_bot.i18n import LANGUAGES

TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"
TELEGRAM_FILE_BASE_URL = "https://api.telegram.org/file/bot"
_TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Telegram sends the secret in a header: 1-256 of these characters; we ask for enough to be unguessable.
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
_WEBHOOK_PORTS = (443, 80, 88, 8443)  # the ports Telegram delivers webhooks to


class SettingsError(ValueError):
    """A configuration variable is missing or malformed."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable
        self.problem = problem


class Secret:
    """A string that does not show itself in repr() or str(), so it cannot be logged by accident."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        """Return the secret value; call this only where it is handed to Telegram."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Webhook:
    """Webhook mode: Telegram posts updates to `url`; the bot listens on `listen:port` behind a proxy."""

    url: str
    secret: Secret
    listen: str = "127.0.0.1"
    port: int = 8080

    @property
    def path(self) -> str:
        """The path the bot serves, the same as the public URL's (without the leading slash)."""
        return urlsplit(self.url).path.strip("/")


@dataclass(frozen=True)
class RetentionDays:
    """How many days each kind of row is kept (0: the rule is off); see lag_bot/operations/retention.py."""

    deliveries_days: int = 90
    pending_days: int = 30
    invites_days: int = 30
    dialogs_days: int = 30


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    bot_token: Secret
    admin_ids: frozenset[int] = frozenset()
    database_path: Path = Path("lag-bot.sqlite3")
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Berlin"))
    default_language: str = "de"
    log_level: str = "INFO"
    api_base_url: str = TELEGRAM_API_BASE_URL
    file_base_url: str = TELEGRAM_FILE_BASE_URL
    notify_admins_on_error: bool = False
    territory_file: Path | None = None
    send_limits: SendLimits = field(default_factory=SendLimits)
    send_concurrency: int = 8
    update_concurrency: int = 8
    reminder_grace_minutes: int = 60
    pseudonym_min_matches: int = 5
    webhook: Webhook | None = None
    backup_dir: Path | None = None
    backup_keep: int = 7
    retention: RetentionDays = field(default_factory=RetentionDays)

    @property
    def log_level_number(self) -> int:
        """The log level as the `logging` module's number."""
        return int(logging.getLevelName(self.log_level))


def load_settings(env: Mapping[str, str], *, require_token: bool = True) -> Settings:
    """Build the settings from an environment mapping; raise SettingsError on the first bad value."""
    token = env.get("BOT_TOKEN", "").strip()
    if require_token:
        if not token:
            raise SettingsError("BOT_TOKEN", "is not set; get one from @BotFather")
        if not _TOKEN_SHAPE.match(token):
            raise SettingsError("BOT_TOKEN", "does not look like a token from @BotFather")
    return Settings(
        bot_token=Secret(token),
        admin_ids=_admin_ids(env.get("ADMIN_IDS", "")),
        database_path=Path(env.get("DATABASE_PATH", "").strip() or "lag-bot.sqlite3"),
        timezone=_timezone(env.get("TIMEZONE", "").strip() or "Europe/Berlin"),
        default_language=_choice(env, "DEFAULT_LANGUAGE", "de", LANGUAGES),
        log_level=_choice(env, "LOG_LEVEL", "INFO", _LOG_LEVELS, upper=True),
        api_base_url=_url(env, "TELEGRAM_API_BASE_URL", TELEGRAM_API_BASE_URL),
        file_base_url=_url(env, "TELEGRAM_FILE_BASE_URL", TELEGRAM_FILE_BASE_URL),
        notify_admins_on_error=_flag(env, "NOTIFY_ADMINS_ON_ERROR"),
        territory_file=_optional_path(env, "TERRITORY_FILE"),
        send_limits=SendLimits(
            per_second=_number(env, "SEND_PER_SECOND", 30.0, 0.1, 1000),
            per_chat_per_second=_number(env, "SEND_PER_CHAT_PER_SECOND", 1.0, 0.01, 100),
            per_group_per_minute=_number(env, "SEND_PER_GROUP_PER_MINUTE", 20.0, 1, 1000),
        ),
        send_concurrency=int(_number(env, "SEND_CONCURRENCY", 8, 1, 64)),
        update_concurrency=int(_number(env, "UPDATE_CONCURRENCY", 8, 1, 256)),
        reminder_grace_minutes=int(_number(env, "REMINDER_GRACE_MINUTES", 60, 0, 7 * 24 * 60)),
        pseudonym_min_matches=int(_number(env, "PSEUDONYM_MIN_MATCHES", 5, 1, 1000)),
        webhook=_webhook(env),
        backup_dir=Path(env["BACKUP_DIR"].strip()) if env.get("BACKUP_DIR", "").strip() else None,
        backup_keep=int(_number(env, "BACKUP_KEEP", 7, 1, 3650)),
        retention=RetentionDays(
            deliveries_days=_days(env, "RETAIN_DELIVERIES_DAYS", 90),
            pending_days=_days(env, "RETAIN_PENDING_DAYS", 30),
            invites_days=_days(env, "RETAIN_INVITES_DAYS", 30),
            dialogs_days=_days(env, "RETAIN_DIALOGS_DAYS", 30),
        ),
    )


def _webhook(env: Mapping[str, str]) -> Webhook | None:
    url = env.get("WEBHOOK_URL", "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    try:
        port = parts.port or 443
    except ValueError:
        raise SettingsError("WEBHOOK_URL", "has a malformed port") from None
    if parts.scheme != "https" or not parts.hostname:
        raise SettingsError("WEBHOOK_URL", "must be the public https:// address Telegram posts to")
    if port not in _WEBHOOK_PORTS:
        raise SettingsError("WEBHOOK_URL", "Telegram delivers only to the ports 443, 80, 88 and 8443")
    secret = env.get("WEBHOOK_SECRET", "").strip()
    if not secret:
        raise SettingsError("WEBHOOK_SECRET", "is not set; it is required with WEBHOOK_URL")
    if not _WEBHOOK_SECRET.match(secret):
        raise SettingsError("WEBHOOK_SECRET", "needs 32 to 256 characters of A-Z, a-z, 0-9, _ and -")
    return Webhook(
        url=url,
        secret=Secret(secret),
        listen=env.get("WEBHOOK_LISTEN", "").strip() or "127.0.0.1",
        port=int(_number(env, "WEBHOOK_PORT", 8080, 1, 65535)),
    )


def _days(env: Mapping[str, str], name: str, default: int) -> int:
    value = _number(env, name, default, 0, 36500)
    if value != int(value):
        raise SettingsError(name, "must be a whole number of days")
    return int(value)


def _admin_ids(raw: str) -> frozenset[int]:
    ids: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"\d{1,20}", part):
            raise SettingsError("ADMIN_IDS", f"{part[:20]!r} is not a numeric Telegram user id")
        ids.add(int(part))
    return frozenset(ids)


def _timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError("TIMEZONE", f"{name[:40]!r} is not an IANA time zone") from exc


def _choice(
    env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...], upper: bool = False
) -> str:
    value = env.get(name, "").strip() or default
    value = value.upper() if upper else value.lower()
    if value not in allowed:
        raise SettingsError(name, f"{value[:20]!r} is not one of {', '.join(allowed)}")
    return value


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip() or default
    if not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(name, "must be an http:// or https:// address")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "nein"):
        return False
    if value in ("1", "true", "yes", "ja"):
        return True
    raise SettingsError(name, "must be true or false")


def _number(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(name, f"{raw[:20]!r} is not a number") from None
    if not low <= value <= high:
        raise SettingsError(name, f"must be between {low:g} and {high:g}")
    return value


def _optional_path(env: Mapping[str, str], name: str) -> Path | None:
    value = env.get(name, "").strip()
    if not value:
        return None
    path = Path(value)
    if not path.is_file():
        raise SettingsError(name, f"file {value!r} does not exist")
    return path

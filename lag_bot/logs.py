"""Logging: one format, the `httpx` logger at WARNING, and the token redacted everywhere.

httpx logs every request URL at INFO, and Telegram request URLs contain the bot token, so its
logger is raised to WARNING; a filter on the root handlers also replaces the token in any
record that still carries it (e.g. an exception message quoting a URL). Other secrets (the
webhook's secret token, which PTB's DEBUG log of the setWebhook call shows) are redacted alike.

Personal data is NOT redacted: at DEBUG, python-telegram-bot logs every update in full (names,
usernames, question texts, a pseudonymous asker's too). So a process set to DEBUG says so once at
start, as a WARNING (`DEBUG_WARNING`); see "Logging" in deploy/OPERATIONS.md.
"""

from __future__ import annotations

import logging

from lag_bot.settings import Secret

_NOISY = ("httpx", "httpcore", "apscheduler", "aiosqlite")
DEBUG_WARNING = (
    "LOG_LEVEL=DEBUG logs personal data: python-telegram-bot writes every update in full "
    "(names, usernames, question texts, pseudonymous askers included); use it briefly, "
    "and delete these logs afterwards"
)


class RedactToken(logging.Filter):
    """Replaces the bot token (and any further secrets) in a record's message and arguments."""

    def __init__(self, token: Secret, *others: Secret) -> None:
        super().__init__()
        pairs = [(token.get(), "<BOT_TOKEN>"), *((other.get(), "<SECRET>") for other in others)]
        self._replace = [(value, mark) for value, mark in pairs if value]

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record so no secret appears in it; always keep the record."""
        if not self._replace:
            return True
        message = record.getMessage()
        if any(value in message for value, _ in self._replace):
            record.msg = _redact(message, self._replace)
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if any(value in text for value, _ in self._replace):
                record.exc_text = _redact(text, self._replace)
        return True


def _redact(text: str, replace: list[tuple[str, str]]) -> str:
    for value, mark in replace:
        text = text.replace(value, mark)
    return text


def configure_logging(level: int, token: Secret, *others: Secret) -> None:
    """Set up the root logger once for the process; `token` and `others` never appear in it."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token, *others))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet_http_loggers()
    if level <= logging.DEBUG:
        logging.getLogger(__name__).warning(DEBUG_WARNING)


def quiet_http_loggers() -> None:
    """Raise the loggers that would print request URLs (with the token) to WARNING."""
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))

"""Logging: one format, the `httpx` logger at WARNING, and the token redacted everywhere.

httpx logs every request URL at INFO, and Telegram request URLs contain the bot token, so its
logger is raised to WARNING; a filter on the root handlers also replaces the token in any
record that still carries it (e.g. an exception message quoting a URL).
"""

from __future__ import annotations

import logging

from lag_bot.settings import Secret

_NOISY = ("httpx", "httpcore", "apscheduler", "aiosqlite")


class RedactToken(logging.Filter):
    """Replaces the bot token in a record's message and arguments."""

    def __init__(self, token: Secret) -> None:
        super().__init__()
        self._token = token.get()

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record so the token does not appear in it; always keep the record."""
        if not self._token:
            return True
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, "<BOT_TOKEN>")
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if self._token in text:
                record.exc_text = text.replace(self._token, "<BOT_TOKEN>")
        return True


def configure_logging(level: int, token: Secret) -> None:
    """Set up the root logger once for the process."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet_http_loggers()


def quiet_http_loggers() -> None:
    """Raise the loggers that would print request URLs (with the token) to WARNING."""
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).level))

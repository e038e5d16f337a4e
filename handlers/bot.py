"""The application's bot: PTB's ExtBot, with Telegram's expected outcomes handled where they arise.

A callback query can only be answered within a few seconds of the press. Under load, or when the
network is slow, an answer can come too late ("query is too old"). That is not an error: the press
was handled and stored, only its pop-up is lost. So `answer_callback_query` returns False then,
logs one line, and the handler goes on to show the true state (the refreshed card). Code that
wants to show a refusal elsewhere when the pop-up is lost checks the result.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import BadRequest
from telegram.ext import ExtBot

from handlers.delivery.rate_limits import Slot

log = logging.getLogger(__name__)

_EXPIRED = ("query is too old", "query id is invalid")


def query_expired(error: BadRequest) -> bool:
    """Telegram's answer to a callback query answered too late (or twice)."""
    return any(marker in error.message.lower() for marker in _EXPIRED)


class LagBot(ExtBot[Slot]):
    """ExtBot whose late callback answers are an outcome, not an exception."""

    async def answer_callback_query(self, callback_query_id: str, *args: Any, **kwargs: Any) -> bool:
        """Answer the press; False if Telegram no longer takes an answer for it."""
        try:
            return await super().answer_callback_query(callback_query_id, *args, **kwargs)
        except BadRequest as exc:
            if not query_expired(exc):
                raise
            log.info("callback query %s answered too late: %s", callback_query_id, exc.message)
            return False

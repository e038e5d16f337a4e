"""The application's bot: PTB's ExtBot, with Telegram's expected outcomes handled where they arise.

A callback query can only be answered within a few seconds of the press. Under load, or when the
network is slow, an answer can come too late ("query is too old"). That is not an error: the press
was handled and stored, only its pop-up is lost. So `answer_callback_query` returns False then,
logs one line, and the handler goes on to show the true state (the refreshed card). Code that
wants to show a refusal elsewhere when the pop-up is lost checks the result.

An edit that would leave a message as it is ("message is not modified") is the same kind of outcome:
a double tap, or a press on an older copy of a screen that already shows this state. The edit
methods return True then (the message shows what was asked), instead of every handler catching it.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Message
from telegram.error import BadRequest
from telegram.ext import ExtBot

from handlers.delivery.rate_limits import Slot

log = logging.getLogger(__name__)

_EXPIRED = ("query is too old", "query id is invalid")
_NOT_MODIFIED = "message is not modified"


def query_expired(error: BadRequest) -> bool:
    """Telegram's answer to a callback query answered too late (or twice)."""
    return any(marker in error.message.lower() for marker in _EXPIRED)


def not_modified(error: BadRequest) -> bool:
    """Telegram's answer to an edit that would change nothing: the message already shows it."""
    return _NOT_MODIFIED in error.message.lower()


class LagBot(ExtBot[Slot]):
    """ExtBot whose late callback answers and unchanged edits are outcomes, not exceptions."""

    async def answer_callback_query(self, callback_query_id: str, *args: Any, **kwargs: Any) -> bool:
        """Answer the press; False if Telegram no longer takes an answer for it."""
        try:
            return await super().answer_callback_query(callback_query_id, *args, **kwargs)
        except BadRequest as exc:
            if not query_expired(exc):
                raise
            log.info("callback query %s answered too late: %s", callback_query_id, exc.message)
            return False

    async def edit_message_text(self, *args: Any, **kwargs: Any) -> Message | bool:
        """Edit a message's text; True if it already shows exactly this."""
        try:
            return await super().edit_message_text(*args, **kwargs)
        except BadRequest as exc:
            if not not_modified(exc):
                raise
            return _unchanged(exc)

    async def edit_message_reply_markup(self, *args: Any, **kwargs: Any) -> Message | bool:
        """Edit a message's buttons; True if it already has exactly these (or none, as asked)."""
        try:
            return await super().edit_message_reply_markup(*args, **kwargs)
        except BadRequest as exc:
            if not not_modified(exc):
                raise
            return _unchanged(exc)


def _unchanged(error: BadRequest) -> bool:
    log.debug("edit changed nothing: %s", error.message)
    return True

"""The outbox's way to Telegram: one part sent with PTB, Telegram's errors mapped to the
sender's (`lag_bot.delivery_errors`)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from lag_bot.delivery_errors import Migrated, OutcomeUnknown, Rejected, RetryLater, Transient, Unreachable
from lag_bot.message_parts import Part

# Bad Request descriptions that mean the chat, not the message, is the problem.
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "not a member", "peer_id_invalid")
# The outbox keeps its own limits and retries; PTB's rate limiter must not retry behind its back.
_NO_RETRY = {"max_retries": 0}


class TelegramTransport:
    """Sends parts with a PTB bot."""

    def __init__(self, bot: ExtBot[Any]) -> None:
        self.bot = bot

    async def send(self, chat_id: int, thread_id: int | None, part: Part) -> None:
        """Send one part; raise a DeliveryError if it did not (surely) arrive."""
        markup = (
            InlineKeyboardMarkup(
                [[InlineKeyboardButton(label, callback_data=data) for label, data in part.buttons]]
            )
            if part.buttons
            else None
        )
        try:
            if part.kind == "photo":
                await self.bot.send_photo(
                    chat_id,
                    part.file_id or "",
                    caption=part.text or None,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=thread_id,
                    reply_markup=markup,
                    rate_limit_args=_NO_RETRY,
                )
            elif part.kind == "document":
                await self.bot.send_document(
                    chat_id,
                    part.file_id or "",
                    caption=part.text or None,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=thread_id,
                    reply_markup=markup,
                    rate_limit_args=_NO_RETRY,
                )
            else:
                await self.bot.send_message(
                    chat_id,
                    part.text,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=thread_id,
                    reply_markup=markup,
                    rate_limit_args=_NO_RETRY,
                )
        except RetryAfter as exc:
            raise RetryLater(_seconds(exc.retry_after), exc.message) from exc
        except ChatMigrated as exc:
            raise Migrated(exc.new_chat_id) from exc
        except Forbidden as exc:
            raise Unreachable(exc.message) from exc
        except BadRequest as exc:
            if any(marker in exc.message.lower() for marker in _GONE):
                raise Unreachable(exc.message) from exc
            raise Rejected(exc.message) from exc
        except TimedOut as exc:  # the request may have reached Telegram
            raise OutcomeUnknown(exc.message) from exc
        except NetworkError as exc:  # 5xx or no connection: it did not arrive
            raise Transient(exc.message) from exc


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]

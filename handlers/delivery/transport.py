"""The outbox's way to Telegram: one part sent with PTB, Telegram's errors mapped to the
sender's (`lag_bot.delivery.errors`)."""

from __future__ import annotations

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from handlers.delivery.json_request import JsonHTTPXRequest
from lag_bot.delivery.errors import (
    Migrated,
    OutcomeUnknown,
    Rejected,
    RetryLater,
    ThreadGone,
    Transient,
    Unreachable,
)
from lag_bot.delivery.message_parts import Part

# Bad Request descriptions that mean the chat, not the message, is the problem.
_GONE = ("chat not found", "user is deactivated", "bot was kicked", "not a member", "peer_id_invalid")


class TelegramTransport:
    """Sends parts with a PTB bot of its own: the outbox keeps the limits and does the retries, so
    this bot has no rate limiter (the application's would retry and throttle behind its back)."""

    def __init__(self, token: str, base_url: str, base_file_url: str, concurrency: int) -> None:
        request = JsonHTTPXRequest(connection_pool_size=concurrency + 2)
        self.bot = Bot(token, base_url=base_url, base_file_url=base_file_url, request=request)

    async def start(self) -> None:
        """Open the HTTP connection pool."""
        await self.bot.initialize()

    async def close(self) -> None:
        """Close the HTTP connection pool."""
        await self.bot.shutdown()

    async def send(self, chat_id: int, thread_id: int | None, part: Part) -> int | None:
        """Send one part; its message id, or a DeliveryError if it did not (surely) arrive."""
        try:
            return await send_part(self.bot, chat_id, thread_id, part)
        except RetryAfter as exc:
            raise RetryLater(_seconds(exc.retry_after), exc.message) from exc
        except ChatMigrated as exc:
            raise Migrated(exc.new_chat_id) from exc
        except Forbidden as exc:
            raise Unreachable(exc.message) from exc
        except BadRequest as exc:
            if thread_id is not None and "message thread not found" in exc.message.lower():
                raise ThreadGone(exc.message) from exc
            if any(marker in exc.message.lower() for marker in _GONE):
                raise Unreachable(exc.message) from exc
            raise Rejected(exc.message) from exc
        except TimedOut as exc:
            if isinstance(exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout):
                raise Transient(exc.message) from exc  # it never left: safe to retry
            raise OutcomeUnknown(exc.message) from exc  # the request may have reached Telegram
        except NetworkError as exc:  # 5xx or no connection: it did not arrive
            raise Transient(exc.message) from exc


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]


async def send_part(bot: Bot, chat_id: int, thread_id: int | None, part: Part) -> int:
    """Send one part exactly as recipients get it (PTB's errors are raised as they are); the
    message id."""
    markup = (
        InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data) for label, data in part.buttons]]
        )
        if part.buttons
        else None
    )
    if part.kind in ("photo", "document"):
        send_media = bot.send_photo if part.kind == "photo" else bot.send_document
        sent = await send_media(
            chat_id,
            part.file_id or "",
            caption=part.text or None,
            parse_mode=ParseMode.HTML,
            message_thread_id=thread_id,
            reply_markup=markup,
        )
    else:
        sent = await bot.send_message(
            chat_id, part.text, parse_mode=ParseMode.HTML, message_thread_id=thread_id, reply_markup=markup
        )
    return sent.message_id

"""Files the bot makes (calendar files, CSV exports), sent as documents."""

from __future__ import annotations

import io

from telegram import Update
from telegram.constants import ParseMode

from handlers.context import LagContext


async def send_file(update: Update, context: LagContext, content: bytes, filename: str, caption: str) -> None:
    """Send bytes as a document to the chat of the update, with an HTML caption (from the catalog)."""
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id, io.BytesIO(content), filename=filename, caption=caption, parse_mode=ParseMode.HTML
    )

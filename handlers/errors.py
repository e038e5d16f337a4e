"""The one error handler: refusals in the user's language, apologies for bugs, tracebacks to the log."""

from __future__ import annotations

import html
import logging
import re

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from handlers.common import language, thread_of
from handlers.context import LagContext
from lag_bot.errors import UserError

log = logging.getLogger(__name__)
_TAG = re.compile(r"<[^>]+>")


async def on_error(update: object, context: LagContext) -> None:
    """Tell the user what went wrong; log what the developers need."""
    error = context.error
    if not isinstance(update, Update):
        log.error("error outside an update", exc_info=error)
        _remember(context, "job", error)
        return
    if isinstance(error, UserError):
        await _tell(update, context, error.key, error.params, alert=True)
        return
    if isinstance(error, Forbidden):  # the user blocked the bot while we answered
        log.info("update %s: forbidden: %s", update.update_id, error.message)
        return
    log.error("update %s failed", update.update_id, exc_info=error)
    _remember(context, "callback_query" if update.callback_query else "message", error)
    await _tell(update, context, "error-apology", {}, alert=False)
    if context.services.settings.notify_admins_on_error:
        await _notify_admins(context, update, error)


def _remember(context: LagContext, where: str, error: BaseException | None) -> None:
    """Keep a summary for /status (only the type: no personal data, no token)."""
    services = context.bot_data.services
    if services is not None:  # None: the error came before post_init or after post_shutdown
        services.errors.add(where, error)


async def _tell(
    update: Update, context: LagContext, key: str, params: dict[str, object], alert: bool
) -> None:
    try:
        lang = await language(update, context)
        text = context.services.texts.t(lang, key, **params)
        query = update.callback_query
        if query is not None:
            # A refused button press gets its answer as a pop-up; plain text, 200 characters.
            plain = html.unescape(_TAG.sub("", text))
            try:
                if await query.answer(plain[:200], show_alert=alert):
                    return
            except BadRequest:  # already answered: say it in the chat instead
                pass
            # The pop-up is lost (the press was answered too late): say it in the chat instead.
        chat = update.effective_chat
        if chat is not None:
            await context.bot.send_message(
                chat.id, text, parse_mode=ParseMode.HTML, message_thread_id=thread_of(update)
            )
    except BadRequest as exc:  # the callback query expired or the chat is gone: nothing to tell
        log.info("could not tell the user about %s: %s", key, exc.message)
    except TelegramError:
        log.exception("could not tell the user about %s", key)


async def _notify_admins(context: LagContext, update: Update, error: BaseException | None) -> None:
    svc = context.services
    text = svc.texts.t(
        svc.settings.default_language,
        "error-admin-notice",
        update_id=update.update_id,
        error=type(error).__name__ if error else "?",
    )
    for admin_id in svc.settings.admin_ids:
        try:
            await context.bot.send_message(admin_id, text, parse_mode=ParseMode.HTML)
        except TelegramError as exc:  # an admin who never started the bot cannot be told
            log.info("admin not notified: %s", exc)

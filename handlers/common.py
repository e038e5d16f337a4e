"""Small helpers every handler uses: the user's language, the current member, replies, buttons."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ParseMode

from handlers.context import LagContext
from lag_bot.authorization import Actor
from lag_bot.callbacks import Callback, decode
from lag_bot.errors import UserError
from lag_bot.i18n import normalize_language
from lag_bot.models import Dialog, Member, Role

Button = tuple[str, str]  # (label, callback data or https:// url)


@dataclass(frozen=True)
class Press:
    """A button press, parsed: who pressed, the query to answer, and the decoded callback data."""

    query: CallbackQuery
    user: User
    cb: Callback


def pressed(update: Update) -> Press:
    """The opening of every button handler: the query, the presser and its data (Stale if forged).

        press = pressed(update)
        action = press.cb.action_of(Action)     # the feature's enum; Stale for an unknown action
    """
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None  # registered for CallbackQueryHandler only
    return Press(query, user, decode(query.data))


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """An inline keyboard from (label, data) pairs; a value starting with https:// is a link."""
    if not rows:
        return None
    return _keyboard(tuple(tuple(row) for row in rows if row))


@functools.lru_cache(maxsize=1024)
def _keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup:
    # PTB's objects are frozen, so one keyboard can go out under many messages: the menus and
    # cards most people see are built once instead of at every reply.
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, url=value)
                if value.startswith("https://")
                else InlineKeyboardButton(label, callback_data=value)
                for label, value in row
            ]
            for row in rows
        ]
    )


def chunk(buttons: Sequence[Button], per_row: int = 2) -> list[list[Button]]:
    """Lay buttons out in rows."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


PAGE_SIZE = 24  # buttons per page: well under Telegram's 100, and a list one can scan on a phone


def paged(
    buttons: Sequence[Button], page: int, nav: Callable[[int], str], per_row: int = 1
) -> list[list[Button]]:
    """One page of a long button list, with ◀ ▶ to the neighbouring pages."""
    pages = max(1, -(-len(buttons) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = chunk(buttons[page * PAGE_SIZE : (page + 1) * PAGE_SIZE], per_row)
    arrows: list[Button] = []
    if page > 0:
        arrows.append(("◀", nav(page - 1)))
    if page + 1 < pages:
        arrows.append(("▶", nav(page + 1)))
    if arrows:
        rows.append(arrows)
    return rows


async def send_or_turn_page(
    update: Update,
    context: LagContext,
    lang: str,
    key: str,
    rows: Sequence[Sequence[Button]],
    turning: bool,
    **params: object,
) -> None:
    """Send a list prompt, or, when a page arrow was pressed, swap the buttons of that message."""
    query = update.callback_query
    if turning and query is not None:
        await query.edit_message_reply_markup(keyboard(rows))
        return
    await send(update, context, lang, key, rows, **params)


async def current_member(update: Update, context: LagContext) -> Member | None:
    """The member behind the update, if the person has consented."""
    user = update.effective_user
    if user is None:
        return None
    return (await context.services.authorizer.actor(user.id)).member


async def language(update: Update, context: LagContext) -> str:
    """The language to answer in: the member's, else the chosen one, else Telegram's."""
    member = await current_member(update, context)
    if member is not None:
        return member.language
    chosen = context.user_data.get("language") if context.user_data is not None else None
    if isinstance(chosen, str):
        return chosen
    user = update.effective_user
    default = context.services.settings.default_language
    return normalize_language(user.language_code if user else None, default)


async def require_member(update: Update, context: LagContext) -> Member:
    """The member behind the update, or a UserError telling a stranger to /start."""
    member = await current_member(update, context)
    if member is None:
        raise UserError("common-not-registered")
    return member


def actor_language(context: LagContext, actor: Actor) -> str:
    """The language of someone acting (admins from ADMIN_IDS may have no member row)."""
    return actor.member.language if actor.member else context.services.settings.default_language


def text(context: LagContext, lang: str, key: str, **params: object) -> str:
    """A catalog text."""
    return context.services.texts.t(lang, key, **params)


async def send(
    update: Update,
    context: LagContext,
    lang: str,
    key: str,
    rows: Sequence[Sequence[Button]] = (),
    **params: object,
) -> Message:
    """Send a catalog text (HTML) to the chat of the update."""
    return await send_html(update, context, text(context, lang, key, **params), rows)


async def send_html(
    update: Update, context: LagContext, html: str, rows: Sequence[Sequence[Button]] = ()
) -> Message:
    """Send text assembled from catalog fragments (in a forum, to the topic the update came from)."""
    chat = update.effective_chat
    assert chat is not None
    return await context.bot.send_message(
        chat.id,
        html,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(rows),
        message_thread_id=thread_of(update),
    )


def thread_of(update: Update) -> int | None:
    """The forum topic an update came from (None outside forums and in the General topic)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or not chat.is_forum or message is None:
        return None
    return message.message_thread_id


async def answer(update: Update, context: LagContext, lang: str, key: str = "", **params: object) -> None:
    """Answer the pressed button (with a short toast text if a key is given)."""
    query = update.callback_query
    if query is not None:
        await query.answer(text(context, lang, key, **params) if key else None)


async def coordinator(update: Update, context: LagContext) -> Actor:
    """The coordinator (or admin) behind the update, checked now; NotAllowed for anyone else."""
    assert update.effective_user is not None
    return await context.services.authorizer.require(update.effective_user.id, Role.COORDINATOR)


async def load_dialog(context: LagContext, telegram_id: int) -> Dialog | None:
    """Where someone is in a dialog, if they have one open."""
    return await context.services.dialogs.get(telegram_id)


async def save_dialog(context: LagContext, dialog: Dialog) -> None:
    """Store where someone is in a dialog, in its own transaction."""
    await context.services.dialogs.save(dialog)


async def clear_dialog(context: LagContext, telegram_id: int) -> bool:
    """Close someone's open dialog, in its own transaction; whether there was one."""
    return await context.services.dialogs.clear(telegram_id)

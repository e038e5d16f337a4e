"""`/datenschutz`, `/meinedaten` (export) and `/austreten` (erasure)."""

from __future__ import annotations

import enum

from telegram import Update

from handlers import documents, menus
from handlers.common import current_member, language, pressed, require_member, send
from handlers.context import LagContext
from handlers.membership import approvals
from lag_bot.callbacks import Feature, encode
from lag_bot.membership import export

FEATURE = Feature.LEAVE


class Action(enum.StrEnum):
    """The confirmation of /austreten."""

    YES = "yes"
    NO = "no"


async def cmd_datenschutz(update: Update, context: LagContext) -> None:
    """The full privacy text."""
    await send(update, context, await language(update, context), "privacy-full")


async def cmd_meinedaten(update: Update, context: LagContext) -> None:
    """Send everything stored about the member: as JSON (to take elsewhere) and as a readable
    document in their language."""
    member = await require_member(update, context)
    stored = await context.services.membership.export(member)
    texts, lang = context.services.texts, member.language
    caption = texts.t(lang, "privacy-export-caption")
    await documents.send_file(update, context, stored.json_bytes(), "meine-daten.json", caption)
    page = export.readable(texts, lang, context.services.settings.timezone, stored)
    name, caption = texts.phrase(lang, "export-file"), texts.t(lang, "export-caption")
    await documents.send_file(update, context, page, name, caption)


async def cmd_austreten(update: Update, context: LagContext) -> None:
    """Ask for confirmation before erasing everything."""
    lang = await language(update, context)
    t = context.services.texts.t
    rows = [
        [(t(lang, "leave-confirm-yes"), encode(FEATURE, Action.YES))],
        [(t(lang, "leave-confirm-no"), encode(FEATURE, Action.NO))],
    ]
    await send(update, context, lang, "leave-confirm", rows)


async def on_leave_button(update: Update, context: LagContext) -> None:
    """Erase the person (on yes), or keep everything (on no)."""
    press = pressed(update)
    query, user = press.query, press.user
    action = press.cb.action_of(Action)
    lang = await language(update, context)
    if action is Action.NO:
        await query.answer()
        await send(update, context, lang, "leave-kept")
        return
    member = await current_member(update, context)
    if member is not None:
        await approvals.withdraw_cards(context, member)
    await context.services.membership.erase(user.id)
    await query.answer()
    await query.edit_message_reply_markup(None)
    if member is not None:
        await menus.set_chat_menu(context, user.id, lang, None)
    await send(update, context, lang, "leave-done")

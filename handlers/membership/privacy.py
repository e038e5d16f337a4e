"""`/datenschutz`, `/meinedaten` (export) and `/austreten` (erasure)."""

from __future__ import annotations

import enum
import logging

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from handlers import documents, menus
from handlers.common import current_member, language, pressed, require_member, send
from handlers.context import LagContext
from handlers.membership import approvals, group_leaving
from lag_bot.callbacks import Feature, encode
from lag_bot.i18n import Html
from lag_bot.membership import export
from lag_bot.membership.service import SentCard

log = logging.getLogger(__name__)

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
    days = context.services.settings.backup_keep
    await send(update, context, lang, "privacy-leave-confirm", rows, days=_days(context, lang, days))


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
    # The buttons go first: a second tap on the same confirmation finds them gone (the edit changes
    # nothing) and is done, instead of erasing and confirming again.
    try:
        repeated = not isinstance(await query.edit_message_reply_markup(None), Message)
    except BadRequest as exc:  # a confirmation Telegram no longer lets the bot edit: erase all the same
        log.info("leave confirmation not edited: %s", exc.message)
        repeated = False
    if repeated:
        await query.answer()
        return
    member = await current_member(update, context)
    if member is not None:
        await approvals.withdraw_cards(context, member)
    await group_leaving.before_erase(context, user.id)
    names = (user.full_name, user.first_name, user.last_name or "", user.username or "")
    cards = await context.services.membership.erase(user.id, names)
    await query.answer()
    if member is not None:
        await menus.set_chat_menu(context, user.id, lang, None)
    days = context.services.settings.backup_keep
    await send(update, context, lang, "privacy-leave-done", days=_days(context, lang, days))
    await strip_question_cards(context, cards)


async def strip_question_cards(context: LagContext, cards: list[SentCard]) -> None:
    """After an erasure: edit the cards of her questions in the factions' chats to the anonymous
    form (no name, no pseudonym, no question, no buttons). A card Telegram no longer lets the bot
    edit (deleted, chat left) keeps what it showed: the leave text says so."""
    svc = context.services
    for card in cards:
        lang = card.language or svc.settings.default_language
        try:
            await context.bot.edit_message_text(
                svc.texts.t(lang, "privacy-leave-card", id=card.question_id),
                chat_id=card.chat_id,
                message_id=card.message_id,
                parse_mode=ParseMode.HTML,
            )
        except (BadRequest, Forbidden) as exc:
            log.info("question card %s not stripped: %s", card.message_id, exc.message)


def _days(context: LagContext, lang: str, days: int) -> Html:
    """How long backups keep old data, counted in words ("30 Tage", "1 Tag")."""
    return Html(context.services.texts.t(lang, "count-days", count=days))

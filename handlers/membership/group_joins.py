"""Who comes into a linked group: join requests (answered by the gate, with a private message to
the person), chat_member updates and messages that show who is in a group, and the bot's own
rights changing there."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberAdministrator, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from handlers.context import LagContext
from handlers.membership.group_leaving import tell_rights_lost
from handlers.membership.group_telegram import TelegramGroupControl
from lag_bot.i18n import normalize_language

log = logging.getLogger(__name__)
_IN = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


async def on_join_request(update: Update, context: LagContext) -> None:
    """Approve or decline a join request, and tell the person why in private."""
    request = update.chat_join_request
    if request is None:
        return
    svc = context.services
    control = TelegramGroupControl(context.bot)
    answer = await svc.group_gate.join_request(request.chat.id, request.from_user.id, control)
    if answer.rights_lost:
        await tell_rights_lost(context, [request.chat.id])
    if not answer.reason:
        return
    default = svc.settings.default_language
    lang = answer.language or normalize_language(request.from_user.language_code, default)
    text = svc.texts.t(lang, answer.reason, group=request.chat.title or "")
    try:
        await context.bot.send_message(request.user_chat_id, text, parse_mode=ParseMode.HTML)
    except (BadRequest, Forbidden) as exc:  # blocked the bot, or the 5 minutes are over
        log.info("join request answer not delivered: %s", exc.message)


async def on_chat_member(update: Update, context: LagContext) -> None:
    """Someone joined or left a group the bot administers."""
    change = update.chat_member
    if change is None:
        return
    user = change.new_chat_member.user
    if change.new_chat_member.status in _IN:
        await context.services.group_gate.seen(change.chat.id, user.id)
    else:
        await context.services.group_gate.gone(change.chat.id, user.id)


async def on_group_message(update: Update, context: LagContext) -> None:
    """Whoever writes in a group is in it (runs before the other handlers, answers nothing)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or user.is_bot or chat.type not in ("group", "supergroup"):
        return
    await context.services.group_gate.seen(chat.id, user.id)


async def on_bot_rights(update: Update, context: LagContext) -> None:
    """The bot's own rights in a group changed: a loss is told to the coordinators once."""
    change = update.my_chat_member
    if change is None:
        return
    me = change.new_chat_member
    gate = context.services.group_gate
    if isinstance(me, ChatMemberAdministrator) and me.can_invite_users and me.can_restrict_members:
        await gate.rights_back(change.chat.id)
    elif await gate.rights_lost(change.chat.id):
        await tell_rights_lost(context, [change.chat.id])

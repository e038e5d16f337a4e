"""Answering by reply: in a faction's group, a reply to the question card is the faction's answer;
in private, a contact person's reply to their card is an answer, and the asker's reply to an answer
is a follow-up. Which message carries which question is looked up in the database (never taken from
forward headers).

With Telegram's privacy mode on, a group's replies to the bot's messages still reach the bot; a
reply to a bot message that carries no question gets a hint, anything else in a group is ignored.
"""

from __future__ import annotations

from telegram import Message, Update

from handlers import dialogs
from handlers.common import require_member, send
from handlers.context import LagContext
from handlers.membership.groups import group_member
from handlers.questions.acting import responder
from handlers.questions.write import confirm_answer
from lag_bot.errors import UserError


def _replied_to_bot(message: Message | None, bot_id: int) -> Message | None:
    replied = message.reply_to_message if message is not None else None
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return None
    return replied


async def on_group_reply(update: Update, context: LagContext) -> None:
    """A reply in a group: the faction's answer, if it replies to a question card of this group."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    replied = _replied_to_bot(message, context.bot.id)
    if replied is None:
        return  # a conversation among the group's members: not the bot's business
    svc = context.services
    link = await svc.questions.lookup.linked(chat.id, replied.message_id)
    actor = await group_member(update, context)
    lang = actor.member.language if actor.member else svc.settings.default_language
    if link is None or link[1] != "faction":
        await send(update, context, lang, "question-reply-unrelated")
        return
    if actor.member is None:
        raise UserError("groups-not-member")
    acting = responder(update, context.bot, actor.member)
    sent = await svc.questions.replies.answer(acting, link[0], message.text or "")
    await confirm_answer(update, context, lang, sent)


async def on_private_reply(update: Update, context: LagContext) -> None:
    """A reply in private: an answer or follow-up if it replies to a question's message, else the
    text goes to the open dialog as usual."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    replied = _replied_to_bot(message, context.bot.id)
    link = await context.services.questions.lookup.linked(chat.id, replied.message_id) if replied else None
    if link is None:
        await dialogs.on_text(update, context)
        return
    member = await require_member(update, context)
    questions = context.services.questions
    target_id, side = link
    if side == "asker":
        await questions.asking.follow_up(member, target_id, message.text or "")
        await send(update, context, member.language, "question-followup-sent")
        return
    acting = responder(update, context.bot, member)
    sent = await questions.replies.answer(acting, target_id, message.text or "")
    await confirm_answer(update, context, member.language, sent)

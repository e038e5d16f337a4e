"""The buttons under a question card on the faction's side: "Ich antworte" (claim; the group sees
who), "Antworten" (write in private), "An andere Fraktion weitergeben" and "Nicht zuständig" (both
continue in the presser's private chat, so the group stays readable), and the faction's archive
consent under the confirmation of an answer.

Every press re-checks that the presser belongs to the faction the question is addressed to (the rule
is lag_bot.questions.acting.FactionRule); a forged or foreign press changes nothing.
"""

from __future__ import annotations

import html
from contextlib import suppress

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from handlers import audience_picker as picker
from handlers.common import Button, answer, keyboard, pressed, require_member
from handlers.context import LagContext
from handlers.questions import acting, pick
from lag_bot.callbacks import encode
from lag_bot.errors import Stale, UserError
from lag_bot.models import Member
from lag_bot.questions.acting import Responder
from lag_bot.questions.actions import CARD_FEATURE, CardAction
from lag_bot.questions.dialogs import WriteState
from lag_bot.questions.lookup import still_open
from lag_bot.questions.render import excerpt

FEATURE = CARD_FEATURE


async def on_button(update: Update, context: LagContext) -> None:
    """A press on a card, a forward picker or an answer confirmation."""
    press = pressed(update)
    cb = press.cb
    member = await require_member(update, context)
    questions = context.services.questions
    responder = acting.responder(update, context.bot, member)
    question, target, faction = await questions.replies.responder_target(responder, cb.int_arg(0))
    action = cb.action_of(CardAction)
    lang = member.language
    t = context.services.texts.t
    if action is CardAction.CLAIM:
        await _claim(update, context, member, responder, target.id, press.query.message)
        return
    if action is CardAction.ARCHIVE:
        await _archive(update, context, member, responder, target.id, cb.int_arg(1) == 1, press.query.message)
        return
    if action in (CardAction.WRITE, CardAction.DECLINE, CardAction.FORWARD):
        still_open(question, target)  # refused now, before anything is typed or chosen
    if action is CardAction.WRITE:
        await _write(
            update,
            context,
            member,
            "answer",
            target.id,
            t(lang, "question-write-answer", id=question.id, excerpt=excerpt(question.body)),
        )
    elif action is CardAction.DECLINE:
        await _write(
            update,
            context,
            member,
            "decline",
            target.id,
            t(lang, "question-write-decline", id=question.id, faction=faction.name),
        )
    elif action is CardAction.FORWARD:
        text, rows = await pick.screen(context, lang, CardAction.LEVELS, (), _maker(target.id))
        await _private(
            update, context, member, t(lang, "question-forward-head", id=question.id) + "\n" + text, rows
        )
    elif action in pick.SCREENS:
        await picker.show_screen(
            update,
            context,
            *await pick.screen(context, lang, action, cb.args[1:], _maker(target.id)),
            edit=True,
        )
    elif action is CardAction.FACTION:
        new = await questions.replies.forward(responder, target.id, cb.int_arg(1))
        await picker.show_screen(
            update, context, t(lang, "question-forwarded", id=question.id, faction=new.name), [], edit=True
        )
    else:
        raise Stale()
    await press.query.answer()


async def _claim(
    update: Update, context: LagContext, member: Member, responder: Responder, target_id: int, message: object
) -> None:
    """ "Ich antworte": the card shows who has it (in a group, for everyone); someone else's is told."""
    lang = member.language
    claim = await context.services.questions.replies.claim(responder, target_id)
    if not claim.new and claim.by != (member.display_name or "?"):
        await answer(update, context, lang, "question-claimed-already", name=claim.by)
        return
    await answer(update, context, lang, "question-claimed")
    line = context.services.texts.t(_shown(update, context, lang), "question-card-claimed-by", name=claim.by)
    await _mark(message, line, keep_buttons=True)


async def _archive(
    update: Update,
    context: LagContext,
    member: Member,
    responder: Responder,
    target_id: int,
    ok: bool,
    message: object,
) -> None:
    """The faction's archive consent, under the confirmation of its answer (the buttons go)."""
    t = context.services.texts.t
    archived = await context.services.questions.replies.faction_archive(responder, target_id, ok)
    key = "question-archive-faction-yes" if ok else "question-archive-faction-no"
    await answer(update, context, member.language, key)
    shown = _shown(update, context, member.language)
    note = t(shown, key) + (" " + t(shown, "question-archive-now") if archived else "")
    await _mark(message, note, keep_buttons=False)


def _maker(target_id: int) -> pick.Make:
    return lambda action, *args: encode(FEATURE, action, target_id, *args)


def archive_buttons(context: LagContext, lang: str, target_id: int) -> list[list[Button]]:
    """ "📚 Ins Archiv" / "Nicht archivieren" under the confirmation of an answer."""
    t = context.services.texts.t
    return [
        [
            (t(lang, "question-btn-archive-yes"), encode(FEATURE, CardAction.ARCHIVE, target_id, 1)),
            (t(lang, "question-btn-archive-no"), encode(FEATURE, CardAction.ARCHIVE, target_id, 0)),
        ]
    ]


async def _write(
    update: Update, context: LagContext, member: Member, purpose: str, ref: int, prompt: str
) -> None:
    """Open the private "write" dialog (an answer, a reason) and ask for the text there."""
    await context.services.questions.dialogs.open_write(member.telegram_id, WriteState(purpose, ref))
    await _private(update, context, member, prompt, [])


async def _private(
    update: Update, context: LagContext, member: Member, html: str, rows: list[list[Button]]
) -> None:
    """Send to the presser's private chat (also when they pressed in a group)."""
    try:
        await context.bot.send_message(
            member.telegram_id, html, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows)
        )
    except (Forbidden, BadRequest) as exc:  # they never opened the private chat, or blocked the bot
        raise UserError("question-start-private-first") from exc


def _shown(update: Update, context: LagContext, lang: str) -> str:
    """The language of a message everyone in the chat reads: a group's is the default."""
    chat = update.effective_chat
    private = chat is not None and chat.type == "private"
    return lang if private else context.services.settings.default_language


async def _mark(message: object, line: str, keep_buttons: bool) -> None:
    """Add a line under the pressed message (in a group: who took it)."""
    if not isinstance(message, Message) or not message.text:
        return
    if html.unescape(line) in message.text:
        return
    markup = message.reply_markup if keep_buttons else None
    with suppress(BadRequest):  # too old to edit, or marked by a press just before
        await message.edit_text(
            f"{message.text_html}\n\n{line}", parse_mode=ParseMode.HTML, reply_markup=markup
        )

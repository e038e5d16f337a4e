"""Texts typed for a question in private, after a button asked for them (dialog kind
"question-write", `lag_bot.questions.dialogs.WriteState`): an answer ("Antworten"), a follow-up
("Nachfragen"), why the faction is not responsible, why a coordinator looks behind a pseudonym.

A refused text (empty, too long, too short a reason) keeps the dialog open for another try; a
stored one ends it.
"""

from __future__ import annotations

from telegram import Update

from handlers.common import send
from handlers.context import LagContext
from handlers.questions.acting import responder
from handlers.questions.card import archive_buttons
from lag_bot.errors import Stale, UserError
from lag_bot.models import Dialog, Member, Role
from lag_bot.questions.dialogs import WRITE_DIALOG, WriteState
from lag_bot.questions.replies import Sent

DIALOG = WRITE_DIALOG


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """Store what was written for the purpose the dialog was opened for."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    svc = context.services
    state = WriteState.from_json(dialog.data)
    if state is None:
        raise Stale()
    purpose, ref = state.purpose, state.ref
    text = message.text or ""
    dialogs = svc.questions.dialogs
    if purpose == "reveal":
        actor = await svc.authorizer.require(user.id, Role.COORDINATOR)
        name = await svc.questions.board.reveal(actor, ref, text)
        await dialogs.clear(user.id)
        lang = actor.member.language if actor.member else svc.settings.default_language
        await send(update, context, lang, "question-revealed", id=ref, name=name)
        return
    if member is None:
        raise UserError("common-not-registered")
    lang = member.language
    if purpose == "followup":
        await svc.questions.asking.follow_up(member, ref, text)
        await dialogs.clear(user.id)
        await send(update, context, lang, "question-followup-sent")
        return
    target = await svc.questions.lookup.target(ref)
    acting = responder(update, context.bot, member)
    if purpose == "answer":
        sent = await svc.questions.replies.answer(acting, ref, text)
        await dialogs.clear(user.id)
        await confirm_answer(update, context, lang, sent)
    elif purpose == "decline":
        await svc.questions.replies.decline(acting, ref, text)
        await dialogs.clear(user.id)
        await send(update, context, lang, "question-declined", id=target.question_id)
    else:
        await dialogs.clear(user.id)
        raise Stale()


async def confirm_answer(update: Update, context: LagContext, lang: str, sent: Sent) -> None:
    """Tell the one who answered that it went out, and ask about the archive."""
    key = "question-answer-sent" if sent.reached else "question-answer-stored"
    await send(
        update, context, lang, key, [*archive_buttons(context, lang, sent.target_id)], id=sent.question_id
    )

"""`/frage`: a member asks a faction, step by step with buttons: to whom, topic, the question
(typed), how they appear; then the bot shows similar answered questions from the archive ("Das
hilft mir schon" / "Trotzdem fragen") or the question as it will be sent. `/frage <Text>` starts
with the text already given; `/frage suche <Wörter>` searches the archive.

The draft lives in the member's dialog row as `lag_bot.questions.dialogs.AskState`. Every press
re-checks the member; "send" clears the dialog first, so a second press is stale.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace

from telegram import Update
from telegram.error import BadRequest

from handlers import audience_picker as picker
from handlers.common import chunk, pressed, send, send_html
from handlers.context import LagContext
from handlers.questions import ask_screens as screens
from handlers.questions import pick
from handlers.questions import search as question_search
from handlers.questions.ask_screens import AskAction, make
from lag_bot.errors import Stale
from lag_bot.i18n import Html
from lag_bot.models import Dialog, Member
from lag_bot.questions.dialogs import ASK_DIALOG, AskState
from lag_bot.questions.models import QUESTION_MAX, Draft
from lag_bot.questions.pseudonyms import COARSER
from lag_bot.questions.rules import clean_text

FEATURE = screens.FEATURE
DIALOG = ASK_DIALOG
SEARCH_WORDS = ("suche", "search")
IDENTITY_CHOICES = ("named", "pseudonymous")


async def asking_member(update: Update, context: LagContext) -> Member:
    """The active member in private; strangers and members not yet approved are refused."""
    user = update.effective_user
    assert user is not None
    return await context.services.questions.asking.active_member(user.id)


async def cmd_frage(update: Update, context: LagContext) -> None:
    """Start a question (with its text, if typed after the command), or search the archive."""
    member = await asking_member(update, context)
    message = update.effective_message
    words = (message.text or "").split(maxsplit=2) if message else []
    if len(words) > 1 and words[1].casefold() in SEARCH_WORDS:
        await question_search.search(update, context, member, words[2] if len(words) > 2 else "")
        return
    state = AskState()
    if len(words) > 1:
        typed = (message.text or "").split(maxsplit=1)[1] if message else ""
        state = replace(state, text=clean_text(typed, QUESTION_MAX, "question"))
    await context.services.questions.dialogs.save_asking(member.telegram_id, state)
    text, rows = await pick.root(context, member.language, member, make)
    await send_html(update, context, text, rows)


async def on_button(update: Update, context: LagContext) -> None:
    """A press in the dialog; a press without the dialog open is stale."""
    press = pressed(update)
    cb = press.cb
    member = await asking_member(update, context)
    questions = context.services.questions
    state = await questions.dialogs.asking(member.telegram_id)
    if state is None:
        raise Stale()
    action = cb.action_of(AskAction)
    lang = member.language
    if action in pick.SCREENS:
        await picker.show_screen(
            update, context, *await pick.screen(context, lang, action, cb.args, make), edit=True
        )
    elif action is AskAction.FACTION:
        # Checked now, so an unknown or unreachable faction is refused before anything is typed.
        await questions.routing.resolve(Draft(faction_ids=(cb.int_arg(0),)))
        chosen = replace(state, faction_ids=(cb.int_arg(0),), district_id=None)
        await _next(update, context, member, chosen, "to")
    elif action is AskAction.ALL_LOCAL_OF:
        await questions.routing.resolve(Draft(scope_district_id=cb.int_arg(0)))
        chosen = replace(state, district_id=cb.int_arg(0), faction_ids=None)
        await _next(update, context, member, chosen, "to")
    elif action is AskAction.TOPIC and state.step == "topic":
        await _next(update, context, member, replace(state, topic_id=cb.int_arg(0)), "topic")
    elif action is AskAction.IDENTITY and state.step == "identity":
        identity = cb.str_arg(0, IDENTITY_CHOICES)
        scope = cb.str_arg(1, COARSER) if len(cb.args) > 1 and identity == "pseudonymous" else None
        chosen = replace(state, identity=identity, scope=scope)
        await _next(update, context, member, chosen, "identity")
    elif action is AskAction.SEND and state.step == "confirm":
        await _send(update, context, member, state)
    elif action in (AskAction.DROP, AskAction.HELPS) and state.step == "confirm":
        await questions.dialogs.clear(member.telegram_id)
        key = "question-ask-dropped" if action is AskAction.DROP else "question-ask-helped"
        await send(update, context, lang, key)
    else:
        raise Stale()
    await press.query.answer()  # only after success: a refusal is shown as the answer instead


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """Typed text while asking: the question itself (at the text step); else a hint."""
    message = update.effective_message
    assert message is not None
    active = await asking_member(update, context)
    state = AskState.from_json(dialog.data)
    if state.step != "text":
        await send(update, context, active.language, "question-ask-use-buttons")
        return
    body = clean_text(message.text or "", QUESTION_MAX, "question")
    await _next(update, context, active, replace(state, text=body), "text")


async def _next(update: Update, context: LagContext, member: Member, state: AskState, done: str) -> None:
    """Go on from step `done` to the first step still missing."""
    if done == "to" and state.step != "to":
        raise Stale()
    state = replace(state, step=state.missing())
    await context.services.questions.dialogs.save_asking(member.telegram_id, state)
    lang = member.language
    t = context.services.texts.t
    if state.step == "topic":
        found = await context.services.questions.lookup.topics()
        topics = [(tp.name(lang), make(AskAction.TOPIC, tp.id)) for tp in found]
        rows = [*chunk(topics, 2), [(t(lang, "question-topic-none"), make(AskAction.TOPIC, 0))]]
        await send(update, context, lang, "question-ask-topic", rows)
    elif state.step == "text":
        await send(update, context, lang, "question-ask-text", max=QUESTION_MAX)
    elif state.step == "identity":
        text, rows = await screens.identity_screen(context, member, lang)
        await send_html(update, context, text, rows)
    else:
        await screens.confirm(update, context, member, state)


async def _send(update: Update, context: LagContext, member: Member, state: AskState) -> None:
    questions = context.services.questions
    draft = Draft(
        faction_ids=state.faction_ids or (),
        scope_district_id=state.district_id or None,
        topic_id=state.topic_id or None,
        body=state.text or "",
        identity=state.identity or "",
        pseudonym_scope=state.scope or "district",
    )
    # The dialog goes first: a crash after it loses the draft but can never send it twice.
    await questions.dialogs.clear(member.telegram_id)
    question = await questions.asking.ask(member, draft)
    query = update.callback_query
    if query is not None:
        with suppress(BadRequest):  # too old to edit: its buttons are stale anyway
            await query.edit_message_reply_markup(None)
    to = await screens.to_text(context, member.language, state)
    await send(update, context, member.language, "question-sent", id=question.id, to=Html(to))

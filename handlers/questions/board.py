"""`/statistik` and the coordinators' board: per faction the answer rate and median time to answer
over the last 90 days; the questions still owed an answer (overdue first); one question with
"Weitere Fraktion", "Identität aufdecken" (pseudonymous questions, with a reason) and "Schließen".
`/statistik <Nr>` opens any question, also an answered or closed one (a reveal stays possible).

Every press re-checks the coordinator role; the service writes the audit log.
"""

from __future__ import annotations

import html

from telegram import Update

from handlers import audience_picker as picker
from handlers.common import Button, actor_language, coordinator, pressed, send, send_html
from handlers.context import LagContext
from handlers.questions import pick
from handlers.questions.views import send_long, thread_html
from lag_bot.authorization import Actor
from lag_bot.callbacks import encode
from lag_bot.errors import NotFound, Stale
from lag_bot.formats import decimal
from lag_bot.i18n import Html
from lag_bot.questions.actions import BOARD_FEATURE, BoardAction
from lag_bot.questions.board import STATS_DAYS
from lag_bot.questions.dialogs import WriteState
from lag_bot.questions.render import excerpt

FEATURE = BOARD_FEATURE
BOARD_SHOWN = 20


async def cmd_statistik(update: Update, context: LagContext) -> None:
    """The figures per faction, and the way to the board; with a number, that question."""
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    t = context.services.texts.t
    message = update.effective_message
    words = (message.text or "").split() if message else []
    if len(words) > 1:
        number = words[1].lstrip("#")
        if not number.isdecimal():
            raise NotFound("question-unknown")
        await _detail(update, context, actor, lang, int(number))
        return
    stats = await context.services.questions.board.stats(actor)
    lines = [t(lang, "question-stats-head", days=STATS_DAYS)]
    for s in stats:
        days = decimal(s.median_hours / 24, lang, 1) if s.median_hours is not None else None
        median = Html(t(lang, "question-stats-median", days=days) if days else "–")
        lines.append(
            t(
                lang,
                "question-stats-item",
                faction=s.name,
                asked=s.asked,
                answered=s.answered,
                rate=decimal(s.rate * 100, lang, 0),
                median=median,
                declined=s.declined,
                forwarded=s.forwarded,
            )
        )
    if not stats:
        lines.append(t(lang, "question-stats-none"))
    lines += ["", t(lang, "question-board-any")]
    rows = [[(t(lang, "question-btn-board"), encode(FEATURE, BoardAction.BOARD))]]
    await send_html(update, context, "\n".join(lines), rows)


async def on_button(update: Update, context: LagContext) -> None:
    """A press on the board or on one question."""
    press = pressed(update)
    cb = press.cb
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    action = cb.action_of(BoardAction)
    questions = context.services.questions
    t = context.services.texts.t
    if action is BoardAction.BOARD:
        await _board(update, context, actor, lang)
    elif action is BoardAction.QUESTION:
        await _detail(update, context, actor, lang, cb.int_arg(0))
    elif action is BoardAction.ADDRESS:
        question_id = cb.int_arg(0)
        text, rows = await pick.screen(context, lang, BoardAction.LEVELS, (), _maker(question_id))
        await send_html(update, context, t(lang, "question-address-head", id=question_id) + "\n" + text, rows)
    elif action in pick.SCREENS:
        shown = await pick.screen(context, lang, action, cb.args[1:], _maker(cb.int_arg(0)))
        await picker.show_screen(update, context, *shown, edit=True)
    elif action is BoardAction.FACTION:
        faction = await questions.board.address(actor, cb.int_arg(0), cb.int_arg(1))
        await picker.show_screen(
            update,
            context,
            t(lang, "question-addressed", id=cb.int_arg(0), faction=faction.name),
            [],
            edit=True,
        )
    elif action is BoardAction.REVEAL:
        question = await questions.board.for_coordinator(actor, cb.int_arg(0))
        if question.question.identity != "pseudonymous":
            raise Stale()
        await questions.dialogs.open_write(actor.telegram_id, WriteState("reveal", question.question.id))
        await send(update, context, lang, "question-write-reveal", id=question.question.id)
    elif action is BoardAction.CLOSE:
        await questions.board.close(actor, cb.int_arg(0))
        await send(update, context, lang, "question-closed-by-coordinator", id=cb.int_arg(0))
    else:
        raise Stale()
    await press.query.answer()


async def _board(update: Update, context: LagContext, actor: Actor, lang: str) -> None:
    t = context.services.texts.t
    render = context.services.questions.render
    threads = (await context.services.questions.board.still_owed(actor))[:BOARD_SHOWN]
    if not threads:
        await send(update, context, lang, "question-board-empty")
        return
    lines = [t(lang, "question-board-head", count=len(threads))]
    for thread in threads:
        names = ", ".join(thread.factions[x.faction_id].name for x in thread.targets if x.active)
        factions = html.escape(names) if names else t(lang, "question-board-nobody")
        lines.append(
            t(
                lang,
                "question-board-item",
                id=thread.question.id,
                status=render.status(lang, thread.status),
                factions=Html(factions),
                excerpt=excerpt(thread.question.body, 80),
            )
        )
    buttons: list[Button] = [
        (f"#{th.question.id}", encode(FEATURE, BoardAction.QUESTION, th.question.id)) for th in threads
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    lines += ["", t(lang, "question-board-any")]
    await send_html(update, context, "\n".join(lines), rows)


async def _detail(update: Update, context: LagContext, actor: Actor, lang: str, question_id: int) -> None:
    t = context.services.texts.t
    thread = await context.services.questions.board.for_coordinator(actor, question_id)
    rows: list[list[Button]] = []
    if thread.status != "closed":
        rows.append([(t(lang, "question-btn-address"), encode(FEATURE, BoardAction.ADDRESS, question_id))])
        rows.append([(t(lang, "question-btn-close"), encode(FEATURE, BoardAction.CLOSE, question_id))])
    if thread.question.identity == "pseudonymous":
        rows.append([(t(lang, "question-btn-reveal"), encode(FEATURE, BoardAction.REVEAL, question_id))])
    await send_long(update, context, await thread_html(context, lang, thread, "coordinator"), rows)


def _maker(question_id: int) -> pick.Make:
    return lambda action, *args: encode(FEATURE, action, question_id, *args)

"""`/meinefragen`: the asker's questions with status and answers; on one question (and under each
answer the asker gets): mark it answered, close it, agree to the archive, ask again (follow-up).

Only the asker's own questions are found; someone else's id (a forged button) is "unknown".
"""

from __future__ import annotations

from telegram import Update

from handlers.common import Button, pressed, send, send_html
from handlers.context import LagContext
from handlers.questions.ask import asking_member
from handlers.questions.views import send_long, thread_html
from lag_bot.callbacks import encode
from lag_bot.errors import Stale
from lag_bot.models import Member
from lag_bot.questions.actions import ASKER_FEATURE, AskerAction
from lag_bot.questions.dialogs import WriteState
from lag_bot.questions.render import excerpt
from lag_bot.questions.rules import is_open
from lag_bot.questions.threads import Thread

FEATURE = ASKER_FEATURE
LISTED = 15


async def cmd_meinefragen(update: Update, context: LagContext) -> None:
    """List the member's questions, newest first."""
    member = await asking_member(update, context)
    lang = member.language
    threads = (await context.services.questions.asking.mine(member))[:LISTED]
    if not threads:
        await send(update, context, lang, "question-mine-none")
        return
    t = context.services.texts.t
    render = context.services.questions.render
    lines = [t(lang, "question-mine-head", count=len(threads))]
    for thread in threads:
        q = thread.question
        answers = sum(1 for a in thread.answers if a.kind == "answer")
        status = render.status(lang, thread.status)
        lines.append(
            t(
                lang,
                "question-mine-item",
                id=q.id,
                status=status,
                answers=answers,
                excerpt=excerpt(q.body, 80),
            )
        )
    buttons: list[Button] = [
        (f"#{th.question.id}", encode(FEATURE, AskerAction.VIEW, th.question.id)) for th in threads
    ]
    rows = [buttons[i : i + 5] for i in range(0, len(buttons), 5)]
    await send_html(update, context, "\n".join(lines), rows)


async def on_button(update: Update, context: LagContext) -> None:
    """A press on the asker's side; the question must be the presser's own."""
    press = pressed(update)
    cb = press.cb
    member = await asking_member(update, context)
    action = cb.action_of(AskerAction)
    questions = context.services.questions
    lang = member.language
    if action is AskerAction.FOLLOW_UP:
        target = await questions.lookup.target(cb.int_arg(0))
        thread = await questions.asking.for_asker(member, target.question_id)
        faction = thread.factions[target.faction_id]
        await questions.dialogs.open_write(member.telegram_id, WriteState("followup", target.id))
        await send(
            update, context, lang, "question-write-followup", id=thread.question.id, faction=faction.name
        )
        await press.query.answer()
        return
    question_id = cb.int_arg(0)
    if action is AskerAction.VIEW:
        await show(update, context, member, await questions.asking.for_asker(member, question_id))
    elif action is AskerAction.ANSWERED:
        await questions.asking.mark_answered(member, question_id)
        await send(update, context, lang, "question-marked-answered", id=question_id)
        await _ask_archive(update, context, member, question_id)
    elif action is AskerAction.CLOSE:
        await questions.asking.asker_close(member, question_id)
        await send(update, context, lang, "question-closed-by-asker", id=question_id)
        await _ask_archive(update, context, member, question_id)
    elif action in (AskerAction.ARCHIVE, AskerAction.ARCHIVE_YES):
        ok = action is AskerAction.ARCHIVE_YES or cb.int_arg(1) == 1
        archived = await questions.asking.asker_archive(member, question_id, ok)
        key = "question-archive-asker-yes" if ok else "question-archive-asker-no"
        await send(update, context, lang, key, id=question_id)
        if archived:
            await send(update, context, lang, "question-archive-now-asker", id=question_id)
    else:
        raise Stale()
    await press.query.answer()


async def show(update: Update, context: LagContext, member: Member, thread: Thread) -> None:
    """One question with its answers and what the asker can do."""
    lang = member.language
    t = context.services.texts.t
    q = thread.question
    rows: list[list[Button]] = []
    if is_open(thread.status):
        rows.append([(t(lang, "question-btn-mark-answered"), encode(FEATURE, AskerAction.ANSWERED, q.id))])
    if thread.status != "closed":
        rows.append([(t(lang, "question-btn-close"), encode(FEATURE, AskerAction.CLOSE, q.id))])
        for target in thread.targets:
            if target.active and target.answered_at is not None:
                label = t(lang, "question-btn-followup", faction=thread.factions[target.faction_id].name)
                rows.append([(label, encode(FEATURE, AskerAction.FOLLOW_UP, target.id))])
    if any(a.kind == "answer" for a in thread.answers):
        rows.append(_archive_row(context, lang, q.id, q.asker_archive))
    await send_long(update, context, await thread_html(context, lang, thread, "asker"), rows)


def _archive_row(context: LagContext, lang: str, question_id: int, decided: bool | None) -> list[Button]:
    t = context.services.texts.t
    yes = (t(lang, "question-btn-archive-yes"), encode(FEATURE, AskerAction.ARCHIVE, question_id, 1))
    no = (t(lang, "question-btn-archive-no"), encode(FEATURE, AskerAction.ARCHIVE, question_id, 0))
    if decided is None:
        return [yes, no]
    return [no] if decided else [yes]


async def _ask_archive(update: Update, context: LagContext, member: Member, question_id: int) -> None:
    """After answering or closing: ask about the archive, once, if there is an answer to keep."""
    thread = await context.services.questions.asking.for_asker(member, question_id)
    if thread.question.asker_archive is None and any(a.kind == "answer" for a in thread.answers):
        row = _archive_row(context, member.language, question_id, None)
        await send(update, context, member.language, "question-archive-ask", [row], id=question_id)

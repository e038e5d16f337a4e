"""A question thread as text, for its asker (`/meinefragen`), the coordinators (board) and the archive
(any member: the question and the agreed answers, never who asked); and long texts in several messages."""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import Update

from handlers.common import Button, send_html
from handlers.context import LagContext
from lag_bot.delivery.message_parts import TEXT_LIMIT, split_html
from lag_bot.i18n import Html
from lag_bot.questions.threads import Thread

READERS = ("asker", "coordinator", "archive")


async def thread_html(context: LagContext, lang: str, thread: Thread, reader: str) -> str:
    """The thread for one kind of reader."""
    svc = context.services
    render = svc.questions.render
    t = svc.texts.t
    q = thread.question
    topic = (await svc.questions.lookup.topic_of(q.topic_id))(lang) or t(lang, "question-topic-none")
    if reader == "archive":
        lines = [
            t(lang, "question-view-archive-head", id=q.id, topic=topic, date=render.date(lang, q.created_at))
        ]
    else:
        status = render.status(lang, thread.status)
        lines = [
            t(
                lang,
                "question-view-head",
                id=q.id,
                status=status,
                topic=topic,
                date=render.date(lang, q.created_at),
            )
        ]
    if reader == "coordinator":
        asker = await svc.questions.lookup.asker(q)
        lines.append(t(lang, "question-card-from", asker=Html(render.asker_line(lang, asker))))
    if reader != "archive":
        for target in thread.targets:
            faction = thread.factions[target.faction_id]
            state = _target_state(context, lang, thread, target.id, reader)
            lines.append(t(lang, "question-view-target", faction=faction.name, state=Html(state)))
    lines += ["", t(lang, "question-card-body", body=q.body)]
    for answer in thread.answers:
        target = next(x for x in thread.targets if x.id == answer.target_id)
        by = thread.factions[target.faction_id].name
        if answer.kind == "followup":
            lines += ["", t(lang, "question-view-followup", faction=by, body=answer.body)]
            continue
        name = thread.authors.get(answer.author_id or 0) if not answer.as_faction else None
        key = "question-view-answer-by" if name else "question-view-answer"
        lines += ["", t(lang, key, faction=by, name=name or "", body=answer.body)]
    return "\n".join(lines)


def _target_state(context: LagContext, lang: str, thread: Thread, target_id: int, reader: str) -> str:
    render = context.services.questions.render
    t = context.services.texts.t
    target = next(x for x in thread.targets if x.id == target_id)
    if target.state == "forwarded":
        return t(lang, "question-target-forwarded")
    if target.state == "declined":  # the reason was written for the coordinators only
        if reader != "coordinator":
            return t(lang, "question-target-declined-plain")
        return t(lang, "question-target-declined", reason=target.reason or "")
    if target.answered_at is not None:
        return t(lang, "question-target-answered")
    deadline = render.date(lang, target.deadline)
    if target.claimed_by is not None:
        return t(lang, "question-target-claimed", date=deadline)
    return t(lang, "question-target-open", date=deadline)


def label(context: LagContext, lang: str, key: str, **params: object) -> str:
    """A catalog text for a button label: labels are plain text, so the escaping is undone."""
    return html.unescape(context.services.texts.t(lang, key, **params))


async def send_long(
    update: Update, context: LagContext, text: str, rows: Sequence[Sequence[Button]] = ()
) -> None:
    """Send a text that may be longer than one message; the buttons go under the last part."""
    chunks = split_html(text, TEXT_LIMIT)
    for index, chunk in enumerate(chunks):
        await send_html(update, context, chunk, rows if index == len(chunks) - 1 else ())

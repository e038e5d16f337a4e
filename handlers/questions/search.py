"""The archive for members: `/frage suche <Wörter>`, and reading one archived question (also from the
similar questions shown before asking)."""

from __future__ import annotations

import enum

from telegram import Update

from handlers.common import pressed, require_member, send, send_html
from handlers.context import LagContext
from handlers.questions.views import send_long, thread_html
from lag_bot.callbacks import Feature, encode
from lag_bot.models import Member
from lag_bot.questions.render import excerpt

FEATURE = Feature.QUESTION_SEARCH


@enum.unique
class SearchAction(enum.StrEnum):
    """Presses on the archive's lists."""

    VIEW = "v"  # "📖 lesen": one archived question


async def search(update: Update, context: LagContext, member: Member, words: str) -> None:
    """List the archived questions containing every word."""
    lang = member.language
    if not words.strip():
        await send(update, context, lang, "question-search-usage")
        return
    hits = await context.services.questions.archive.search(words)
    if not hits:
        await send(update, context, lang, "question-search-none", words=excerpt(words, 100))
        return
    t = context.services.texts.t
    lines = [t(lang, "question-search-head", count=len(hits), words=excerpt(words, 100))]
    for hit in hits:
        lines.append(t(lang, "question-search-item", id=hit.question_id, question=excerpt(hit.question, 140)))
    rows = [
        [(t(lang, "question-btn-read", id=h.question_id), encode(FEATURE, SearchAction.VIEW, h.question_id))]
        for h in hits
    ]
    await send_html(update, context, "\n".join(lines), rows)


async def on_button(update: Update, context: LagContext) -> None:
    """ "📖 lesen": one archived question with the agreed answers."""
    press = pressed(update)
    member = await require_member(update, context)
    press.cb.action_of(SearchAction)  # the one action: anything else is stale
    thread = await context.services.questions.archive.read(member, press.cb.int_arg(0))
    await send_long(update, context, await thread_html(context, member.language, thread, "archive"))
    await press.query.answer()

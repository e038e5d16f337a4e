"""What `/frage` shows: its button actions, how the asker will appear, and the question as it will
go out with similar answered ones from the archive (the steps are in handlers/questions/ask.py)."""

from __future__ import annotations

import enum
import html

from telegram import Update

from handlers.common import Button, send_html
from handlers.context import LagContext
from handlers.questions import search as question_search
from lag_bot.callbacks import Feature, encode
from lag_bot.i18n import Html
from lag_bot.models import Member
from lag_bot.questions.dialogs import AskState
from lag_bot.questions.pseudonyms import COARSER
from lag_bot.questions.render import excerpt

FEATURE = Feature.QUESTION_ASK


@enum.unique
class AskAction(enum.StrEnum):
    """Presses in `/frage`: the faction picker's, then topic, identity and the confirmation."""

    LEVELS = "lv"
    DISTRICTS = "ld"
    FACTIONS = "lf"
    ALL_LOCAL = "ad"
    FACTION = "f"
    ALL_LOCAL_OF = "a"
    TOPIC = "tp"  # 0: no topic
    IDENTITY = "id"  # "named" or "pseudonymous" (then optionally a coarser scope: "level", "state")
    SEND = "send"
    DROP = "drop"
    HELPS = "helps"  # "Das hilft mir schon"


def make(action: str, *args: object) -> str:
    """The callback data of a `/frage` button."""
    return encode(FEATURE, action, *args)


async def identities(context: LagContext, member: Member, lang: str) -> tuple[str, str]:
    """How the faction will see the member: with name and faction, or as a pseudonym (plain text,
    for button labels and the confirmation)."""
    questions = context.services.questions
    asker = await questions.lookup.asker_preview(member)
    return html.unescape(questions.render.asker_line(lang, asker)), html.unescape(
        questions.render.pseudonym(lang, asker)
    )


async def identity_screen(context: LagContext, member: Member, lang: str) -> tuple[str, list[list[Button]]]:
    """ "Wie sollen dich die Antwortenden sehen?" with name or pseudonym; when the pseudonym fits
    fewer active members than PSEUDONYM_MIN_MATCHES, a warning and the coarser descriptions too."""
    svc = context.services
    t = svc.texts.t
    named, pseudonym = await identities(context, member, lang)
    lines = [t(lang, "question-ask-identity")]
    rows: list[list[Button]] = [
        [(f"👤 {named}", make(AskAction.IDENTITY, "named"))],
        [(f"🕶 {pseudonym}", make(AskAction.IDENTITY, "pseudonymous"))],
    ]
    pseudonyms = svc.questions.pseudonyms
    crowd = await pseudonyms.crowd(member, "district")
    if crowd < svc.settings.pseudonym_min_matches:
        lines += ["", t(lang, "question-pseudonym-few", count=crowd, pseudonym=pseudonym)]
        for scope in COARSER:
            coarser = svc.questions.render.pseudonym(lang, await pseudonyms.preview(member, scope))
            rows.append([(f"🕶 {html.unescape(coarser)}", make(AskAction.IDENTITY, "pseudonymous", scope))])
    return "\n".join(lines), rows


async def confirm(update: Update, context: LagContext, member: Member, state: AskState) -> None:
    """The question as it will go out, and similar answered ones from the archive."""
    svc = context.services
    lang = member.language
    t = svc.texts.t
    text = state.text or ""
    named, pseudonym = await identities(context, member, lang)
    if state.scope is not None:
        coarser = await svc.questions.pseudonyms.preview(member, state.scope)
        pseudonym = html.unescape(svc.questions.render.pseudonym(lang, coarser))
    topic = await svc.questions.lookup.topic_of(state.topic_id or None)
    lines = [
        t(lang, "question-confirm-head"),
        t(lang, "question-confirm-to", to=Html(await to_text(context, lang, state))),
        t(lang, "question-confirm-topic", topic=topic(lang) or t(lang, "question-topic-none")),
        t(lang, "question-confirm-as", who=named if state.identity == "named" else pseudonym),
        "",
        t(lang, "question-card-body", body=text),
    ]
    hits = await svc.questions.archive.similar(text)
    rows: list[list[Button]]
    if hits:
        lines += ["", t(lang, "question-similar-head", count=len(hits))]
        for hit in hits:
            question, answer = excerpt(hit.question, 120), excerpt(hit.answers, 200)
            lines.append(
                t(lang, "question-similar-item", id=hit.question_id, question=question, answer=answer)
            )
        rows = [
            [
                (
                    t(lang, "question-btn-read", id=h.question_id),
                    encode(question_search.FEATURE, question_search.SearchAction.VIEW, h.question_id),
                )
            ]
            for h in hits
        ]
        rows.append(
            [
                (t(lang, "question-btn-helps"), make(AskAction.HELPS)),
                (t(lang, "question-btn-ask-anyway"), make(AskAction.SEND)),
            ]
        )
    else:
        rows = [
            [
                (t(lang, "question-btn-send"), make(AskAction.SEND)),
                (t(lang, "question-btn-drop"), make(AskAction.DROP)),
            ]
        ]
    await send_html(update, context, "\n".join(lines), rows)


async def to_text(context: LagContext, lang: str, state: AskState) -> str:
    questions = context.services.questions
    t = context.services.texts.t
    if state.district_id:
        place = await questions.lookup.place(state.district_id)
        count = len(await questions.routing.local_factions(state.district_id))
        return t(lang, "question-to-all-local", district=place.name if place else "?", count=count)
    names = [(await questions.lookup.faction(f)).name for f in state.faction_ids or ()]
    return t(lang, "question-to-factions", names=", ".join(names))

"""`/frage`: a member asks a faction, step by step with buttons: to whom, topic, the question
(typed), how they appear; then the bot shows similar answered questions from the archive ("Das
hilft mir schon" / "Trotzdem fragen") or the question as it will be sent. `/frage <Text>` starts
with the text already given; `/frage suche <Wörter>` searches the archive.

The draft lives in the member's dialog row (kind "question"): {"step", "f": [faction ids] or "d":
district id, "t": topic id (0: none), "text", "id": identity}. Every press re-checks the member;
"send" clears the dialog first, so a second press is stale.
"""

from __future__ import annotations

import html
from contextlib import suppress
from typing import Any

from telegram import Update
from telegram.error import BadRequest

from handlers import audience_picker as picker
from handlers.common import Button, chunk, clear_dialog, save_dialog, send, send_html
from handlers.context import LagContext
from handlers.questions import pick
from handlers.questions import search as question_search
from lag_bot.callbacks import Feature, decode, encode
from lag_bot.errors import Stale, UserError
from lag_bot.i18n import Html
from lag_bot.models import Dialog, Member, Status
from lag_bot.questions.models import QUESTION_MAX, Draft
from lag_bot.questions.render import excerpt
from lag_bot.questions.rules import clean_text

FEATURE = Feature.QUESTION_ASK
DIALOG = "question"
SEARCH_WORDS = ("suche", "search")


async def asking_member(update: Update, context: LagContext) -> Member:
    """The active member in private; strangers and members not yet approved are refused."""
    user = update.effective_user
    assert user is not None
    member = await context.services.members.by_telegram_id(user.id)
    if member is None:
        raise UserError("common-not-registered")
    if member.status is not Status.ACTIVE:
        raise UserError("question-members-only")
    return member


async def cmd_frage(update: Update, context: LagContext) -> None:
    """Start a question (with its text, if typed after the command), or search the archive."""
    member = await asking_member(update, context)
    message = update.effective_message
    words = (message.text or "").split(maxsplit=2) if message else []
    if len(words) > 1 and words[1].casefold() in SEARCH_WORDS:
        await question_search.search(update, context, member, words[2] if len(words) > 2 else "")
        return
    data: dict[str, Any] = {"step": "to"}
    if len(words) > 1:
        typed = (message.text or "").split(maxsplit=1)[1] if message else ""
        data["text"] = clean_text(typed, QUESTION_MAX, "question")
    await _save(context, member, data)
    text, rows = await pick.root(context, member.language, member, _make)
    await send_html(update, context, text, rows)


def _make(action: str, *args: object) -> str:
    return encode(FEATURE, action, *args)


async def on_button(update: Update, context: LagContext) -> None:
    """A press in the dialog; a press without the dialog open is stale."""
    query = update.callback_query
    assert query is not None
    member = await asking_member(update, context)
    cb = decode(query.data)
    dialog = await context.services.dialogs.get(member.telegram_id)
    if dialog is None or dialog.kind != DIALOG:
        raise Stale()
    data = dict(dialog.data)
    lang = member.language
    if cb.action in pick.SCREENS:
        await picker.show_screen(
            update, context, *await pick.screen(context, lang, cb.action, cb.args, _make), edit=True
        )
    elif cb.action == "f":
        # Checked now, so an unknown or unreachable faction is refused before anything is typed.
        await context.services.questions.routing.resolve(Draft(faction_ids=(cb.int_arg(0),)))
        await _next(update, context, member, {**data, "f": [cb.int_arg(0)], "d": None}, "to")
    elif cb.action == "a":
        await context.services.questions.routing.resolve(Draft(scope_district_id=cb.int_arg(0)))
        await _next(update, context, member, {**data, "d": cb.int_arg(0), "f": None}, "to")
    elif cb.action == "tp" and data.get("step") == "topic":
        await _next(update, context, member, {**data, "t": cb.int_arg(0)}, "topic")
    elif (
        cb.action == "id"
        and data.get("step") == "identity"
        and cb.args
        and cb.args[0] in ("named", "pseudonymous")
    ):
        await _next(update, context, member, {**data, "id": cb.args[0]}, "identity")
    elif cb.action == "send" and data.get("step") == "confirm":
        await _send(update, context, member, data)
    elif cb.action in ("drop", "helps") and data.get("step") == "confirm":
        await clear_dialog(context, member.telegram_id)
        await send(
            update, context, lang, "question-ask-dropped" if cb.action == "drop" else "question-ask-helped"
        )
    else:
        raise Stale()
    await query.answer()  # only after success: a refusal is shown as the answer instead


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """Typed text while asking: the question itself (at the text step); else a hint."""
    message = update.effective_message
    assert message is not None
    active = await asking_member(update, context)
    if dialog.data.get("step") != "text":
        await send(update, context, active.language, "question-ask-use-buttons")
        return
    body = clean_text(message.text or "", QUESTION_MAX, "question")
    await _next(update, context, active, {**dialog.data, "text": body}, "text")


async def _next(update: Update, context: LagContext, member: Member, data: dict[str, Any], done: str) -> None:
    """Go on from step `done` to the first step still missing."""
    if done == "to" and data.get("step") != "to":
        raise Stale()
    steps = (("topic", "t"), ("text", "text"), ("identity", "id"))
    step = next((s for s, key in steps if data.get(key) is None), "confirm")
    data["step"] = step
    await _save(context, member, data)
    lang = member.language
    t = context.services.texts.t
    if step == "topic":
        topics = [(tp.name(lang), _make("tp", tp.id)) for tp in await context.services.territory.topics()]
        rows = [*chunk(topics, 2), [(t(lang, "question-topic-none"), _make("tp", 0))]]
        await send(update, context, lang, "question-ask-topic", rows)
    elif step == "text":
        await send(update, context, lang, "question-ask-text", max=QUESTION_MAX)
    elif step == "identity":
        named, pseudonym = await _identities(context, member, lang)
        rows = [[(f"👤 {named}", _make("id", "named"))], [(f"🕶 {pseudonym}", _make("id", "pseudonymous"))]]
        await send(update, context, lang, "question-ask-identity", rows)
    else:
        await _confirm(update, context, member, data)


async def _identities(context: LagContext, member: Member, lang: str) -> tuple[str, str]:
    """How the faction will see the member: with name and faction, or as a pseudonym (plain text,
    for button labels and the confirmation)."""
    questions = context.services.questions
    asker = await questions.lookup.asker_preview(member)
    return html.unescape(questions.render.asker_line(lang, asker)), html.unescape(
        questions.render.pseudonym(lang, asker)
    )


async def _confirm(update: Update, context: LagContext, member: Member, data: dict[str, Any]) -> None:
    """The question as it will go out, and similar answered ones from the archive."""
    svc = context.services
    lang = member.language
    t = svc.texts.t
    named, pseudonym = await _identities(context, member, lang)
    topic = await svc.questions.lookup.topic_of(data.get("t") or None)
    lines = [
        t(lang, "question-confirm-head"),
        t(lang, "question-confirm-to", to=Html(await _to_text(context, lang, data))),
        t(lang, "question-confirm-topic", topic=topic(lang) or t(lang, "question-topic-none")),
        t(lang, "question-confirm-as", who=named if data.get("id") == "named" else pseudonym),
        "",
        t(lang, "question-card-body", body=str(data["text"])),
    ]
    hits = await svc.questions.archive.similar(str(data["text"]))
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
                    encode(question_search.FEATURE, "v", h.question_id),
                )
            ]
            for h in hits
        ]
        rows.append(
            [
                (t(lang, "question-btn-helps"), _make("helps")),
                (t(lang, "question-btn-ask-anyway"), _make("send")),
            ]
        )
    else:
        rows = [
            [(t(lang, "question-btn-send"), _make("send")), (t(lang, "question-btn-drop"), _make("drop"))]
        ]
    await send_html(update, context, "\n".join(lines), rows)


async def _to_text(context: LagContext, lang: str, data: dict[str, Any]) -> str:
    svc = context.services
    t = svc.texts.t
    if data.get("d"):
        place = await svc.territory.territory(int(data["d"]))
        count = len(await svc.questions.routing.local_factions(int(data["d"])))
        return t(lang, "question-to-all-local", district=place.name if place else "?", count=count)
    names = [(await svc.questions.lookup.faction(int(f))).name for f in data.get("f") or []]
    return t(lang, "question-to-factions", names=", ".join(names))


async def _send(update: Update, context: LagContext, member: Member, data: dict[str, Any]) -> None:
    svc = context.services
    draft = Draft(
        faction_ids=tuple(int(f) for f in data.get("f") or []),
        scope_district_id=int(data["d"]) if data.get("d") else None,
        topic_id=int(data["t"]) or None,
        body=str(data["text"]),
        identity=str(data["id"]),
    )
    # The dialog goes first: a crash after it loses the draft but can never send it twice.
    await clear_dialog(context, member.telegram_id)
    question = await svc.questions.asking.ask(member, draft)
    query = update.callback_query
    if query is not None:
        with suppress(BadRequest):  # too old to edit: its buttons are stale anyway
            await query.edit_message_reply_markup(None)
    to = await _to_text(context, member.language, data)
    await send(update, context, member.language, "question-sent", id=question.id, to=Html(to))


async def _save(context: LagContext, member: Member, data: dict[str, Any]) -> None:
    await save_dialog(context, Dialog(member.telegram_id, DIALOG, str(data["step"]), data))

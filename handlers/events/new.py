"""`/neuertermin`: a coordinator creates an event step by step, sees the exact invitation and
publishes it; ✏️ on an event goes through the same steps to edit it.

The draft lives in the coordinator's dialog row (kind "event"): {"step", "d": the draft so far
(`EventDraft.to_json`), "edit": the event's id when editing, "back": once complete, a step
returns to the preview (or the edit menu)}. Every press and every typed answer re-checks the
role; "Veröffentlichen" and "Speichern" clear the dialog first, so a second press is stale.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from telegram import Update
from telegram.error import BadRequest

from handlers import audience_picker as picker
from handlers.common import (
    Button,
    actor_language,
    chunk,
    clear_dialog,
    coordinator,
    save_dialog,
    send,
    send_html,
)
from handlers.context import LagContext
from handlers.events import screens, steps
from lag_bot.audience import AudienceSpec
from lag_bot.authorization import Actor
from lag_bot.callbacks import decode, encode
from lag_bot.errors import Stale, UserError
from lag_bot.events.admin import EDITABLE
from lag_bot.events.draft import EventDraft, validate
from lag_bot.events.models import RsvpCounts
from lag_bot.events.render import render_announcement
from lag_bot.i18n import Html
from lag_bot.models import Dialog, Member

DIALOG = "event"
FEATURE = steps.FEATURE
_BUTTON_STEPS = ("kind", "audience")  # steps answered with buttons only
_EDIT_FIELDS = tuple(
    s for s in steps.STEPS if s not in ("audience", "shifts")
)  # what a published event may change
_FIELD_NAMES = {  # dialog step → EventDraft fields it sets
    "title": ("title",),
    "kind": ("kind",),
    "start": ("starts_at", "ends_at", "rrule", "tz", "deadline"),
    "end": ("ends_at",),
    "place": ("place",),
    "link": ("link",),
    "description": ("description",),
    "capacity": ("capacity",),
    "deadline": ("deadline",),
    "remind": ("remind_offsets", "remind_maybe"),
    "audience": ("audience",),
    "shifts": ("shifts", "shift_alert_days"),
}


async def cmd_neuertermin(update: Update, context: LagContext) -> None:
    """Start a new event: the first question is its title."""
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    tz = context.services.settings.timezone.key
    data: dict[str, Any] = {"step": "title", "d": {"tz": tz, "audience": AudienceSpec().to_json()}}
    await _save(context, actor.telegram_id, data)
    await _ask(update, context, actor, lang, data, edit=False)


async def start_edit(update: Update, context: LagContext, actor: Actor, lang: str, event_id: int) -> None:
    """✏️ on an event: the menu of what can change, over a draft of the stored event."""
    draft = await context.services.events.records.draft_of(event_id)
    data: dict[str, Any] = {"step": "menu", "d": draft.to_json(), "edit": event_id, "back": True}
    await _save(context, actor.telegram_id, data)
    await _ask(update, context, actor, lang, data, edit=False)


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """A typed answer to the current step; a refusal keeps the step as it was."""
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    message = update.effective_message
    assert message is not None
    data = dialog.data
    step = str(data.get("step"))
    if step in steps.STEPS and step not in _BUTTON_STEPS:
        d, done = steps.typed(context, lang, step, data["d"], message.text or "")
        data = _advance({**data, "d": d}) if done else {**data, "d": d}
        await _save(context, actor.telegram_id, data)
    await _ask(update, context, actor, lang, data, edit=False)


async def on_button(update: Update, context: LagContext) -> None:
    """A button of the dialog; only the current step's buttons count."""
    query = update.callback_query
    assert query is not None
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    cb = decode(query.data)
    if cb.action == "pv":  # the RSVP buttons of the preview do nothing
        await send_answer(update, context, lang, "event-new-preview-only")
        return
    dialog = await context.services.dialogs.get(actor.telegram_id)
    if dialog is None or dialog.kind != DIALOG:
        raise Stale()
    data = dialog.data
    step = str(data.get("step"))
    if cb.action == "x":
        await clear_dialog(context, actor.telegram_id)
        await send(update, context, lang, "event-new-cancelled")
    elif cb.action == "pub" and step == "preview" and not data.get("edit"):
        await _publish(update, context, actor, lang, data)
    elif cb.action == "save" and step == "menu" and data.get("edit"):
        await _save_edit(update, context, actor, lang, data)
    elif cb.action == "ch" and step in ("preview", "menu"):
        data = {**data, "step": "menu"}
        await _save(context, actor.telegram_id, data)
        await _ask(update, context, actor, lang, data, edit=False)
    elif cb.action == "f" and step == "menu" and cb.args and cb.args[0] in _fields(data):
        data = {**data, "step": cb.args[0]}
        await _save(context, actor.telegram_id, data)
        await _ask(update, context, actor, lang, data, edit=False)
    elif cb.action == "back" and step == "menu" and not data.get("edit"):
        data = {**data, "step": "preview"}
        await _save(context, actor.telegram_id, data)
        await _ask(update, context, actor, lang, data, edit=False)
    elif step in steps.STEPS:
        d, done = await steps.pressed(context, lang, step, data["d"], cb)
        data = _advance({**data, "d": d}) if done else {**data, "d": d}
        await _save(context, actor.telegram_id, data)
        await _ask(update, context, actor, lang, data, edit=not done)
    else:
        raise Stale()
    await query.answer()  # only after success: a refusal is shown as the answer instead
    if cb.action in ("x", "pub", "save", "f", "back") or (step in steps.STEPS and data.get("step") != step):
        with suppress(BadRequest):  # answered: its buttons go (a too old message keeps them)
            await query.edit_message_reply_markup(None)


async def send_answer(update: Update, context: LagContext, lang: str, key: str) -> None:
    """A toast under the pressed button."""
    query = update.callback_query
    if query is not None:
        await query.answer(context.services.texts.t(lang, key))


def _advance(data: dict[str, Any]) -> dict[str, Any]:
    """The step after an answered one: the next question, or back to the preview / edit menu."""
    if data.get("back"):
        return {**data, "step": "menu" if data.get("edit") else "preview"}
    nxt = steps.following(str(data["step"]), data["d"])
    if nxt is None:
        return {**data, "step": "preview", "back": True}
    return {**data, "step": nxt}


def _fields(data: dict[str, Any]) -> list[str]:
    """What the menu offers: everything of a new event; of a published one what can change."""
    names = _EDIT_FIELDS if data.get("edit") else steps.STEPS
    return [name for name in names if steps.applies(name, data["d"])]


async def _ask(
    update: Update, context: LagContext, actor: Actor, lang: str, data: dict[str, Any], edit: bool
) -> None:
    step = str(data["step"])
    if step == "preview":
        await _preview(update, context, lang, data)
        return
    if step == "menu":
        text, rows = _menu(context, lang, data)
    else:
        text, rows = await screens.ask(context, lang, step, data["d"])
    if edit and update.callback_query is not None:
        await picker.show_screen(update, context, text, rows, edit=True)
    else:
        await send_html(update, context, text, rows)


def _menu(context: LagContext, lang: str, data: dict[str, Any]) -> tuple[str, list[list[Button]]]:
    t = context.services.texts.t
    fields = [(t(lang, f"event-field-{name}"), encode(FEATURE, "f", name)) for name in _fields(data)]
    rows = chunk(fields, 3)
    if data.get("edit"):
        head = t(lang, "event-new-edit-head", title=data["d"].get("title", ""))
        rows.append(
            [
                (t(lang, "event-new-btn-save"), encode(FEATURE, "save")),
                (t(lang, "event-new-btn-cancel"), encode(FEATURE, "x")),
            ]
        )
        return head, rows
    rows.append([(t(lang, "event-new-btn-back"), encode(FEATURE, "back"))])
    return t(lang, "event-new-choose-field"), rows


async def _preview(update: Update, context: LagContext, lang: str, data: dict[str, Any]) -> None:
    """The invitation exactly as it will arrive, then the question whether to send it."""
    svc = context.services
    t = svc.texts.t
    draft = EventDraft.from_json(data["d"])
    try:
        validate(draft, svc.clock())
    except UserError as refusal:  # e.g. the start passed while the dialog was open: fix that field
        await send_html(update, context, t(lang, refusal.key, **refusal.params))
        text, rows = _menu(context, lang, data)
        await send_html(update, context, text, rows)
        return
    card = render_announcement(svc.texts, lang, draft, RsvpCounts(), now=svc.clock())
    buttons = [
        [(t(lang, f"event-button-{answer}"), encode(FEATURE, "pv")) for answer in ("yes", "no", "maybe")]
    ]
    await send(update, context, lang, "event-new-preview-head")
    await send_html(update, context, card, buttons)
    members, groups = await svc.broadcasts.count(draft.audience)
    offsets = screens.offsets_text(context, lang, list(draft.remind_offsets))
    extras = [t(lang, "event-new-preview-remind", offsets=offsets)]
    if draft.shifts:
        extras.append(t(lang, "event-new-preview-shifts", count=len(draft.shifts)))
    rows = [
        [
            (t(lang, "event-new-btn-publish"), encode(FEATURE, "pub")),
            (t(lang, "event-new-btn-change"), encode(FEATURE, "ch")),
        ],
        [(t(lang, "event-new-btn-cancel"), encode(FEATURE, "x"))],
    ]
    await send(
        update,
        context,
        lang,
        "event-new-preview-ask",
        rows,
        count_members=members,
        count_groups=groups,
        extras=Html("\n".join(extras)),
    )


async def _publish(
    update: Update, context: LagContext, actor: Actor, lang: str, data: dict[str, Any]
) -> None:
    svc = context.services
    draft = EventDraft.from_json(data["d"])
    validate(draft, svc.clock())  # refused: the dialog stays, the coordinator can change the field
    members, groups = await svc.broadcasts.count(draft.audience)
    # The dialog goes first: a crash after it loses the draft but can never publish it twice.
    await clear_dialog(context, actor.telegram_id)
    await svc.events.publishing.publish(actor, draft)
    await send(update, context, lang, "event-new-published", count=members + groups)


async def _save_edit(
    update: Update, context: LagContext, actor: Actor, lang: str, data: dict[str, Any]
) -> None:
    svc = context.services
    event_id = int(data["edit"])
    new = EventDraft.from_json(data["d"])
    old = await svc.events.records.draft_of(event_id)
    changes = {name: getattr(new, name) for name in EDITABLE if getattr(new, name) != getattr(old, name)}
    await clear_dialog(context, actor.telegram_id)
    changed = await svc.events.admin.edit(actor, event_id, changes) if changes else []
    if not changed:
        await send(update, context, lang, "event-new-saved-nothing")
        return
    t = svc.texts.t
    steps_changed = dict.fromkeys(_step_of(name) for name in changed)  # in order, once each
    names = ", ".join(t(lang, f"event-field-{step}") for step in steps_changed)
    await send(update, context, lang, "event-new-saved", fields=Html(names))


def _step_of(field: str) -> str:
    return next((step for step, fields in _FIELD_NAMES.items() if field in fields), "title")


async def _save(context: LagContext, telegram_id: int, data: dict[str, Any]) -> None:
    await save_dialog(context, Dialog(telegram_id, DIALOG, str(data["step"]), data))

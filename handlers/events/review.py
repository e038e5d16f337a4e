"""The end of `/neuertermin` and ✏️: the menu of fields, the invitation exactly as it will arrive,
publishing, and saving the changes of an edit (which names what changed)."""

from __future__ import annotations

from telegram import Update

from handlers import audience_picker as picker
from handlers.common import Button, chunk, send, send_html
from handlers.context import LagContext
from handlers.events import screens, steps
from handlers.events.actions import NewAction
from lag_bot.authorization import Actor
from lag_bot.callbacks import encode
from lag_bot.errors import UserError
from lag_bot.events.admin import EDITABLE
from lag_bot.events.dialogs import EventDialog
from lag_bot.events.draft import validate
from lag_bot.events.models import RsvpCounts
from lag_bot.events.render import render_announcement
from lag_bot.i18n import Html

FEATURE = steps.FEATURE
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


def menu_fields(state: EventDialog) -> list[str]:
    """What the menu offers: everything of a new event; of a published one what can change."""
    names = _EDIT_FIELDS if state.edit is not None else steps.STEPS
    return [name for name in names if steps.applies(name, state.draft)]


def menu(context: LagContext, lang: str, state: EventDialog) -> tuple[str, list[list[Button]]]:
    """The fields to change (and Speichern when editing, or back to the preview)."""
    t = context.services.texts.t
    fields = [
        (t(lang, f"event-field-{name}"), encode(FEATURE, NewAction.FIELD, name))
        for name in menu_fields(state)
    ]
    rows = chunk(fields, 3)
    if state.edit is not None:
        head = t(lang, "event-new-edit-head", title=state.draft.title or "")
        rows.append(
            [
                (t(lang, "event-new-btn-save"), encode(FEATURE, NewAction.SAVE)),
                (t(lang, "event-new-btn-cancel"), encode(FEATURE, NewAction.CANCEL)),
            ]
        )
        return head, rows
    rows.append([(t(lang, "event-new-btn-back"), encode(FEATURE, NewAction.BACK))])
    return t(lang, "event-new-choose-field"), rows


async def preview(update: Update, context: LagContext, lang: str, state: EventDialog) -> None:
    """The invitation exactly as it will arrive, then the question whether to send it."""
    svc = context.services
    t = svc.texts.t
    draft = state.draft.complete()
    try:
        validate(draft, svc.clock())
    except UserError as refusal:  # e.g. the start passed while the dialog was open: fix that field
        await send_html(update, context, t(lang, refusal.key, **refusal.params))
        text, rows = menu(context, lang, state)
        await send_html(update, context, text, rows)
        return
    card = render_announcement(svc.texts, lang, draft, RsvpCounts(), now=svc.clock())
    inert = encode(FEATURE, NewAction.PREVIEW_ANSWER)
    buttons = [[(t(lang, f"event-button-{answer}"), inert) for answer in ("yes", "no", "maybe")]]
    await send(update, context, lang, "event-new-preview-head")
    await send_html(update, context, card, buttons)
    members, groups = await svc.broadcasts.count(draft.audience)
    offsets = screens.offsets_text(context, lang, list(draft.remind_offsets))
    extras = [t(lang, "event-new-preview-remind", offsets=offsets)]
    if draft.shifts:
        extras.append(t(lang, "event-new-preview-shifts", count=len(draft.shifts)))
    rows = [
        [
            (t(lang, "event-new-btn-publish"), encode(FEATURE, NewAction.PUBLISH)),
            (t(lang, "event-new-btn-change"), encode(FEATURE, NewAction.CHANGE)),
        ],
        [(t(lang, "event-new-btn-cancel"), encode(FEATURE, NewAction.CANCEL))],
    ]
    await send(
        update,
        context,
        lang,
        "event-new-preview-ask",
        rows,
        **picker.reach(context, lang, members, groups),
        extras=Html("\n".join(extras)),
    )


async def publish(update: Update, context: LagContext, actor: Actor, lang: str, state: EventDialog) -> None:
    """Veröffentlichen: the dialog closes, the event is published to its audience."""
    svc = context.services
    draft = state.draft.complete()
    validate(draft, svc.clock())  # refused: the dialog stays, the coordinator can change the field
    members, groups = await svc.broadcasts.count(draft.audience)
    # The dialog goes first: a crash after it loses the draft but can never publish it twice.
    await svc.events.dialogs.clear(actor.telegram_id)
    await svc.events.publishing.publish(actor, draft)
    await send(update, context, lang, "event-new-published", count=members + groups)


async def save_edit(
    update: Update, context: LagContext, actor: Actor, lang: str, event_id: int, state: EventDialog
) -> None:
    """Speichern: the dialog closes, the fields that differ from the stored event change."""
    svc = context.services
    new = state.draft.complete()
    old = await svc.events.records.draft_of(event_id)
    changes = {name: getattr(new, name) for name in EDITABLE if getattr(new, name) != getattr(old, name)}
    await svc.events.dialogs.clear(actor.telegram_id)
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

"""`/neuertermin`: a coordinator creates an event step by step, sees the exact invitation and
publishes it; ✏️ on an event goes through the same steps to edit it.

The draft lives in the coordinator's dialog row as a `lag_bot.events.dialogs.EventDialog` (the
step, the draft so far, the event's id when editing, whether a step returns to the preview or the
edit menu). Every press and every typed answer re-checks the role; "Veröffentlichen" and
"Speichern" clear the dialog first, so a second press is stale. The menu, the preview, publishing
and saving are in `handlers.events.review`.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace

from telegram import Update
from telegram.error import BadRequest

from handlers import audience_picker as picker
from handlers.common import actor_language, coordinator, pressed, send, send_html
from handlers.context import LagContext
from handlers.events import review, screens, steps
from handlers.events.actions import NewAction
from lag_bot.audience import AudienceSpec
from lag_bot.authorization import Actor
from lag_bot.errors import Stale
from lag_bot.events.dialogs import EVENT_DIALOG, EventDialog
from lag_bot.events.draft_form import DraftForm
from lag_bot.models import Dialog, Member

DIALOG = EVENT_DIALOG
FEATURE = steps.FEATURE
_BUTTON_STEPS = ("kind", "audience")  # steps answered with buttons only
# Presses after which the pressed message's buttons go.
_CLOSING = (NewAction.CANCEL, NewAction.PUBLISH, NewAction.SAVE, NewAction.FIELD, NewAction.BACK)


async def cmd_neuertermin(update: Update, context: LagContext) -> None:
    """Start a new event: the first question is its title."""
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    tz = context.services.settings.timezone.key
    state = EventDialog("title", DraftForm(tz=tz, audience=AudienceSpec()))
    await _save(context, actor.telegram_id, state)
    await _ask(update, context, actor, lang, state, edit=False)


async def start_edit(update: Update, context: LagContext, actor: Actor, lang: str, event_id: int) -> None:
    """✏️ on an event: the menu of what can change, over a draft of the stored event."""
    draft = await context.services.events.records.draft_of(event_id)
    state = EventDialog("menu", DraftForm.from_draft(draft), edit=event_id, back=True)
    await _save(context, actor.telegram_id, state)
    await _ask(update, context, actor, lang, state, edit=False)


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """A typed answer to the current step; a refusal keeps the step as it was."""
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    message = update.effective_message
    assert message is not None
    state = EventDialog.from_json(dialog.data)
    step = state.step
    if step in steps.STEPS and step not in _BUTTON_STEPS:
        d, done = steps.typed(context, lang, step, state.draft, message.text or "")
        state = _advance(replace(state, draft=d)) if done else replace(state, draft=d)
        await _save(context, actor.telegram_id, state)
    await _ask(update, context, actor, lang, state, edit=False)


async def on_button(update: Update, context: LagContext) -> None:
    """A button of the dialog; only the current step's buttons count."""
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    press = pressed(update)
    query, cb = press.query, press.cb
    action = cb.action_of(NewAction)
    if action is NewAction.PREVIEW_ANSWER:  # the RSVP buttons of the preview do nothing
        await send_answer(update, context, lang, "event-new-preview-only")
        return
    state = await context.services.events.dialogs.event_dialog(actor.telegram_id)
    if state is None:
        raise Stale()
    step = state.step
    if action is NewAction.CANCEL:
        await context.services.events.dialogs.clear(actor.telegram_id)
        await send(update, context, lang, "event-new-cancelled")
    elif action is NewAction.PUBLISH and step == "preview" and state.edit is None:
        await review.publish(update, context, actor, lang, state)
    elif action is NewAction.SAVE and step == "menu" and state.edit is not None:
        await review.save_edit(update, context, actor, lang, state.edit, state)
    elif action is NewAction.CHANGE and step in ("preview", "menu"):
        state = replace(state, step="menu")
        await _save(context, actor.telegram_id, state)
        await _ask(update, context, actor, lang, state, edit=False)
    elif action is NewAction.FIELD and step == "menu" and cb.args and cb.args[0] in review.menu_fields(state):
        state = replace(state, step=cb.args[0])
        await _save(context, actor.telegram_id, state)
        await _ask(update, context, actor, lang, state, edit=False)
    elif action is NewAction.BACK and step == "menu" and state.edit is None:
        state = replace(state, step="preview")
        await _save(context, actor.telegram_id, state)
        await _ask(update, context, actor, lang, state, edit=False)
    elif step in steps.STEPS:
        d, done = await steps.pressed(context, lang, step, state.draft, action, cb)
        state = _advance(replace(state, draft=d)) if done else replace(state, draft=d)
        await _save(context, actor.telegram_id, state)
        await _ask(update, context, actor, lang, state, edit=not done)
    else:
        raise Stale()
    await query.answer()  # only after success: a refusal is shown as the answer instead
    if action in _CLOSING or (step in steps.STEPS and state.step != step):
        with suppress(BadRequest):  # answered: its buttons go (a too old message keeps them)
            await query.edit_message_reply_markup(None)


async def send_answer(update: Update, context: LagContext, lang: str, key: str) -> None:
    """A toast under the pressed button."""
    query = update.callback_query
    if query is not None:
        await query.answer(context.services.texts.t(lang, key))


def _advance(state: EventDialog) -> EventDialog:
    """The step after an answered one: the next question, or back to the preview / edit menu."""
    if state.back:
        return replace(state, step="menu" if state.edit is not None else "preview")
    nxt = steps.following(state.step, state.draft)
    if nxt is None:
        return replace(state, step="preview", back=True)
    return replace(state, step=nxt)


async def _ask(
    update: Update, context: LagContext, actor: Actor, lang: str, state: EventDialog, edit: bool
) -> None:
    step = state.step
    if step == "preview":
        await review.preview(update, context, lang, state)
        return
    if step == "menu":
        text, rows = review.menu(context, lang, state)
    else:
        text, rows = await screens.ask(context, lang, step, state.draft)
    if edit and update.callback_query is not None:
        await picker.show_screen(update, context, text, rows, edit=True)
    else:
        await send_html(update, context, text, rows)


async def _save(context: LagContext, telegram_id: int, state: EventDialog) -> None:
    await context.services.events.dialogs.save(telegram_id, state)

"""`/rundschreiben`: coordinators write a broadcast, choose its audience, see the exact preview
and send it now or at a set time.

The draft lives in the coordinator's dialog row (steps: text → audience ⇄ time → confirm);
every press re-checks the role. "Senden" clears the dialog before the broadcast is written, so a
second press finds no dialog and is answered as stale: nothing goes out twice.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import Message, Update
from telegram.error import BadRequest

from handlers import audience_picker as picker
from handlers.audience_picker import AUDIENCE
from handlers.broadcasts import audience, render, report
from handlers.broadcasts.actions import FEATURE, Action
from handlers.broadcasts.body import body_html, media_of
from handlers.common import actor_language, clear_dialog, coordinator, pressed, save_dialog, send, send_html
from handlers.context import LagContext
from handlers.delivery.transport import send_part
from lag_bot.authorization import Actor
from lag_bot.broadcasts.model import READ_FEATURE, Draft, ReadAction, check_body
from lag_bot.callbacks import Callback, encode
from lag_bot.clock import iso_ms
from lag_bot.delivery.message_parts import with_button
from lag_bot.errors import Stale, UserError
from lag_bot.i18n import Html
from lag_bot.models import Dialog, Member

DIALOG = "broadcast"
EDITING = ("audience", "time", "confirm")  # steps in which the audience may still change
REPORT_ACTIONS = (Action.REPORT, Action.STOP, Action.CSV, Action.RESEND)
def _draft(dialog: Dialog) -> Draft:
    data = dialog.data.get("draft")
    return Draft.from_json(data if isinstance(data, dict) else {})


async def _save(context: LagContext, telegram_id: int, step: str, draft: Draft) -> None:
    await save_dialog(context, Dialog(telegram_id, DIALOG, step, {"draft": draft.to_json()}))


async def cmd_rundschreiben(update: Update, context: LagContext) -> None:
    """List the recent broadcasts and offer a new one."""
    actor = await coordinator(update, context)
    await report.show_list(update, context, actor, actor_language(context, actor))


async def on_button(update: Update, context: LagContext) -> None:
    """Any coordinator button of broadcasts: list, draft, preview, progress and report."""
    actor = await coordinator(update, context)
    press = pressed(update)
    answered = await _act(update, context, actor, actor_language(context, actor), press.cb)
    if not answered:
        await press.query.answer()  # only after success: a refusal is shown as the answer instead


async def _act(update: Update, context: LagContext, actor: Actor, lang: str, cb: Callback) -> bool:
    """Do what the button says; True if it answered the press itself."""
    if picker.owns(cb):
        return await _audience_action(update, context, actor, lang, cb)
    action = cb.action_of(Action)
    if action in REPORT_ACTIONS:
        return await _report_action(update, context, actor, lang, action, cb.int_arg(0))
    if action is Action.NEW:
        await context.services.dialogs.open(actor.telegram_id, DIALOG, "text", {"draft": Draft("").to_json()})
        await send(update, context, lang, "broadcast-ask-text")
        return False
    dialog = await _open_draft(context, actor)
    draft = _draft(dialog)
    if action is Action.CANCEL:
        await clear_dialog(context, actor.telegram_id)
        await send(update, context, lang, "broadcast-cancelled")
    elif action in audience.ACTIONS and dialog.step in EDITING:
        await _audience_action(update, context, actor, lang, cb)
    elif action is Action.EDIT and dialog.step == "confirm":
        await _save(context, actor.telegram_id, "audience", draft)
        await audience.show(update, context, lang, draft, AUDIENCE, edit=True)
    elif action is Action.WHEN and dialog.step in EDITING:
        await _save(context, actor.telegram_id, "time", draft)
        await send(update, context, lang, "broadcast-ask-time")
    elif action is Action.PREVIEW and dialog.step in EDITING:
        await _preview(update, context, actor, lang, draft)
    elif action is Action.SEND and dialog.step == "confirm":
        await _send(update, context, actor, lang, dialog)
    else:
        raise Stale()
    return False


async def _open_draft(context: LagContext, actor: Actor) -> Dialog:
    """The coordinator's broadcast dialog; Stale if none is open."""
    dialog = await context.services.dialogs.get(actor.telegram_id)
    if dialog is None or dialog.kind != DIALOG:
        raise Stale()
    return dialog


async def _audience_action(
    update: Update, context: LagContext, actor: Actor, lang: str, cb: Callback
) -> bool:
    """A button of the audience screen (the picker's, "Gelesen ✓" on/off, right away)."""
    dialog = await _open_draft(context, actor)
    if dialog.step not in EDITING:
        raise Stale()
    draft, view = await audience.apply(context, lang, _draft(dialog), cb)
    await _save(context, actor.telegram_id, "audience", draft)
    await audience.show(update, context, lang, draft, view, edit=True)
    return False


async def _report_action(
    update: Update, context: LagContext, actor: Actor, lang: str, action: Action, broadcast_id: int
) -> bool:
    if action is Action.REPORT:
        await report.show_report(update, context, lang, broadcast_id)
    elif action is Action.CSV:
        await report.send_csv(update, context, actor, lang, broadcast_id)
    elif action is Action.STOP:
        await report.stop(update, context, actor, lang, broadcast_id)
        return True
    else:
        await report.resend(update, context, actor, lang, broadcast_id)
        return True
    return False


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """Typed text in a broadcast dialog: the body, or the sending time."""
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    message = update.effective_message
    assert message is not None and message.text is not None
    if dialog.step == "text":
        body = body_html(message.text, message.text_html, message.entities)
        await _take_body(update, context, actor, lang, _draft(dialog), body, None)
    elif dialog.step == "time":
        svc = context.services
        moment = audience.parse_when(message.text, svc.settings.timezone, svc.clock())
        draft = replace(_draft(dialog), scheduled_at=iso_ms(moment))
        await _save(context, actor.telegram_id, "audience", draft)
        await audience.show(update, context, lang, draft, AUDIENCE, edit=False)
    else:
        await send(update, context, lang, "broadcast-use-buttons")


def takes_media(dialog: Dialog, message: Message | None) -> bool:
    """Whether a photo or document is the body of the broadcast being written (its text step)."""
    in_text_step = dialog.kind == DIALOG and dialog.step == "text"
    return in_text_step and message is not None and media_of(message) is not None


async def on_media(update: Update, context: LagContext, dialog: Dialog) -> None:
    """A photo or document as the body of the broadcast being written (`takes_media` said so)."""
    message = update.effective_message
    assert message is not None
    media = media_of(message)
    assert media is not None
    actor = await coordinator(update, context)
    body = body_html(message.caption or "", message.caption_html, message.caption_entities)
    await _take_body(update, context, actor, actor_language(context, actor), _draft(dialog), body, media)


async def _take_body(
    update: Update,
    context: LagContext,
    actor: Actor,
    lang: str,
    draft: Draft,
    body: str,
    media: tuple[str, str] | None,
) -> None:
    """Check the body (a refusal keeps the step), then show the audience screen."""
    draft = replace(draft, body_html=check_body(body, media is not None), media=media)
    await _save(context, actor.telegram_id, "audience", draft)
    await audience.show(update, context, lang, draft, AUDIENCE, edit=False)


async def _preview(update: Update, context: LagContext, actor: Actor, lang: str, draft: Draft) -> None:
    """Send the exact parts to the coordinator; Telegram's refusal sends them back to the text."""
    svc = context.services
    t = svc.texts.t
    chat = update.effective_chat
    assert chat is not None
    await send(update, context, lang, "broadcast-preview-head")
    try:
        # Exactly what recipients get, the "Gelesen ✓" button included (pressed here, it counts nothing).
        parts = draft.parts()
        if draft.read_button:
            label = render.read_labels(context)[lang]
            parts = with_button(parts, label, encode(READ_FEATURE, ReadAction.OK, 0))
        for part in parts:
            await send_part(context.bot, chat.id, None, part)
    except BadRequest as exc:  # e.g. "can't parse entities": the recipients would be refused too
        await _save(context, actor.telegram_id, "text", draft)
        await send(update, context, lang, "broadcast-rejected", reason=exc.message)
        return
    members, groups = await svc.broadcasts.count(draft.audience)
    await _save(context, actor.telegram_id, "confirm", draft)
    rows = [
        [
            (t(lang, "broadcast-btn-send"), encode(FEATURE, Action.SEND)),
            (t(lang, "broadcast-btn-change"), encode(FEATURE, Action.EDIT)),
            (t(lang, "broadcast-btn-cancel"), encode(FEATURE, Action.CANCEL)),
        ]
    ]
    await send(
        update,
        context,
        lang,
        "broadcast-confirm",
        rows,
        **picker.reach(context, lang, members, groups),
        when=Html(audience.when_text(context, lang, draft)),
        read=Html(t(lang, "broadcast-on" if draft.read_button else "broadcast-off")),
    )


async def _send(update: Update, context: LagContext, actor: Actor, lang: str, dialog: Dialog) -> None:
    """Write the broadcast and its outbox rows; show the progress message."""
    svc = context.services
    draft = _draft(dialog)
    # The dialog goes first: a crash after it loses the draft but can never send it twice.
    await clear_dialog(context, actor.telegram_id)
    try:
        broadcast_id = await svc.broadcasts.create(actor, draft, render.read_labels(context))
    except UserError:  # e.g. the audience reaches nobody: the coordinator may change it
        await _save(context, actor.telegram_id, dialog.step, draft)
        raise
    state = await svc.broadcasts.report(broadcast_id)
    message = await send_html(
        update, context, render.progress_html(context, lang, state), render.report_rows(context, lang, state)
    )
    await svc.broadcasts.set_progress_message(broadcast_id, message.chat_id, message.message_id)

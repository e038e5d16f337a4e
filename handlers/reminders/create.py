"""`/erinnerung`: a member sets a personal reminder, a coordinator (or a group admin who is a member)
one for a linked group, a coordinator also one for a segment of members; all confirm what was
understood before anything is stored. ✏️ in `/erinnerungen` goes through the same steps.

The parsed time waits in the creator's dialog row (step "confirm"); ✅ (and ❌) clears the row before
the reminder is written, so a second press finds nothing and is answered as stale. While it waits,
only the buttons and a new time act on it: other typed text is not taken for a failed time. In a group the
buttons carry the creator's Telegram id: only their press counts.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import BadRequest

from handlers import audience_picker as picker
from handlers import help as help_handler
from handlers.common import actor_language, clear_dialog, pressed, save_dialog, send, send_html
from handlers.context import LagContext
from handlers.reminders import options
from handlers.reminders.access import group_manager, linked_group, private_actor
from handlers.reminders.options import Action
from lag_bot.audience import AudienceSpec
from lag_bot.authorization import Actor
from lag_bot.errors import InvalidInput, NotAllowed, Stale
from lag_bot.models import Dialog, Member
from lag_bot.reminders.proposal import Proposal
from lag_bot.reminders.rules import Target, clean_body, owns
from lag_bot.reminders.service import ReminderRow
from lag_bot.timeparse.parse import OneOff, TimeParseError, describe, describe_moment, parse_when

FEATURE = options.FEATURE
DIALOG = "reminder"


def _command_text(update: Update) -> str:
    message = update.effective_message
    parts = (message.text or "").split(maxsplit=1) if message else []
    return parts[1].strip() if len(parts) > 1 else ""


async def cmd_erinnerung(update: Update, context: LagContext) -> None:
    """Parse `<Zeit> <Text>` and ask whether it was understood right; without text, ask for it."""
    chat = update.effective_chat
    assert chat is not None
    text = _command_text(update)
    if chat.type == "private":
        actor, member = await private_actor(update, context)
        if not text:
            await context.services.dialogs.open(actor.telegram_id, DIALOG, "ask", Proposal(chat.id).to_json())
            await send(update, context, member.language, "reminder-ask")
            return
        await propose(update, context, actor, member.language, text)
        return
    actor, _, _ = await group_manager(update, context)
    lang = actor_language(context, actor)
    if not text:
        await send(update, context, lang, "reminder-group-usage")
        return
    await propose(update, context, actor, lang, text)


async def propose(update: Update, context: LagContext, actor: Actor, lang: str, text: str) -> None:
    """Show what was understood with ✅ / ✏️ and the options; a time or text that cannot be stores
    nothing. An edit or options chosen before (✏️ Nochmal) carry over."""
    svc = context.services
    chat = update.effective_chat
    assert chat is not None
    w = parse_when(text, now=svc.clock(), tz=svc.settings.timezone, lang=lang)
    body = clean_body(w.rest)
    before = _proposal(await svc.dialogs.get(actor.telegram_id))
    kept = before if before is not None and before.chat == chat.id else Proposal(chat.id)
    proposal = Proposal(
        chat.id, chat.type != "private", w, body, ack=kept.ack, audience=kept.audience, edit=kept.edit
    )
    await _save(context, actor.telegram_id, "confirm", proposal)
    text_html, rows = await options.confirm_screen(context, actor, lang, proposal)
    await send_html(update, context, text_html, rows)


async def on_button(update: Update, context: LagContext) -> None:
    """✅ stores the proposal, ✏️ asks again, ❌ drops it, the options change it; only the creator's press
    counts (the main buttons carry their id; the picker's are private, where the dialog is the
    presser's own)."""
    press = pressed(update)
    query, user, cb = press.query, press.user, press.cb
    chat = update.effective_chat
    assert chat is not None
    action = options.own_action(cb)
    if action in options.OWNED_ACTIONS and cb.int_arg(0) != user.id:
        raise NotAllowed("reminder-not-yours")
    if chat.type == "private":
        actor, member = await private_actor(update, context)
        lang: str = member.language
    else:
        actor, _, _ = await group_manager(update, context)
        lang = actor_language(context, actor)
    dialog = await context.services.dialogs.get(user.id)
    proposal = _proposal(dialog)
    if dialog is None or proposal is None or dialog.step != "confirm" or proposal.chat != chat.id:
        raise Stale()
    if (picker.owns(cb) or action in options.SEGMENT_ACTIONS) and chat.type == "private":
        proposal, screen = await options.segment_step(context, actor, lang, proposal, cb)
        await _save(context, user.id, "confirm", proposal)
        await options.show(update, context, screen)
        await query.answer()
        return
    if action is Action.OK:
        await _store(update, context, actor, lang, proposal)
    elif action is Action.AGAIN:
        await _ask_again(update, context, actor, lang, proposal)
    elif action is Action.CANCEL:
        await clear_dialog(context, user.id)
        await send(update, context, lang, "reminder-confirm-cancelled")
    elif action is Action.ACK:
        await options.show(update, context, options.ack_screen(context, actor, lang))
        await query.answer()
        return
    elif action is Action.ACK_EVERY:
        proposal = options.choose_ack(proposal, cb)
        await _save(context, user.id, "confirm", proposal)
        await options.show(update, context, await options.confirm_screen(context, actor, lang, proposal))
        await query.answer()
        return
    else:
        raise Stale()
    await query.answer()  # only after success: a refusal is shown as the answer instead
    with suppress(BadRequest):  # the message is too old to edit: its buttons are stale anyway
        await query.edit_message_reply_markup(None)


async def _ask_again(
    update: Update, context: LagContext, actor: Actor, lang: str, proposal: Proposal
) -> None:
    await _save(context, actor.telegram_id, "ask", proposal.kept())
    await send(update, context, lang, "reminder-group-usage" if proposal.group else "reminder-ask")


async def _target(update: Update, context: LagContext, actor: Actor, proposal: Proposal) -> Target:
    """Whom the proposal is for, with the presser's rights checked again."""
    if not proposal.group:
        if proposal.audience is not None:
            return Target("segment", audience=proposal.audience)
        assert actor.member is not None
        return Target("member", member_id=actor.member.id)
    _, group, by_admin = await group_manager(update, context)
    return Target("group", group_id=group.id, by_group_admin=by_admin)


async def _store(update: Update, context: LagContext, actor: Actor, lang: str, proposal: Proposal) -> None:
    svc = context.services
    w, ack, body = proposal.when, proposal.ack, proposal.body
    assert w is not None  # the step is "confirm"
    if isinstance(w, OneOff) and w.at <= svc.clock():
        await clear_dialog(context, actor.telegram_id)
        raise TimeParseError("time-past", text=body, when=describe_moment(w.at, lang))
    target = await _target(update, context, actor, proposal)
    if proposal.edit is not None:
        row = await svc.reminders.get(proposal.edit)
        await _check_edit(update, context, actor, row)
        await clear_dialog(context, actor.telegram_id)
        await svc.reminders.update(actor, target, row, w, body, ack)
        await send(update, context, lang, "reminder-updated", when=describe(w, lang))
        return
    count = 0
    if target.kind == "segment" and target.audience is not None:
        count, _ = await svc.broadcasts.count(target.audience)
        if count == 0:
            raise InvalidInput("reminder-segment-empty")
    # The dialog goes first: a crash after it loses the proposal but can never store it twice.
    await clear_dialog(context, actor.telegram_id)
    await svc.reminders.create(actor, target, w, body, ack)
    key = {"member": "reminder-created", "group": "reminder-created-group"}.get(
        target.kind, "reminder-created-segment"
    )
    await send(update, context, lang, key, when=describe(w, lang), count=count)


async def _check_edit(update: Update, context: LagContext, actor: Actor, row: ReminderRow) -> None:
    """The reminder being edited is still the editor's (in a group: still this group's)."""
    chat = update.effective_chat
    assert chat is not None
    if chat.type == "private":
        if not owns(actor, row):
            raise NotAllowed("reminder-not-yours")
        return
    group = await linked_group(update, context)
    if row.target_kind != "group" or row.group_id != group.id:
        raise NotAllowed("reminder-not-yours")


async def start_edit(update: Update, context: LagContext, actor: Actor, lang: str, row: ReminderRow) -> None:
    """✏️ in the list: ask for the new time and text; the next proposal replaces `row`."""
    chat = update.effective_chat
    assert chat is not None
    await _check_edit(update, context, actor, row)
    audience = AudienceSpec.from_json(row.audience) if row.audience is not None else None
    in_group = chat.type != "private"
    proposal = Proposal(chat.id, in_group, ack=row.ack_every_min, audience=audience, edit=row.id)
    await _save(context, actor.telegram_id, "ask", proposal)
    key = "reminder-edit-ask-group" if proposal.group else "reminder-edit-ask"
    await send(update, context, lang, key, body=row.body, due=due_text(row, lang))


def due_text(row: ReminderRow, lang: str) -> str:
    """When a reminder fires next, in words ("pausiert" is the list's business)."""
    if row.next_due is None:
        return "–"
    return describe_moment(datetime.fromisoformat(row.next_due).astimezone(ZoneInfo(row.tz)), lang)


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """Typed text while a reminder is open: a (new) time and text; a group's proposal is left alone.
    While a proposal waits for its buttons, text that does not open with a time is ordinary chat
    ("Danke, bis morgen!"): it gets the free-text hint and the proposal keeps waiting."""
    chat = update.effective_chat
    message = update.effective_message
    assert chat is not None and message is not None
    proposal = _proposal(dialog)
    if proposal is None or proposal.chat != chat.id:
        await help_handler.on_free_text(update, context)
        return
    actor, active = await private_actor(update, context)
    try:
        await propose(update, context, actor, active.language, message.text or "")
    except TimeParseError as error:
        if dialog.step != "confirm" or error.key != "time-unknown":
            raise
        await help_handler.on_free_text(update, context)


def _proposal(dialog: Dialog | None) -> Proposal | None:
    """The proposal in a reminder dialog (None for no dialog or another kind)."""
    return Proposal.from_json(dialog.data) if dialog is not None and dialog.kind == DIALOG else None


async def _save(context: LagContext, telegram_id: int, step: str, proposal: Proposal) -> None:
    await save_dialog(context, Dialog(telegram_id, DIALOG, step, proposal.to_json()))

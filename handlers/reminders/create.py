"""`/erinnerung`: a member sets a personal reminder, a coordinator (or a group admin who is a member)
one for a linked group, a coordinator also one for a segment of members; all confirm what was
understood before anything is stored. ✏️ in `/erinnerungen` goes through the same steps.

The parsed time waits in the creator's dialog row (step "confirm"); ✅ clears the row before the
reminder is written, so a second press finds nothing and is answered as stale. In a group the
buttons carry the creator's Telegram id: only their press counts.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import ChatMember, Update
from telegram.error import BadRequest

from handlers import help as help_handler
from handlers.common import actor_language, clear_dialog, save_dialog, send, send_html
from handlers.context import LagContext
from handlers.membership.groups import group_member
from handlers.reminders import options
from lag_bot.audience import AudienceSpec
from lag_bot.authorization import Actor
from lag_bot.callbacks import decode
from lag_bot.errors import InvalidInput, NotAllowed, Stale, UserError
from lag_bot.models import Dialog, GroupChat, Member, Role
from lag_bot.reminders.service import Target, clean_body, owns
from lag_bot.repositories.reminders import ReminderRow
from lag_bot.timeparse.parse import OneOff, TimeParseError, describe, describe_moment, parse_when

FEATURE = options.FEATURE
DIALOG = "reminder"
_GROUP_ADMIN = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def private_actor(update: Update, context: LagContext) -> tuple[Actor, Member]:
    """The active member writing in private; strangers and members not yet approved are refused."""
    user = update.effective_user
    assert user is not None
    actor = await context.services.authorizer.actor(user.id)
    if actor.member is None:
        raise UserError("common-not-registered")
    if actor.role is None:
        raise UserError("reminder-members-only")
    return actor, actor.member


async def linked_group(update: Update, context: LagContext) -> GroupChat:
    """The linked group the update comes from."""
    chat = update.effective_chat
    assert chat is not None
    group = await context.services.groups.get(chat.id)
    if group is None or not group.active or group.link_kind is None:
        raise UserError("reminder-group-not-linked")
    return group


async def group_manager(update: Update, context: LagContext) -> tuple[Actor, GroupChat, bool]:
    """A coordinator, or an admin of this Telegram group who is an active member (the flag)."""
    group = await linked_group(update, context)
    actor = await group_member(update, context)
    if actor.at_least(Role.COORDINATOR):
        return actor, group, False
    status = (await context.bot.get_chat_member(group.chat_id, actor.telegram_id)).status
    if status not in _GROUP_ADMIN:
        raise NotAllowed("reminder-group-not-allowed")
    return actor, group, True


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
            await _save(context, actor.telegram_id, "ask", {"chat": chat.id})
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
    before = await svc.dialogs.get(actor.telegram_id)
    kept = before.data if before and before.kind == DIALOG and before.data.get("chat") == chat.id else {}
    data = {
        "chat": chat.id,
        "group": chat.type != "private",
        "when": options.dump_when(w),
        "body": body,
        **{k: kept[k] for k in ("ack", "audience", "edit") if kept.get(k) is not None},
    }
    await _save(context, actor.telegram_id, "confirm", data)
    text_html, rows = await options.confirm_screen(context, actor, lang, data)
    await send_html(update, context, text_html, rows)


async def on_button(update: Update, context: LagContext) -> None:
    """✅ stores the proposal, ✏️ asks again, the options change it; only the creator's press
    counts (the main buttons carry their id; the picker's are private, where the dialog is the
    presser's own)."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    cb = decode(query.data)
    if cb.action in options.OWNED_ACTIONS and cb.int_arg(0) != user.id:
        raise NotAllowed("reminder-not-yours")
    if chat.type == "private":
        actor, member = await private_actor(update, context)
        lang: str = member.language
    else:
        actor, _, _ = await group_manager(update, context)
        lang = actor_language(context, actor)
    dialog = await context.services.dialogs.get(user.id)
    if (
        dialog is None
        or dialog.kind != DIALOG
        or dialog.step != "confirm"
        or dialog.data.get("chat") != chat.id
    ):
        raise Stale()
    data = dialog.data
    if cb.action == "ok":
        await _store(update, context, actor, lang, data)
    elif cb.action == "again":
        await _ask_again(update, context, actor, lang, data)
    elif cb.action == "ack":
        await options.show(update, context, options.ack_screen(context, actor, lang))
        await query.answer()
        return
    elif cb.action == "ak":
        data = options.choose_ack(data, cb)
        await _save(context, user.id, "confirm", data)
        await options.show(update, context, await options.confirm_screen(context, actor, lang, data))
        await query.answer()
        return
    elif cb.action in options.SEGMENT_ACTIONS and chat.type == "private":
        data, screen = await options.segment_step(context, actor, lang, data, cb)
        await _save(context, user.id, "confirm", data)
        await options.show(update, context, screen)
        await query.answer()
        return
    else:
        raise Stale()
    await query.answer()  # only after success: a refusal is shown as the answer instead
    with suppress(BadRequest):  # the message is too old to edit: its buttons are stale anyway
        await query.edit_message_reply_markup(None)


async def _ask_again(
    update: Update, context: LagContext, actor: Actor, lang: str, data: dict[str, Any]
) -> None:
    kept = {k: data[k] for k in ("chat", "group", "ack", "audience", "edit") if data.get(k) is not None}
    if data.get("group"):
        await _save(context, actor.telegram_id, "ask", kept)
        await send(update, context, lang, "reminder-group-usage")
    else:
        await _save(context, actor.telegram_id, "ask", kept)
        await send(update, context, lang, "reminder-ask")


async def _target(update: Update, context: LagContext, actor: Actor, data: dict[str, Any]) -> Target:
    """Whom the proposal is for, with the presser's rights checked again."""
    if not data.get("group"):
        if data.get("audience"):
            return Target("segment", audience=AudienceSpec.from_json(str(data["audience"])))
        assert actor.member is not None
        return Target("member", member_id=actor.member.id)
    _, group, by_admin = await group_manager(update, context)
    return Target("group", group_id=group.id, by_group_admin=by_admin)


async def _store(update: Update, context: LagContext, actor: Actor, lang: str, data: dict[str, Any]) -> None:
    svc = context.services
    w = options.load_when(data["when"])
    ack = data.get("ack") if isinstance(data.get("ack"), int) else None
    if isinstance(w, OneOff) and w.at <= svc.clock():
        await clear_dialog(context, actor.telegram_id)
        raise TimeParseError("time-past", text=str(data["body"]), when=describe_moment(w.at, lang))
    target = await _target(update, context, actor, data)
    edit = data.get("edit")
    if isinstance(edit, int):
        row = await svc.reminders.get(edit)
        await _check_edit(update, context, actor, row)
        await clear_dialog(context, actor.telegram_id)
        await svc.reminders.update(actor, target, row, w, str(data["body"]), ack)
        await send(update, context, lang, "reminder-updated", when=describe(w, lang))
        return
    count = 0
    if target.kind == "segment" and target.audience is not None:
        count, _ = await svc.broadcasts.count(target.audience)
        if count == 0:
            raise InvalidInput("reminder-segment-empty")
    # The dialog goes first: a crash after it loses the proposal but can never store it twice.
    await clear_dialog(context, actor.telegram_id)
    await svc.reminders.create(actor, target, w, str(data["body"]), ack)
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
    data: dict[str, Any] = {"chat": chat.id, "group": chat.type != "private", "edit": row.id}
    if row.ack_every_min is not None:
        data["ack"] = row.ack_every_min
    if row.audience is not None:
        data["audience"] = row.audience
    await _save(context, actor.telegram_id, "ask", data)
    key = "reminder-edit-ask-group" if data["group"] else "reminder-edit-ask"
    await send(update, context, lang, key, body=row.body, due=due_text(row, lang))


def due_text(row: ReminderRow, lang: str) -> str:
    """When a reminder fires next, in words ("pausiert" is the list's business)."""
    if row.next_due is None:
        return "–"
    return describe_moment(datetime.fromisoformat(row.next_due).astimezone(ZoneInfo(row.tz)), lang)


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """Typed text while a reminder is open: a (new) time and text; a group's proposal is left alone."""
    chat = update.effective_chat
    message = update.effective_message
    assert chat is not None and message is not None
    if dialog.data.get("chat") != chat.id:
        await help_handler.on_free_text(update, context)
        return
    actor, active = await private_actor(update, context)
    await propose(update, context, actor, active.language, message.text or "")


async def _save(context: LagContext, telegram_id: int, step: str, data: dict[str, Any]) -> None:
    await save_dialog(context, Dialog(telegram_id, DIALOG, step, data))

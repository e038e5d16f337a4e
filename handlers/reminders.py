"""`/erinnerung`: a member sets a personal reminder, a coordinator (or a group admin who is a member)
one for a linked group; both confirm what was understood before anything is stored.

The parsed time waits in the creator's dialog row (step "confirm"); ✅ clears the row before the
reminder is written, so a second press finds nothing and is answered as stale. The buttons carry
the creator's Telegram id: in a group only their press counts.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import ChatMember, Update
from telegram.error import BadRequest

from handlers import help as help_handler
from handlers.common import actor_language, send
from handlers.context import LagContext
from handlers.groups import group_member
from lag_bot.authorization import Actor
from lag_bot.callbacks import decode, encode
from lag_bot.clock import iso
from lag_bot.errors import NotAllowed, Stale, UserError
from lag_bot.models import Dialog, GroupChat, Member, Role
from lag_bot.reminders import Target, clean_body
from lag_bot.timeparse import OneOff, Recurring, TimeParseError, When, describe, describe_moment, parse_when

FEATURE = "rm"
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


def dump_when(w: When) -> dict[str, Any]:
    """A parsed time as JSON for the dialog row."""
    if isinstance(w, OneOff):
        return {"at": w.at.isoformat(), "tz": getattr(w.at.tzinfo, "key", "UTC")}
    return {"rrule": w.rrule, "tz": w.tz, "first": w.first.isoformat()}


def load_when(data: dict[str, Any]) -> When:
    """The parsed time back from the dialog row, in its IANA zone again."""
    zone = ZoneInfo(str(data["tz"]))
    if "rrule" in data:
        return Recurring(str(data["rrule"]), zone.key, datetime.fromisoformat(data["first"]).astimezone(zone))
    return OneOff(datetime.fromisoformat(data["at"]).astimezone(zone))


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
        await propose(update, context, member.language, text)
        return
    actor, _, _ = await group_manager(update, context)
    lang = actor_language(context, actor)
    if not text:
        await send(update, context, lang, "reminder-group-usage")
        return
    await propose(update, context, lang, text)


async def propose(update: Update, context: LagContext, lang: str, text: str) -> None:
    """Show what was understood with ✅ / ✏️; a time or text that cannot be stores nothing."""
    svc = context.services
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    w = parse_when(text, now=svc.clock(), tz=svc.settings.timezone, lang=lang)
    body = clean_body(w.rest)
    await _save(context, user.id, "confirm", {"chat": chat.id, "when": dump_when(w), "body": body})
    t = svc.texts.t
    rows = [
        [
            (t(lang, "reminder-btn-yes"), encode(FEATURE, "ok", user.id)),
            (t(lang, "reminder-btn-again"), encode(FEATURE, "again", user.id)),
        ]
    ]
    await send(update, context, lang, "reminder-confirm", rows, when=describe(w, lang), body=body)


async def on_button(update: Update, context: LagContext) -> None:
    """✅ stores the proposed reminder, ✏️ asks again; only the creator's press counts."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    assert query is not None and user is not None and chat is not None
    cb = decode(query.data)
    if cb.int_arg(0) != user.id:
        raise NotAllowed("reminder-not-yours")
    if chat.type == "private":
        actor, member = await private_actor(update, context)
        lang, target = member.language, Target("member", member_id=member.id)
    else:
        actor, group, by_admin = await group_manager(update, context)
        lang = actor_language(context, actor)
        target = Target("group", group_id=group.id, by_group_admin=by_admin)
    svc = context.services
    dialog = await svc.dialogs.get(user.id)
    if (
        dialog is None
        or dialog.kind != DIALOG
        or dialog.step != "confirm"
        or dialog.data.get("chat") != chat.id
    ):
        raise Stale()
    if cb.action == "ok":
        await _create(update, context, actor, lang, target, dialog)
    elif cb.action == "again" and chat.type == "private":
        await _save(context, user.id, "ask", {"chat": chat.id})
        await send(update, context, lang, "reminder-ask")
    elif cb.action == "again":
        await _clear(context, user.id)
        await send(update, context, lang, "reminder-group-usage")
    else:
        raise Stale()
    await query.answer()  # only after success: a refusal is shown as the answer instead
    with suppress(BadRequest):  # the message is too old to edit: its buttons are stale anyway
        await query.edit_message_reply_markup(None)


async def _create(
    update: Update, context: LagContext, actor: Actor, lang: str, target: Target, dialog: Dialog
) -> None:
    svc = context.services
    w = load_when(dialog.data["when"])
    if isinstance(w, OneOff) and w.at <= svc.clock():
        await _clear(context, actor.telegram_id)
        raise TimeParseError("time-past", text=str(dialog.data["body"]), when=describe_moment(w.at, lang))
    # The dialog goes first: a crash after it loses the proposal but can never store it twice.
    await _clear(context, actor.telegram_id)
    await svc.reminders.create(actor, target, w, str(dialog.data["body"]))
    key = "reminder-created" if target.kind == "member" else "reminder-created-group"
    await send(update, context, lang, key, when=describe(w, lang))


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """Typed text while a reminder is open: a (new) time and text; a group's proposal is left alone."""
    chat = update.effective_chat
    message = update.effective_message
    assert chat is not None and message is not None
    if dialog.data.get("chat") != chat.id:
        await help_handler.on_free_text(update, context)
        return
    _, active = await private_actor(update, context)
    await propose(update, context, active.language, message.text or "")


async def _save(context: LagContext, telegram_id: int, step: str, data: dict[str, Any]) -> None:
    svc = context.services
    async with svc.db.transaction():
        await svc.dialogs.put(Dialog(telegram_id, DIALOG, step, data), iso(svc.clock()))


async def _clear(context: LagContext, telegram_id: int) -> None:
    svc = context.services
    async with svc.db.transaction():
        await svc.dialogs.clear(telegram_id)

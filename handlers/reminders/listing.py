"""`/erinnerungen`: my reminders in private, the group's in a linked group; ⏸ ▶ 🗑 on each.

Every press re-checks that the reminder is the presser's own (in a group: that the presser may
manage the group's reminders and the reminder belongs to this group).
"""

from __future__ import annotations

import enum

from telegram import Update
from telegram.constants import ParseMode

from handlers.common import Button, actor_language, answer, keyboard, pressed, send_html
from handlers.context import LagContext
from handlers.membership.groups import group_member
from handlers.reminders.access import group_manager, linked_group, private_actor
from handlers.reminders.create import due_text, start_edit
from lag_bot.callbacks import Feature, encode
from lag_bot.errors import NotAllowed
from lag_bot.reminders.rules import owns
from lag_bot.reminders.service import ReminderRow

FEATURE = Feature.REMINDER_LIST


class Action(enum.StrEnum):
    """The buttons on each reminder of the list (values are the callback data, unchanged)."""

    PAUSE = "p"
    RESUME = "r"
    EDIT = "e"
    DELETE = "d"


def render(
    context: LagContext, lang: str, rows: list[ReminderRow], group: bool
) -> tuple[str, list[list[Button]]]:
    """The list as HTML with one row of buttons per reminder."""
    t = context.services.texts.t
    if not rows:
        return t(lang, "reminder-list-empty-group" if group else "reminder-list-empty"), []
    lines = [t(lang, "reminder-list-head-group" if group else "reminder-list-head")]
    buttons: list[list[Button]] = []
    for n, row in enumerate(rows, 1):
        due = t(lang, "reminder-list-paused") if row.status == "paused" else due_text(row, lang)
        key = "reminder-list-item-segment" if row.target_kind == "segment" else "reminder-list-item"
        if row.ack_every_min is not None and row.target_kind != "segment":
            key = "reminder-list-item-ack"
        lines.append(t(lang, key, n=n, body=row.body, due=due))
        toggle = ("resume", Action.RESUME) if row.status == "paused" else ("pause", Action.PAUSE)
        buttons.append(
            [
                (t(lang, f"reminder-list-btn-{toggle[0]}", n=n), encode(FEATURE, toggle[1], row.id)),
                (t(lang, "reminder-list-btn-edit", n=n), encode(FEATURE, Action.EDIT, row.id)),
                (t(lang, "reminder-list-btn-delete", n=n), encode(FEATURE, Action.DELETE, row.id)),
            ]
        )
    return "\n".join(lines), buttons


async def cmd_erinnerungen(update: Update, context: LagContext) -> None:
    """List the reminders of the member (in private) or of the linked group."""
    chat = update.effective_chat
    assert chat is not None
    reminders = context.services.reminders
    if chat.type == "private":
        _, member = await private_actor(update, context)
        html, rows = render(context, member.language, await reminders.of_member(member.id), group=False)
    else:
        group = await linked_group(update, context)
        actor = await group_member(update, context)
        lang = actor_language(context, actor)
        html, rows = render(context, lang, await reminders.of_group(group.id), group=True)
    await send_html(update, context, html, rows)


async def on_button(update: Update, context: LagContext) -> None:
    """⏸ pause, ▶ resume, 🗑 delete; then the list is shown again in the same message."""
    press = pressed(update)
    query, cb, chat = press.query, press.cb, update.effective_chat
    assert chat is not None
    action = cb.action_of(Action)
    svc = context.services
    row = await svc.reminders.get(cb.int_arg(0))
    if chat.type == "private":
        actor, member = await private_actor(update, context)
        lang = member.language
        if not owns(actor, row):
            raise NotAllowed("reminder-not-yours")
    else:
        actor, group, _ = await group_manager(update, context)
        lang = actor_language(context, actor)
        if row.target_kind != "group" or row.group_id != group.id:
            raise NotAllowed("reminder-not-yours")
    if action is Action.EDIT:
        await start_edit(update, context, actor, lang, row)
        await query.answer()
        return
    key = await _apply(context, action, row)
    reminders = svc.reminders
    in_group = chat.type != "private"
    listed = await (reminders.of_group(row.group_id or 0) if in_group else reminders.of_member(member.id))
    html, rows = render(context, lang, listed, group=chat.type != "private")
    await query.edit_message_text(html, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows))
    await answer(update, context, lang, key)


async def _apply(context: LagContext, action: Action, row: ReminderRow) -> str:
    """Pause, resume or delete; the key of the toast that confirms it."""
    reminders = context.services.reminders
    if action is Action.PAUSE:
        await reminders.pause(row)
        return "reminder-paused"
    if action is Action.RESUME:
        await reminders.resume(row)
        return "reminder-resumed"
    await reminders.delete(row)
    return "reminder-deleted"

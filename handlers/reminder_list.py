"""`/erinnerungen`: my reminders in private, the group's in a linked group; ⏸ ▶ 🗑 on each.

Every press re-checks that the reminder is the presser's own (in a group: that the presser may
manage the group's reminders and the reminder belongs to this group).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.constants import ParseMode

from handlers.common import Button, answer, keyboard, send_html
from handlers.context import LagContext
from handlers.reminders import group_manager, group_member, linked_group, private_actor
from lag_bot.callbacks import decode, encode
from lag_bot.clock import iso_ms
from lag_bot.errors import InvalidInput, NotAllowed, Stale
from lag_bot.repositories.reminders import ReminderRow
from lag_bot.timeparse import Recurring, describe_moment, next_occurrences

FEATURE = "rl"


def resume_at(row: ReminderRow, now: datetime) -> datetime | None:
    """When a paused reminder fires next if resumed now; None for a one-off whose time has passed."""
    if row.rrule is not None:
        rule = Recurring(row.rrule, row.tz, datetime.fromisoformat(row.first_at))
        found = next_occurrences(rule, after=now, count=1)
        return found[0] if found else None
    due = datetime.fromisoformat(row.next_due) if row.next_due else None
    return due if due is not None and due > now else None


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
        if row.status == "paused" or row.next_due is None:
            due = t(lang, "reminder-list-paused")
        else:
            due = describe_moment(datetime.fromisoformat(row.next_due).astimezone(ZoneInfo(row.tz)), lang)
        lines.append(t(lang, "reminder-list-item", n=n, body=row.body, due=due))
        toggle = ("▶", "r") if row.status == "paused" else ("⏸", "p")
        buttons.append(
            [
                (f"{toggle[0]} {n}", encode(FEATURE, toggle[1], row.id)),
                (f"🗑 {n}", encode(FEATURE, "d", row.id)),
            ]
        )
    return "\n".join(lines), buttons


async def cmd_erinnerungen(update: Update, context: LagContext) -> None:
    """List the reminders of the member (in private) or of the linked group."""
    chat = update.effective_chat
    assert chat is not None
    repo = context.services.reminders.repo
    if chat.type == "private":
        _, member = await private_actor(update, context)
        html, rows = render(context, member.language, await repo.of_member(member.id), group=False)
    else:
        group = await linked_group(update, context)
        actor = await group_member(update, context)
        lang = actor.member.language if actor.member else context.services.settings.default_language
        html, rows = render(context, lang, await repo.of_group(group.id), group=True)
    await send_html(update, context, html, rows)


async def on_button(update: Update, context: LagContext) -> None:
    """⏸ pause, ▶ resume, 🗑 delete; then the list is shown again in the same message."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    cb = decode(query.data)
    svc = context.services
    row = await svc.reminders.get(cb.int_arg(0))
    if chat.type == "private":
        _, member = await private_actor(update, context)
        lang = member.language
        if row.target_kind != "member" or row.member_id != member.id:
            raise NotAllowed("reminder-not-yours")
    else:
        actor, group, _ = await group_manager(update, context)
        lang = actor.member.language if actor.member else svc.settings.default_language
        if row.target_kind != "group" or row.group_id != group.id:
            raise NotAllowed("reminder-not-yours")
    key = await _apply(context, cb.action, row)
    repo = svc.reminders.repo
    listed = await (
        repo.of_member(row.member_id) if row.member_id is not None else repo.of_group(row.group_id or 0)
    )
    html, rows = render(context, lang, listed, group=chat.type != "private")
    await query.edit_message_text(html, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows))
    await answer(update, context, lang, key)


async def _apply(context: LagContext, action: str, row: ReminderRow) -> str:
    """Do what the button says; the key of the toast that confirms it."""
    svc = context.services
    async with svc.db.transaction():
        if action == "p" and row.status == "active":
            await svc.reminders.repo.set_status(row.id, "paused")
            return "reminder-paused"
        if action == "r" and row.status == "paused":
            following = resume_at(row, svc.clock())
            if following is None:
                raise InvalidInput("reminder-resume-past")
            await svc.reminders.repo.set_status(row.id, "active", iso_ms(following))
            return "reminder-resumed"
        if action == "d":
            await svc.reminders.repo.delete(row.id)
            return "reminder-deleted"
    raise Stale()

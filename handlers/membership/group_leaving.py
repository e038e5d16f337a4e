"""Leaving the LAG, suspension and rejection reach the groups: the hooks the membership handlers
call, the coordinators' list with its one confirmation, and "the bot lost its admin rights"."""

from __future__ import annotations

import html
import logging

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from handlers.common import Press, actor_language, keyboard
from handlers.context import LagContext
from handlers.membership import approvals
from handlers.membership.group_actions import FEATURE, Action
from handlers.membership.group_telegram import TelegramGroupControl
from lag_bot.callbacks import encode
from lag_bot.membership.member_admin import Decision
from lag_bot.models import Member, Status

log = logging.getLogger(__name__)
LISTED = {"leave": "gate-leaving-leave", "suspend": "gate-leaving-suspend", "reject": "gate-leaving-reject"}


async def before_erase(context: LagContext, telegram_id: int) -> None:
    """/austreten: note the person's groups before their rows go (only the chat ids stay)."""
    await _departed(context, telegram_id, "leave")


async def after_decision(context: LagContext, decision: Decision) -> None:
    """A rejected applicant may have been in groups already."""
    if not decision.approved:
        await _departed(context, decision.member.telegram_id, "reject")


async def after_suspend(context: LagContext, member: Member) -> None:
    """A suspended member leaves the groups (a reinstated one stays)."""
    if member.status is Status.SUSPENDED:
        await _departed(context, member.telegram_id, "suspend")


async def _departed(context: LagContext, telegram_id: int, reason: str) -> None:
    svc = context.services
    departure = await svc.group_leaving.departed(telegram_id, reason, TelegramGroupControl(context.bot))
    await tell_rights_lost(context, departure.rights_lost)
    if not departure.waiting and not departure.removed:
        return
    for chat_id, lang in await approvals.recipients(context):
        if chat_id == telegram_id:
            continue
        t = svc.texts.t
        lines = []
        if departure.waiting:
            groups = ", ".join(departure.waiting)
            lines.append(t(lang, LISTED[reason], name=departure.name or "?", groups=groups))
        if departure.removed:
            lines.append(t(lang, "gate-removed-auto", groups=", ".join(departure.removed)))
        rows = []
        if departure.removal_id is not None:
            rows = [[(t(lang, "gate-btn-remove"), encode(FEATURE, Action.REMOVE, departure.removal_id))]]
        await _tell(context, chat_id, "\n".join(lines), rows)


async def on_confirm(update: Update, context: LagContext, press: Press) -> None:
    """A coordinator confirms a removal: the person is removed from the listed groups."""
    svc = context.services
    actor = await svc.authorizer.actor(press.user.id)
    removal_id = press.cb.int_arg(0)
    departure = await svc.group_leaving.confirm(actor, removal_id, TelegramGroupControl(context.bot))
    await tell_rights_lost(context, departure.rights_lost)
    lang = actor_language(context, actor)
    t = svc.texts.t
    await press.query.answer()
    message = press.query.message
    shown = message if isinstance(message, Message) else None
    lines = [html.escape(shown.text or "" if shown else "")]
    if departure.removed:
        lines.append(t(lang, "gate-removal-done-list", groups=", ".join(departure.removed)))
    if departure.waiting:
        lines.append(t(lang, "gate-removal-failed", groups=", ".join(departure.waiting)))
    # Where Telegram refused, the button stays for another try.
    markup = shown.reply_markup if shown is not None and departure.removal_id is not None else None
    await press.query.edit_message_text("\n".join(lines), parse_mode=ParseMode.HTML, reply_markup=markup)


async def tell_rights_lost(context: LagContext, chat_ids: list[int]) -> None:
    """Tell the coordinators once that the bot lost its admin rights in these groups."""
    svc = context.services
    for chat_id in chat_ids:
        group = await svc.groups.get(chat_id)
        title = group.title if group else "?"
        for person, lang in await approvals.recipients(context):
            await _tell(context, person, svc.texts.t(lang, "gate-rights-lost", group=title), [])


async def _tell(context: LagContext, chat_id: int, text: str, rows: list[list[tuple[str, str]]]) -> None:
    try:
        await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows))
    except (BadRequest, Forbidden) as exc:  # blocked the bot or never started it
        log.info("a coordinator was not told about the groups: %s", exc.message)

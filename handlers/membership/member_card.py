"""One member in `/mitglieder`: their card with the actions the coordinator may take, the
changes made from it (suspend, reinstate, role), and the member list as CSV."""

from __future__ import annotations

import io
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from handlers import menus
from handlers.common import Button, actor_language, send
from handlers.context import LagContext
from handlers.membership import approvals, group_leaving, profile_view
from handlers.membership.member_list_state import FEATURE, Action, MemberListState
from lag_bot.authorization import Actor
from lag_bot.callbacks import encode
from lag_bot.errors import NotFound
from lag_bot.membership import member_csv
from lag_bot.models import Member, Role, Status

log = logging.getLogger(__name__)


async def show(update: Update, context: LagContext, actor: Actor, member_id: int) -> None:
    """One member's card with the actions the actor may take."""
    svc = context.services
    lang = actor_language(context, actor)
    t = svc.texts.t
    member = await svc.profiles.get(member_id)
    if member is None:
        raise NotFound("members-unknown")
    await svc.membership.log_access(actor, "member.view", member.id)
    rows: list[list[Button]] = []
    if member.status is Status.PENDING:
        rows.append(
            [
                (t(lang, "approval-approve"), encode(approvals.FEATURE, approvals.Action.APPROVE, member.id)),
                (t(lang, "approval-reject"), encode(approvals.FEATURE, approvals.Action.REJECT, member.id)),
            ]
        )
    elif member.status is Status.ACTIVE:
        rows.append([(t(lang, "members-suspend"), encode(FEATURE, Action.SUSPEND, member.id))])
    elif member.status is Status.SUSPENDED:
        rows.append([(t(lang, "members-reinstate"), encode(FEATURE, Action.REINSTATE, member.id))])
    configured_admin = member.telegram_id in svc.settings.admin_ids
    if actor.at_least(Role.ADMIN) and member.status is Status.ACTIVE and not configured_admin:
        target = Role.MEMBER if member.role is Role.COORDINATOR else Role.COORDINATOR
        rows.append(
            [(t(lang, f"members-make-{target.value}"), encode(FEATURE, Action.ROLE, member.id, target.value))]
        )
    fields = await profile_view.fields(context, member, lang)
    await send(update, context, lang, "members-card", rows, **fields)


async def set_role(update: Update, context: LagContext, actor: Actor, member_id: int, role: Role) -> None:
    """Promote a member to coordinator or demote them (admins only)."""
    member = await context.services.member_admin.set_role(actor, member_id, role)
    await menus.refresh_for(context, member)
    await _changed(update, context, actor, member)


async def suspend(update: Update, context: LagContext, actor: Actor, member_id: int, suspended: bool) -> None:
    """Suspend an active member or reinstate a suspended one, and tell them."""
    member = await context.services.member_admin.suspend(actor, member_id, suspended=suspended)
    await menus.refresh_for(context, member)
    await _tell_member(context, member, "members-you-suspended" if suspended else "members-you-reinstated")
    await group_leaving.after_suspend(context, member)
    await _changed(update, context, actor, member)


async def _changed(update: Update, context: LagContext, actor: Actor, member: Member) -> None:
    t = context.services.texts.t
    lang = actor_language(context, actor)
    await send(
        update,
        context,
        lang,
        "members-changed",
        name=member.display_name or "–",
        status=t(lang, f"status-{member.status.value}"),
        role=t(lang, f"role-{member.role.value}"),
    )


async def _tell_member(context: LagContext, member: Member, key: str) -> None:
    try:
        await context.bot.send_message(
            member.telegram_id, context.services.texts.t(member.language, key), parse_mode=ParseMode.HTML
        )
    except (BadRequest, Forbidden) as exc:  # blocked the bot or never started it: the change stands
        log.info("member #%s not told (%s)", member.id, exc.message)


async def send_csv(update: Update, context: LagContext, actor: Actor, state: MemberListState) -> None:
    """The members the list's filter matches, as a CSV document."""
    svc = context.services
    lang = actor_language(context, actor)
    found, _ = await svc.profiles.search(state.filter(), 100_000, 0)
    bodies = {b.id: b.name for b in await svc.places.bodies()}
    rows = []
    for m in found:
        f = await profile_view.fields(context, m, lang)
        mandates = [(bodies.get(x.body_id, "?"), x.function) for x in await svc.profiles.mandates(m.id)]
        rows.append(
            member_csv.row(
                svc.texts,
                lang,
                m,
                svc.settings.timezone,
                district=str(f["district"]),
                municipality=str(f["municipality"]),
                mandates=mandates,
                topics=str(f["topics"]),
            )
        )
    await svc.membership.log_access(actor, "members.export", None, {"count": len(rows), **state.described()})
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        io.BytesIO(member_csv.render(svc.texts, lang, rows)),
        filename="mitglieder.csv",
        caption=svc.texts.t(lang, "members-csv-caption", count=len(rows)),
    )

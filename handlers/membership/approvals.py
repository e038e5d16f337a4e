"""Approval cards: every coordinator gets one per pending member; the first decision closes all."""

from __future__ import annotations

import enum
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from handlers import menus
from handlers.common import keyboard, pressed
from handlers.context import LagContext
from handlers.membership import group_leaving, profile_view
from lag_bot.callbacks import Feature, encode
from lag_bot.membership.member_admin import Decision
from lag_bot.models import Member, Role

log = logging.getLogger(__name__)
FEATURE = Feature.APPROVAL


class Action(enum.StrEnum):
    """The buttons of an approval card, with the applicant's member id."""

    APPROVE = "ok"
    REJECT = "no"


async def recipients(context: LagContext) -> list[tuple[int, str]]:
    """(chat id, language) of everyone who decides on members: coordinators and admins."""
    svc = context.services
    people = {m.telegram_id: m.language for m in await svc.profiles.deciders()}
    for admin_id in svc.settings.admin_ids:
        people.setdefault(admin_id, svc.settings.default_language)
    return sorted(people.items())


async def send_cards(context: LagContext, member: Member) -> None:
    """Send an approval card about `member` to every coordinator."""
    svc = context.services
    for chat_id, lang in await recipients(context):
        if chat_id == member.telegram_id:
            continue
        card = svc.texts.t(lang, "approval-card", **await profile_view.fields(context, member, lang))
        buttons = keyboard(
            [
                [
                    (svc.texts.t(lang, "approval-approve"), encode(FEATURE, Action.APPROVE, member.id)),
                    (svc.texts.t(lang, "approval-reject"), encode(FEATURE, Action.REJECT, member.id)),
                ]
            ]
        )
        try:
            sent = await context.bot.send_message(
                chat_id, card, parse_mode=ParseMode.HTML, reply_markup=buttons
            )
        except (Forbidden, BadRequest) as exc:  # blocked the bot, or never started it ("chat not found")
            log.info("approval card not delivered to a coordinator: %s", exc.message)
            continue
        closed = await svc.member_admin.keep_approval_card(member.id, chat_id, sent.message_id)
        if closed is not None:  # decided while the cards went out: this one was not closed yet
            outcome, actor_name = _outcome(context, closed.decision, closed.actor)
            await close_cards(
                context, closed.decision.member, outcome, actor_name, [(chat_id, sent.message_id)]
            )


async def on_approval_button(update: Update, context: LagContext) -> None:
    """Approve or reject a pending member (coordinators only, checked on every press)."""
    press = pressed(update)
    query, cb = press.query, press.cb
    svc = context.services
    actor = await svc.authorizer.require(press.user.id, Role.COORDINATOR)
    approve = cb.action_of(Action) is Action.APPROVE
    decision = await svc.member_admin.decide(actor, cb.int_arg(0), approve=approve)
    member = decision.member
    await query.answer()
    await close_cards(context, member, *_outcome(context, decision, actor.member))
    key = "approval-you-approved" if decision.approved else "approval-you-rejected"
    try:
        await context.bot.send_message(
            member.telegram_id, svc.texts.t(member.language, key), parse_mode=ParseMode.HTML
        )
    except Forbidden:  # the member blocked the bot meanwhile; the decision stands
        log.info("member #%s not told of the decision (forbidden)", member.id)
    if decision.approved:
        await menus.refresh_for(context, member)
    await group_leaving.after_decision(context, decision)


def _outcome(context: LagContext, decision: Decision, actor: Member | None) -> tuple[str, str]:
    """The closing line's key and the name of who decided."""
    svc = context.services
    outcome = "approval-done-approved" if decision.approved else "approval-done-rejected"
    name = (actor.display_name if actor else None) or svc.texts.t(
        svc.settings.default_language, "approval-actor-admin"
    )
    return outcome, name


async def close_cards(
    context: LagContext,
    member: Member,
    outcome: str,
    actor_name: str,
    cards: list[tuple[int, int]] | None = None,
) -> None:
    """Replace the buttons of every card about the member (or of `cards`) with the outcome."""
    svc = context.services
    # The rows stay: if the member leaves later, `withdraw_cards` strips the cards again.
    if cards is None:
        cards = await svc.member_admin.approval_cards(member.id)
    languages = dict(await recipients(context))
    for chat_id, message_id in cards:
        lang = languages.get(chat_id, svc.settings.default_language)
        card = svc.texts.t(lang, "approval-card", **await profile_view.fields(context, member, lang))
        closed = card + "\n\n" + svc.texts.t(lang, outcome, actor=actor_name)
        try:
            await context.bot.edit_message_text(
                closed, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML
            )
        except (BadRequest, Forbidden) as exc:  # card deleted or chat gone: nothing to close
            log.info("approval card %s not closed: %s", message_id, exc.message)


async def withdraw_cards(context: LagContext, member: Member) -> None:
    """Before an erasure: strip the member's data from the approval cards coordinators hold."""
    svc = context.services
    cards = await svc.member_admin.take_approval_cards(member.id)
    languages = dict(await recipients(context))
    for chat_id, message_id in cards:
        lang = languages.get(chat_id, svc.settings.default_language)
        try:
            await context.bot.edit_message_text(
                svc.texts.t(lang, "approval-withdrawn"),
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
            )
        except (BadRequest, Forbidden) as exc:  # card deleted or chat gone: nothing left to strip
            log.info("approval card %s not withdrawn: %s", message_id, exc.message)

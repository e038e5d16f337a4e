"""`/profil`: see every stored field and change each one."""

from __future__ import annotations

from telegram import Update

from handlers.common import pressed, require_member, send
from handlers.context import LagContext
from handlers.membership import group_offer, profile_view, wizard
from handlers.membership.profile_view import Action
from lag_bot.errors import Stale, UserError
from lag_bot.membership.onboarding import ONBOARDING, PROFILE
from lag_bot.models import Status


async def cmd_profil(update: Update, context: LagContext) -> None:
    """Show the member's profile."""
    user = update.effective_user
    found = await context.services.profiles.with_details(user.id) if user else None
    if found is None:
        raise UserError("common-not-registered")
    member, details = found
    if member.status is Status.ONBOARDING:
        # The profile is being filled in: continue the onboarding instead of editing one field.
        await send(update, context, member.language, "profile-finish-onboarding")
        if not await wizard.resume(update, context, member):
            await wizard.start(update, context, member, ONBOARDING, "name")
        return
    await profile_view.show(update, context, member, details)
    await group_offer.offer(update, context, member)


async def on_profile_button(update: Update, context: LagContext) -> None:
    """Start editing one field, or toggle the directory opt-in."""
    press = pressed(update)
    query, cb = press.query, press.cb
    member = await require_member(update, context)
    if member.status is Status.ONBOARDING:
        raise Stale()
    action = cb.action_of(Action)
    if action is Action.EDIT:
        field = cb.str_arg(0, profile_view.EDITABLE)
        cb_step = "district" if field == "municipality" and member.district_id is None else field
        await query.answer()
        await wizard.start(update, context, member, PROFILE, cb_step)
    else:
        opt_in = cb.int_arg(0) == 1
        await context.services.membership.set_directory(member, opt_in)
        await query.answer()
        fresh = await require_member(update, context)
        await profile_view.show(update, context, fresh)

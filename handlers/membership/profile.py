"""`/profil`: see every stored field and change each one."""

from __future__ import annotations

from telegram import Update

from handlers.common import require_member, send
from handlers.context import LagContext
from handlers.membership import profile_view, wizard
from lag_bot.callbacks import decode
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


async def on_profile_button(update: Update, context: LagContext) -> None:
    """Start editing one field, or toggle the directory opt-in."""
    query = update.callback_query
    assert query is not None
    cb = decode(query.data)
    member = await require_member(update, context)
    if member.status is Status.ONBOARDING:
        raise Stale()
    if cb.action == "edit" and cb.args and cb.args[0] in profile_view.EDITABLE:
        cb_step = "district" if cb.args[0] == "municipality" and member.district_id is None else cb.args[0]
        await query.answer()
        await wizard.start(update, context, member, PROFILE, cb_step)
    elif cb.action == "dir":
        opt_in = cb.int_arg(0) == 1
        await context.services.membership.set_directory(member, opt_in)
        await query.answer()
        fresh = await require_member(update, context)
        await profile_view.show(update, context, fresh)
    else:
        raise Stale()

"""Who may look at events in a private chat: the active member asking (coordinators see and manage
every event), and the events a member may open by a button (a forged id learns nothing)."""

from __future__ import annotations

from telegram import Update

from handlers.common import require_member
from handlers.context import LagContext
from lag_bot.errors import UserError
from lag_bot.events.models import Event
from lag_bot.models import Member, Role


async def event_reader(update: Update, context: LagContext) -> tuple[Member, bool]:
    """The active member behind the update, and whether they coordinate right now."""
    member = await require_member(update, context)
    actor = await context.services.authorizer.actor(member.telegram_id)
    if actor.role is None:
        raise UserError("event-ui-members-only")
    return member, actor.at_least(Role.COORDINATOR)


async def event_for(context: LagContext, member: Member, coordinator: bool, event_id: int) -> Event:
    """An event the member may look at (coordinators: any)."""
    events = context.services.events
    if coordinator:
        return await events.records.get(event_id)
    return await events.listing.visible_to(member, event_id)

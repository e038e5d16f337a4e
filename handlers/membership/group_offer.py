"""In `/profil`: the LAG's groups the member may join, each a button that opens the group's
join-request link (the bot then approves the request)."""

from __future__ import annotations

from telegram import Update

from handlers.common import Button, send
from handlers.context import LagContext
from lag_bot.models import Member


async def offer(update: Update, context: LagContext, member: Member) -> None:
    """Send the list, if there is any group to join."""
    gates = await context.services.group_gate.joinable(member)
    rows: list[list[Button]] = [[(g.title, g.join_link)] for g in gates if g.join_link]
    if rows:
        await send(update, context, member.language, "gate-offer", rows)

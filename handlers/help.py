"""`/hilfe`, the status line for known members, and the hints for what the bot did not understand."""

from __future__ import annotations

from telegram import Update

from handlers.common import Button, current_member, language, send
from handlers.context import LagContext
from handlers.membership import consent
from lag_bot.callbacks import encode
from lag_bot.models import Member, Role, Status


async def cmd_hilfe(update: Update, context: LagContext) -> None:
    """List the commands the person may use."""
    lang = await language(update, context)
    user = update.effective_user
    actor = await context.services.authorizer.actor(user.id) if user else None
    await send(update, context, lang, "help-member")
    if actor is not None and actor.at_least(Role.COORDINATOR):
        await send(update, context, lang, "help-coordinator")


async def show_status(update: Update, context: LagContext, member: Member) -> None:
    """What a known member sees on /start."""
    key = {
        Status.PENDING: "start-pending",
        Status.ACTIVE: "start-active",
        Status.REJECTED: "start-rejected",
        Status.SUSPENDED: "start-suspended",
    }.get(member.status, "start-active")
    rows: list[list[Button]] = []
    if member.status is Status.REJECTED:
        label = context.services.texts.t(member.language, "start-reapply")
        rows.append([(label, encode(consent.FEATURE, consent.Action.AGAIN))])
    await send(update, context, member.language, key, rows, name=member.display_name or "")


async def on_unknown_command(update: Update, context: LagContext) -> None:
    """A command the bot does not know."""
    await send(update, context, await language(update, context), "common-unknown-command")


async def on_private_only(update: Update, context: LagContext) -> None:
    """A private-chat command typed in a group."""
    await send(update, context, await language(update, context), "common-private-only")


async def on_free_text(update: Update, context: LagContext) -> None:
    """Text outside any dialog."""
    member = await current_member(update, context)
    key = "common-free-text" if member else "common-free-text-stranger"
    await send(update, context, await language(update, context), key)

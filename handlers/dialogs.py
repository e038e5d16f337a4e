"""Typed text in a private chat: routed to the open dialog, or answered with a hint; `/abbrechen`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from handlers import broadcast, members, reminders, wizard
from handlers import help as help_handler
from handlers.common import current_member, language, send
from handlers.context import LagContext
from lag_bot.models import Dialog, Member
from lag_bot.onboarding import ONBOARDING, PROFILE

TextHandler = Callable[[Update, LagContext, Member | None, Dialog], Awaitable[None]]
# Which module takes the typed text of which dialog kind.
ROUTES: dict[str, TextHandler] = {
    ONBOARDING: wizard.on_text,
    PROFILE: wizard.on_text,
    members.DIALOG: members.on_text,
    broadcast.DIALOG: broadcast.on_text,
    reminders.DIALOG: reminders.on_text,
}


async def on_text(update: Update, context: LagContext) -> None:
    """Give typed text to the open dialog, or hint at /hilfe."""
    # Dialogs are keyed by the Telegram id: an admin from ADMIN_IDS without a profile has them too.
    user = update.effective_user
    member = await current_member(update, context)
    dialog = await context.services.dialogs.get(user.id) if user else None
    route = ROUTES.get(dialog.kind) if dialog else None
    if dialog is None or route is None:
        await help_handler.on_free_text(update, context)
        return
    await route(update, context, member, dialog)


async def cmd_abbrechen(update: Update, context: LagContext) -> None:
    """Leave whatever dialog is open."""
    lang = await language(update, context)
    user = update.effective_user
    svc = context.services
    cleared = False
    if user is not None:
        async with svc.db.transaction():
            cleared = await svc.dialogs.clear(user.id)
    await send(update, context, lang, "cancel-done" if cleared else "cancel-nothing")

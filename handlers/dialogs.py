"""Typed text in a private chat: routed to the open dialog, or answered with a hint; anything else
sent there (a photo, a file, a voice message); `/abbrechen`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from handlers import help as help_handler
from handlers.broadcasts import compose as broadcast
from handlers.common import clear_dialog, current_member, language, send
from handlers.context import LagContext
from handlers.events import manage as event_manage
from handlers.events import new as event_new
from handlers.membership import faction_contacts, members, wizard
from handlers.questions import ask as question_ask
from handlers.questions import write as question_write
from handlers.reminders import create as reminders
from lag_bot.membership.onboarding import ONBOARDING, PROFILE
from lag_bot.models import Dialog, Member

TextHandler = Callable[[Update, LagContext, Member | None, Dialog], Awaitable[None]]
# Which module takes the typed text of which dialog kind.
ROUTES: dict[str, TextHandler] = {
    ONBOARDING: wizard.on_text,
    PROFILE: wizard.on_text,
    members.DIALOG: members.on_text,
    broadcast.DIALOG: broadcast.on_text,
    reminders.DIALOG: reminders.on_text,
    event_new.DIALOG: event_new.on_text,
    event_manage.DIALOG: event_manage.on_text,
    question_ask.DIALOG: question_ask.on_text,
    question_write.DIALOG: question_write.on_text,
    faction_contacts.DIALOG: faction_contacts.on_text,
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


async def on_other(update: Update, context: LagContext) -> None:
    """A photo, file, sticker or voice message: the body of a broadcast being written; while another
    dialog waits for an answer, a word on what it waits for; outside any dialog, the hint."""
    user = update.effective_user
    dialog = await context.services.dialogs.get(user.id) if user else None
    if dialog is None or dialog.kind not in ROUTES:
        await help_handler.on_free_text(update, context)
    elif broadcast.takes_media(dialog, update.effective_message):
        await broadcast.on_media(update, context, dialog)
    else:
        await send(update, context, await language(update, context), "dialog-text-expected")


async def cmd_abbrechen(update: Update, context: LagContext) -> None:
    """Leave whatever dialog is open."""
    lang = await language(update, context)
    user = update.effective_user
    svc = context.services
    dialog = await svc.dialogs.get(user.id) if user is not None else None
    if user is None or dialog is None:
        await send(update, context, lang, "cancel-nothing")
        return
    await clear_dialog(context, user.id)
    # The profile keeps what was entered step by step; any other dialog leaves nothing behind.
    kept = dialog.kind in (ONBOARDING, PROFILE)
    await send(update, context, lang, "cancel-done" if kept else "cancel-discarded")

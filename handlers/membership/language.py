"""`/sprache`: choose German or English."""

from __future__ import annotations

import enum

from telegram import Update

from handlers import menus
from handlers.common import current_member, language, pressed, send
from handlers.context import LagContext
from lag_bot.callbacks import Feature, encode
from lag_bot.i18n import LANGUAGES

FEATURE = Feature.LANGUAGE


class Action(enum.StrEnum):
    """The language buttons."""

    MENU = "menu"  # offer the languages (from the profile)
    SET = "set"  # with the language code


async def cmd_sprache(update: Update, context: LagContext) -> None:
    """Offer the languages."""
    lang = await language(update, context)
    t = context.services.texts.t
    rows = [[(t(code, f"language-{code}"), encode(FEATURE, Action.SET, code)) for code in LANGUAGES]]
    await send(update, context, lang, "language-choose", rows)


async def on_language_button(update: Update, context: LagContext) -> None:
    """Switch the language (stored for members, remembered in memory for strangers)."""
    press = pressed(update)
    query, cb = press.query, press.cb
    if cb.action_of(Action) is Action.MENU:
        await query.answer()
        await cmd_sprache(update, context)
        return
    code = cb.str_arg(0, LANGUAGES)
    member = await current_member(update, context)
    if member is not None:
        await context.services.membership.set_language(member, code)
        fresh = await current_member(update, context)
        if fresh is not None:
            await menus.refresh_for(context, fresh)
    elif context.user_data is not None:
        # Before consent nothing is stored; the choice lives only in this process.
        context.user_data["language"] = code
    await query.answer()
    await send(update, context, code, "language-set")

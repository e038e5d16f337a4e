"""`/sprache`: choose German or English."""

from __future__ import annotations

from telegram import Update

from handlers import menus
from handlers.common import current_member, language, send
from handlers.context import LagContext
from lag_bot.callbacks import Feature, decode, encode
from lag_bot.errors import Stale
from lag_bot.i18n import LANGUAGES

FEATURE = Feature.LANGUAGE


async def cmd_sprache(update: Update, context: LagContext) -> None:
    """Offer the languages."""
    lang = await language(update, context)
    t = context.services.texts.t
    rows = [[(t(code, f"language-{code}"), encode(FEATURE, "set", code)) for code in LANGUAGES]]
    await send(update, context, lang, "language-choose", rows)


async def on_language_button(update: Update, context: LagContext) -> None:
    """Switch the language (stored for members, remembered in memory for strangers)."""
    query = update.callback_query
    assert query is not None
    cb = decode(query.data)
    if cb.action == "menu":
        await query.answer()
        await cmd_sprache(update, context)
        return
    if cb.action != "set" or not cb.args or cb.args[0] not in LANGUAGES:
        raise Stale()
    code = cb.args[0]
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

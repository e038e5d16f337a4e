"""`/einladen`: coordinators make invite links (single- or n-use, expiring)."""

from __future__ import annotations

import enum
from datetime import timedelta

from telegram import Update

from handlers.common import actor_language, coordinator, pressed, send
from handlers.context import LagContext
from lag_bot.authorization import Actor
from lag_bot.callbacks import Feature, encode, small_int
from lag_bot.errors import InvalidInput
from lag_bot.formats import moment
from lag_bot.membership.invites import invite_link

FEATURE = Feature.INVITE


class Action(enum.StrEnum):
    """The preset buttons of /einladen."""

    MAKE = "mk"  # with uses and days
PRESETS = ((1, 7), (5, 7), (20, 30))


async def cmd_einladen(update: Update, context: LagContext) -> None:
    """Offer presets, or make a link at once from `/einladen <uses> <days>`."""
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    if context.args:
        numbers = [small_int(a[:6]) if len(a) <= 6 else None for a in context.args]
        if len(numbers) != 2 or numbers[0] is None or numbers[1] is None:
            raise InvalidInput("invite-usage")
        await _make(update, context, actor, numbers[0], numbers[1])
        return
    t = context.services.texts.t
    rows = [
        [(t(lang, "invite-preset", uses=uses, count=days), encode(FEATURE, Action.MAKE, uses, days))]
        for uses, days in PRESETS
    ]
    await send(update, context, lang, "invite-choose", rows)


async def on_invite_button(update: Update, context: LagContext) -> None:
    """A preset was chosen (role re-checked)."""
    press = pressed(update)
    actor = await coordinator(update, context)
    press.cb.action_of(Action)  # MAKE is the only one
    await _make(update, context, actor, press.cb.int_arg(0), press.cb.int_arg(1))
    await press.query.answer()


async def _make(update: Update, context: LagContext, actor: Actor, uses: int, days: int) -> None:
    svc = context.services
    code = await svc.invites.create(actor, uses, days)
    until = (svc.clock() + timedelta(days=days)).astimezone(svc.settings.timezone)
    lang = actor_language(context, actor)
    await send(
        update,
        context,
        lang,
        "invite-created",
        link=invite_link(context.bot.username, code),
        uses=uses,
        until=moment(until, lang),
    )

"""`/fraktionen` for coordinators: by level (and district) the bodies with their factions; for one
faction its linked groups, contact people per topic, deadline and whether it answers as a faction.

A faction without a group and without contact people cannot receive questions: the list marks it.
Every press re-checks the role; screens are edited in place.
"""

from __future__ import annotations

from telegram import Update

from handlers import audience_picker as picker
from handlers.common import Button, actor_language, chunk, coordinator, paged, pressed, send_html
from handlers.context import LagContext
from handlers.membership import faction_contacts as contacts
from handlers.membership.faction_view import FEATURE as FEATURE  # the feature composition registers
from handlers.membership.faction_view import Action, body_screen
from lag_bot.authorization import Actor
from lag_bot.callbacks import Callback, encode
from lag_bot.errors import Stale
from lag_bot.membership.factions import FactionView
from lag_bot.models import Level
from lag_bot.questions.models import DEADLINE_CHOICES


def _levels(context: LagContext, lang: str) -> tuple[str, list[list[Button]]]:
    t = context.services.texts.t
    rows = [
        [(t(lang, f"faction-level-{lv.value}"), encode(FEATURE, Action.LEVEL, lv.value, 0))] for lv in Level
    ]
    return t(lang, "faction-choose-level"), rows


async def cmd_fraktionen(update: Update, context: LagContext) -> None:
    """Start with the levels."""
    actor = await coordinator(update, context)
    text, rows = _levels(context, actor_language(context, actor))
    await send_html(update, context, text, rows)


async def on_button(update: Update, context: LagContext) -> None:
    """A press in `/fraktionen`."""
    press = pressed(update)
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    action = press.cb.action_of(Action)
    if action in contacts.ACTIONS:
        await contacts.on_action(update, context, actor, lang, action, press.cb)
    else:
        screen = await _screen(context, actor, lang, action, press.cb)
        await picker.show_screen(update, context, *screen, edit=True)
    await press.query.answer()


async def _screen(
    context: LagContext, actor: Actor, lang: str, action: Action, cb: Callback
) -> tuple[str, list[list[Button]]]:
    svc = context.services
    t = svc.texts.t
    factions = svc.factions
    if action is Action.TOP:
        return _levels(context, lang)
    if action is Action.LEVEL:
        level = _level(cb)
        if level is Level.LAND:
            return await _bodies(context, actor, lang, level, None)
        districts = await svc.places.districts()
        buttons = [(d.name, encode(FEATURE, Action.DISTRICT, level.value, d.id)) for d in districts]
        rows = paged(buttons, cb.int_arg(1), lambda p: encode(FEATURE, Action.LEVEL, level.value, p))
        return t(lang, "faction-choose-district"), [
            *rows,
            [(t(lang, "faction-btn-back"), encode(FEATURE, Action.TOP))],
        ]
    if action is Action.DISTRICT:
        return await _bodies(context, actor, lang, _level(cb), cb.int_arg(1))
    if action is Action.BODY:
        return await body_screen(context, lang, await factions.view(actor, cb.int_arg(0)))
    if action is Action.CREATE:
        return await body_screen(context, lang, await factions.create(actor, cb.int_arg(0)))
    faction = await factions.faction(actor, cb.int_arg(0))
    if action is Action.DEADLINES:
        choices = [
            (t(lang, "faction-days", count=d), encode(FEATURE, Action.DEADLINE, faction.id, d))
            for d in DEADLINE_CHOICES
        ]
        back = [(t(lang, "faction-btn-back"), encode(FEATURE, Action.BODY, faction.body_id))]
        return t(lang, "faction-choose-deadline", faction=faction.name), [*chunk(choices, 3), back]
    if action is Action.DEADLINE:
        await factions.set_deadline(actor, faction.id, cb.int_arg(1))
    elif action is Action.ANSWER_AS:
        await factions.toggle_answer_as_faction(actor, faction.id)
    else:
        raise Stale()
    return await body_screen(context, lang, await factions.view(actor, faction.body_id))


async def _bodies(
    context: LagContext, actor: Actor, lang: str, level: Level, district_id: int | None
) -> tuple[str, list[list[Button]]]:
    t = context.services.texts.t
    views = await context.services.factions.bodies(actor, level, district_id)
    buttons = [(f"{_mark(v)} {v.body.name}", encode(FEATURE, Action.BODY, v.body.id)) for v in views]
    back = [
        (
            t(lang, "faction-btn-back"),
            encode(FEATURE, Action.LEVEL, level.value, 0) if district_id else encode(FEATURE, Action.TOP),
        )
    ]
    text = t(lang, "faction-choose-body") if views else t(lang, "faction-no-bodies")
    return text, [*[[b] for b in buttons], back]


def _mark(view: FactionView) -> str:
    if view.faction is None:
        return "➕"
    return "✅" if view.reachable else "⚠️"


def _level(cb: Callback) -> Level:
    try:
        return Level(cb.args[0])
    except (IndexError, ValueError):
        raise Stale() from None

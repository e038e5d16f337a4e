"""Groups: the bot notices being added, removed and migrated; `/verbinden` links a group."""

from __future__ import annotations

import enum
import html

from telegram import ChatMember, Update

from handlers.common import language, paged, pressed, send, send_or_turn_page
from handlers.context import LagContext
from handlers.membership import group_joins
from lag_bot.authorization import Actor
from lag_bot.callbacks import Callback, Feature, encode
from lag_bot.errors import NotAllowed, UserError
from lag_bot.i18n import Html
from lag_bot.models import Level, Role

FEATURE = Feature.GROUP_LINK


class Action(enum.StrEnum):
    """The buttons of /verbinden."""

    LAG = "lag"  # link to the whole LAG
    DISTRICTS = "dl"  # list the districts (argument: the page, when turning it)
    FACTION_LEVEL = "fl"  # list the bodies of a level (then the page, when turning it)
    DISTRICT = "d"  # link to a district
    FACTION = "f"  # link to a body's faction


KINDS = {Action.LAG: "lag", Action.DISTRICT: "district", Action.FACTION: "faction"}
_IN = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


async def on_my_chat_member(update: Update, context: LagContext) -> None:
    """The bot's own membership in a group changed."""
    change = update.my_chat_member
    if change is None or change.chat.type not in ("group", "supergroup"):
        return
    chat = change.chat
    was_in = change.old_chat_member.status in _IN
    is_in = change.new_chat_member.status in _IN
    groups = context.services.groups
    if is_in and not was_in:
        await groups.joined(chat.id, chat.title or "", chat.type, bool(chat.is_forum))
        lang = context.services.settings.default_language
        await send(update, context, lang, "groups-hello")
    elif was_in and not is_in:
        await groups.left(chat.id)
    elif is_in:
        await group_joins.on_bot_rights(update, context)


async def on_migrate(update: Update, context: LagContext) -> None:
    """A group became a supergroup: move what is stored to the new id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        await context.services.groups.migrated(message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await context.services.groups.migrated(message.migrate_from_chat_id, message.chat_id)


async def group_member(update: Update, context: LagContext) -> Actor:
    """The person writing in a group, who must be an active member (a stranger is told to join)."""
    user = update.effective_user
    assert user is not None
    actor = await context.services.authorizer.actor(user.id)
    if actor.role is None:
        raise UserError("groups-not-member")
    return actor


async def _group_actor(update: Update, context: LagContext) -> Actor:
    """The person in the group, who must be a coordinator; a stranger is told to join first."""
    actor = await group_member(update, context)
    if not actor.at_least(Role.COORDINATOR):
        raise NotAllowed("groups-link-coordinators-only")
    return actor


async def cmd_verbinden(update: Update, context: LagContext) -> None:
    """Offer what the group can be linked to."""
    chat = update.effective_chat
    assert chat is not None
    if chat.type not in ("group", "supergroup"):
        raise UserError("groups-only-in-groups")
    await _group_actor(update, context)
    svc = context.services
    if await svc.groups.get(chat.id) is None:
        # The bot was added before it could notice (e.g. while it was down): record it now.
        await svc.groups.joined(chat.id, chat.title or "", chat.type, bool(chat.is_forum))
    lang = await language(update, context)
    t = svc.texts.t
    rows = [
        [(t(lang, "groups-link-lag"), encode(FEATURE, Action.LAG))],
        [(t(lang, "groups-link-district"), encode(FEATURE, Action.DISTRICTS))],
        *[
            [(t(lang, f"groups-link-faction-{lv.value}"), encode(FEATURE, Action.FACTION_LEVEL, lv.value))]
            for lv in Level
        ],
    ]
    await send(update, context, lang, "groups-link-choose", rows)


async def on_link_button(update: Update, context: LagContext) -> None:
    """A choice in the link dialog; whoever presses must be a coordinator."""
    press = pressed(update)
    actor = await _group_actor(update, context)
    lang = await language(update, context)
    await _act(update, context, actor, press.cb, lang)
    await press.query.answer()  # only after success: a refusal is shown as the answer instead


async def _act(update: Update, context: LagContext, actor: Actor, cb: Callback, lang: str) -> None:
    chat = update.effective_chat
    assert chat is not None
    svc = context.services
    action = cb.action_of(Action)
    if action is Action.DISTRICTS:
        page = cb.int_arg(0) if cb.args else 0
        buttons = [(d.name, encode(FEATURE, Action.DISTRICT, d.id)) for d in await svc.places.districts()]
        rows = paged(buttons, page, lambda p: encode(FEATURE, Action.DISTRICTS, p))
        await send_or_turn_page(update, context, lang, "groups-link-choose-district", rows, bool(cb.args))
        return
    if action is Action.FACTION_LEVEL:
        level = Level(cb.str_arg(0, tuple(lv.value for lv in Level)))
        page = cb.int_arg(1) if len(cb.args) > 1 else 0
        bodies = await svc.places.bodies(level)
        buttons = [(b.name, encode(FEATURE, Action.FACTION, b.id)) for b in bodies]
        rows = paged(buttons, page, lambda p: encode(FEATURE, Action.FACTION_LEVEL, level.value, p))
        await send_or_turn_page(update, context, lang, "groups-link-choose-body", rows, len(cb.args) > 1)
        return
    ref = cb.int_arg(0) if action is not Action.LAG else None
    # In a forum, the topic where the link was made is where the group's messages will go.
    message = update.effective_message
    thread = message.message_thread_id if chat.is_forum and message is not None else None
    group = await svc.groups.link(actor, chat.id, KINDS[action], ref, thread)
    target = await _target_name(context, lang, group.link_kind, group.territory_id, group.faction_id, ref)
    await send(update, context, lang, "groups-linked", target=target)


async def _target_name(
    context: LagContext,
    lang: str,
    kind: str | None,
    territory_id: int | None,
    faction_id: int | None,
    ref: int | None,
) -> Html:
    svc = context.services
    if kind == "district" and territory_id is not None:
        place = await svc.places.territory(territory_id)
        return Html(html.escape(place.name if place else "?"))
    if kind == "faction" and ref is not None:
        body = await svc.places.body(ref)
        return Html(svc.texts.t(lang, "groups-faction-in", body=body.name if body else "?"))
    return Html(svc.texts.t(lang, "groups-whole-lag"))

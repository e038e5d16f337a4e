"""Who may set and manage reminders where: an active member in private; in a linked group, a
coordinator or an admin of that Telegram group who is an active member."""

from __future__ import annotations

from telegram import ChatMember, Update

from handlers.context import LagContext
from handlers.membership.groups import group_member
from lag_bot.authorization import Actor
from lag_bot.errors import NotAllowed, UserError
from lag_bot.models import GroupChat, Member, Role

_GROUP_ADMIN = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def private_actor(update: Update, context: LagContext) -> tuple[Actor, Member]:
    """The active member writing in private; strangers and members not yet approved are refused."""
    user = update.effective_user
    assert user is not None
    actor = await context.services.authorizer.actor(user.id)
    if actor.member is None:
        raise UserError("common-not-registered")
    if actor.role is None:
        raise UserError("reminder-members-only")
    return actor, actor.member


async def linked_group(update: Update, context: LagContext) -> GroupChat:
    """The linked group the update comes from."""
    chat = update.effective_chat
    assert chat is not None
    group = await context.services.groups.get(chat.id)
    if group is None or not group.active or group.link_kind is None:
        raise UserError("reminder-group-not-linked")
    return group


async def group_manager(update: Update, context: LagContext) -> tuple[Actor, GroupChat, bool]:
    """A coordinator, or an admin of this Telegram group who is an active member (the flag)."""
    group = await linked_group(update, context)
    actor = await group_member(update, context)
    if actor.at_least(Role.COORDINATOR):
        return actor, group, False
    status = (await context.bot.get_chat_member(group.chat_id, actor.telegram_id)).status
    if status not in _GROUP_ADMIN:
        raise NotAllowed("reminder-group-not-allowed")
    return actor, group, True

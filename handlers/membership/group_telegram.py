"""The group gate's way to Telegram (`lag_bot.membership.group_control.GroupControl`) through the
application's bot: Telegram's refusals become RightsMissing (no admin, or a right is missing) or
ControlFailed (anything else, also a network failure)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from telegram import Bot, ChatMemberAdministrator
from telegram.error import BadRequest, Forbidden, TelegramError

from lag_bot.membership.group_control import BotRights, ControlFailed, RightsMissing

T = TypeVar("T")
_RIGHTS_WORDS = ("CHAT_ADMIN_REQUIRED", "not enough rights", "administrator rights")
LINK_NAME = "LAG-Mitglieder"


async def _call(request: Awaitable[T]) -> T:
    try:
        return await request
    except BadRequest as exc:
        if any(word.lower() in exc.message.lower() for word in _RIGHTS_WORDS):
            raise RightsMissing(exc.message) from exc
        raise ControlFailed(exc.message) from exc
    except (Forbidden, TelegramError) as exc:  # no longer in the group, or the network failed:
        raise ControlFailed(exc.message) from exc  # never in the way of an erasure or a decision


class TelegramGroupControl:
    """GroupControl with the application's bot."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def rights(self, chat_id: int) -> BotRights:
        """The bot's rights, from getChatMember."""
        try:
            me = await _call(self.bot.get_chat_member(chat_id, self.bot.id))
        except (RightsMissing, ControlFailed):
            return BotRights(False, False, False)
        if not isinstance(me, ChatMemberAdministrator):
            return BotRights(False, False, False)
        return BotRights(True, bool(me.can_invite_users), bool(me.can_restrict_members))

    async def create_join_link(self, chat_id: int) -> str:
        """createChatInviteLink with creates_join_request."""
        request = self.bot.create_chat_invite_link(chat_id, name=LINK_NAME, creates_join_request=True)
        link = await _call(request)
        return link.invite_link

    async def approve(self, chat_id: int, user_id: int) -> None:
        """approveChatJoinRequest."""
        await _call(self.bot.approve_chat_join_request(chat_id, user_id))

    async def decline(self, chat_id: int, user_id: int) -> None:
        """declineChatJoinRequest."""
        await _call(self.bot.decline_chat_join_request(chat_id, user_id))

    async def remove(self, chat_id: int, user_id: int) -> None:
        """banChatMember, then unbanChatMember(only_if_banned): out, but free to join again later.
        (A basic group keeps no ban list: Telegram refuses the unban there, and none is needed.)"""
        await _call(self.bot.ban_chat_member(chat_id, user_id))
        try:
            await _call(self.bot.unban_chat_member(chat_id, user_id, only_if_banned=True))
        except ControlFailed as exc:
            if "supergroup" not in str(exc):
                raise

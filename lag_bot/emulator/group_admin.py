"""A group admin's methods, as strict as Telegram: invite links (with join requests), answering
join requests, banning and unbanning. Each needs the bot to be an admin with the right for it."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from .access import readable_chat
from .models import bad_request
from .request_params import as_bool, as_int
from .sim import SimUser
from .sim_group import SimGroup

if TYPE_CHECKING:
    from .server import FakeTelegram

Params = dict[str, Any]


def _group(fake: FakeTelegram, params: Params, right: str, refusal: str) -> SimGroup:
    chat = readable_chat(fake, params.get("chat_id"))
    if not isinstance(chat, SimGroup):
        raise bad_request("chat not found")
    if not chat.bot_admin:
        raise bad_request("CHAT_ADMIN_REQUIRED")
    if not chat.bot_may(right):
        raise bad_request(refusal)
    return chat


def _user(fake: FakeTelegram, params: Params) -> SimUser:
    user = fake.users.get(as_int(params, "user_id"))
    if user is None:
        raise bad_request("PARTICIPANT_ID_INVALID")
    return user


async def create_chat_invite_link(fake: FakeTelegram, params: Params) -> Any:
    """createChatInviteLink: a new link; with creates_join_request no member_limit."""
    chat = _group(fake, params, "can_invite_users", "not enough rights to manage chat invite link")
    join_request = as_bool(params, "creates_join_request")
    if join_request and params.get("member_limit") not in (None, ""):
        raise bad_request("member limit can't be specified for links requiring administrator approval")
    name = str(params.get("name") or "")
    if len(name) > 32:
        raise bad_request("invite link name is too long")
    link = "https://t.me/+" + secrets.token_urlsafe(12)
    chat.invite_links[link] = join_request
    return fake.invite_link_json(link, join_request, name)


async def _answer_request(fake: FakeTelegram, params: Params, approve: bool) -> Any:
    chat = _group(fake, params, "can_invite_users", "CHAT_ADMIN_REQUIRED")
    user = _user(fake, params)
    if user.id in chat.members:
        raise bad_request("USER_ALREADY_PARTICIPANT")
    if user.id not in chat.join_requests:
        raise bad_request("HIDE_REQUESTER_MISSING")
    chat.join_requests.discard(user.id)
    if approve:
        chat.members[user.id] = user
        chat.member_update(user, "left", "member", by=None)
    return True


async def approve_chat_join_request(fake: FakeTelegram, params: Params) -> Any:
    """approveChatJoinRequest: the user becomes a member (chat_member left -> member)."""
    return await _answer_request(fake, params, approve=True)


async def decline_chat_join_request(fake: FakeTelegram, params: Params) -> Any:
    """declineChatJoinRequest."""
    return await _answer_request(fake, params, approve=False)


_RESTRICT = "not enough rights to restrict/unrestrict chat member"


async def ban_chat_member(fake: FakeTelegram, params: Params) -> Any:
    """banChatMember: out of the group and kept out until unbanned (chat_member -> kicked)."""
    chat = _group(fake, params, "can_restrict_members", _RESTRICT)
    user = _user(fake, params)
    if user.id in chat.admins:
        raise bad_request("user is an administrator of the chat")
    was_in = user.id in chat.members
    chat.members.pop(user.id, None)
    chat.join_requests.discard(user.id)
    chat.banned.add(user.id)
    if was_in:
        chat.member_update(user, "member", "kicked", by=None)
    return True


async def unban_chat_member(fake: FakeTelegram, params: Params) -> Any:
    """unbanChatMember (supergroups only): may join again. Without only_if_banned, a member who
    is not banned is removed, as on Telegram."""
    chat = _group(fake, params, "can_restrict_members", _RESTRICT)
    if chat.type != "supergroup":
        raise bad_request("method is available for supergroup and channel chats only")
    user = _user(fake, params)
    if user.id in chat.banned:
        chat.banned.discard(user.id)
    elif user.id in chat.members and not as_bool(params, "only_if_banned"):
        if user.id in chat.admins:
            raise bad_request("user is an administrator of the chat")
        chat.members.pop(user.id, None)
        chat.member_update(user, "member", "left", by=None)
    return True

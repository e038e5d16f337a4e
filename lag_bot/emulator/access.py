"""Which chats the bot may read and write, with Telegram's errors for the others."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .models import bad_request, forbidden
from .sim import SimUser
from .sim_group import SimGroup

if TYPE_CHECKING:
    from .server import FakeTelegram


def readable_chat(fake: FakeTelegram, value: Any) -> SimUser | SimGroup:
    """The chat the bot may look at, or Telegram's error."""
    if value is None or value == "":
        raise bad_request("chat_id is empty")
    try:
        chat_id = int(value)
    except (TypeError, ValueError):
        raise bad_request("chat not found") from None
    if chat_id in fake.migrated:
        raise bad_request(
            "group chat was upgraded to a supergroup chat", {"migrate_to_chat_id": fake.migrated[chat_id]}
        )
    chat = fake.users.get(chat_id) or fake.groups.get(chat_id)
    if chat is None:
        raise bad_request("chat not found")
    if isinstance(chat, SimGroup) and chat.bot_status != "member":
        verb = "was kicked from" if chat.bot_status == "kicked" else "is not a member of"
        raise forbidden(f"bot {verb} the {chat.type} chat")
    return chat

def writable_chat(fake: FakeTelegram, params: dict[str, Any]) -> SimUser | SimGroup:
    """The chat the bot may send to, or Telegram's error."""
    chat = readable_chat(fake, params.get("chat_id"))
    if isinstance(chat, SimUser):
        if chat.blocked:
            raise forbidden("bot was blocked by the user")
        # A join request lets the bot write to the person for 5 minutes (user_chat_id).
        asked = chat.join_requested_at is not None and time.monotonic() - chat.join_requested_at < 300
        if not chat.started and not asked:
            raise forbidden("bot can't initiate conversation with a user")
    return chat

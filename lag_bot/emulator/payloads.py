"""Telegram JSON objects (User, Chat, Message, ChatMember...) that PTB can de_json."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from .models import SimMessage

if TYPE_CHECKING:
    from .server import FakeTelegram
    from .sim import SimUser

_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}


def now() -> int:
    """Telegram dates are Unix seconds."""
    return int(time.time())


def member_json(user: dict[str, Any], status: str, rights: dict[str, bool] | None = None) -> dict[str, Any]:
    """A ChatMember of the given status (an administrator's rights: all but promoting, or `rights`)."""
    data: dict[str, Any] = {"user": user, "status": status}
    if status == "administrator":
        data.update(_ADMIN_RIGHTS)
        data.update(rights or {})
    elif status == "creator":
        data["is_anonymous"] = False
    elif status == "kicked":
        data["until_date"] = 0  # forever
    return data


def file_json(file_id: str, size: int) -> dict[str, Any]:
    """The common part of Document/PhotoSize."""
    return {"file_id": file_id, "file_unique_id": "u" + file_id, "file_size": size}


def message_json(fake: FakeTelegram, message: SimMessage, *, depth: int = 0) -> dict[str, Any]:
    """The Message object for a stored message (bot's or a user's)."""
    chat = fake.chat_of(message.chat_id)
    data: dict[str, Any] = {"message_id": message.message_id, "date": message.date or now()}
    data["chat"] = chat.chat_json() if chat is not None else {"id": message.chat_id, "type": "private"}
    sender: SimUser | None = fake.users.get(message.from_user_id or 0)
    if message.from_bot:
        data["from"] = fake.bot_json()
    elif sender is not None:
        data["from"] = sender.user_json()
    if message.message_thread_id is not None:
        data["message_thread_id"] = message.message_thread_id
        if data["chat"].get("is_forum"):
            data["is_topic_message"] = True
    if message.edits:
        data["edit_date"] = now()
    media = message.document is not None or message.photo
    text_key, entities_key = ("caption", "caption_entities") if media else ("text", "entities")
    if message.text or text_key == "text":
        data[text_key] = message.text
    if message.entities:
        data[entities_key] = message.entities
    if message.document is not None:
        doc = message.document
        data["document"] = {**file_json(doc.file_id, len(doc.content)), "file_name": doc.file_name}
        if doc.mime_type:
            data["document"]["mime_type"] = doc.mime_type
    if message.photo_file is not None:
        photo = message.photo_file
        data["photo"] = [{**file_json(photo.file_id, len(photo.content)), "width": 320, "height": 240}]
    if message.reply_markup is not None and "inline_keyboard" in message.reply_markup:
        data["reply_markup"] = message.reply_markup
    if message.reply_to_message_id is not None and depth == 0 and chat is not None:
        replied = chat.find(message.reply_to_message_id)
        if replied is not None:
            data["reply_to_message"] = message_json(fake, replied, depth=1)
    return data


def command_entities(text: str) -> list[dict[str, Any]]:
    """A bot_command entity for a leading "/cmd" or "/cmd@bot" token, as Telegram's clients produce."""
    if not text.startswith("/") or len(text) < 2 or text[1].isspace():
        return []
    token = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": len(token.encode("utf-16-le")) // 2}]

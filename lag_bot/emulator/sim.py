"""Simulated people: what they do becomes Updates for the bot (their groups: sim_group.py)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .chats import DEFAULT_TIMEOUT, ChatLog, NoMessageError
from .models import Button, Document, SimMessage
from .payloads import command_entities, member_json, message_json, now
from .sim_group import SimGroup

if TYPE_CHECKING:
    from .server import FakeTelegram


class SimUser(ChatLog):
    """A Telegram user; the ChatLog part is the private chat with the bot (chat id == user id)."""

    def __init__(
        self,
        fake: FakeTelegram,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "de",
    ) -> None:
        super().__init__()
        self._fake = fake
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.started = False
        self.blocked = False
        self.join_requested_at: float | None = None  # monotonic time of their last join request

    def user_json(self) -> dict[str, Any]:
        """The User object."""
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def chat_json(self) -> dict[str, Any]:
        """The private Chat object."""
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        for key in ("last_name", "username"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data

    def _my_chat_member(self, old: str, new: str) -> None:
        bot = self._fake.bot_json()
        self._fake.updates.put(
            "my_chat_member",
            {
                "chat": self.chat_json(),
                "from": self.user_json(),
                "date": now(),
                "old_chat_member": member_json(bot, old),
                "new_chat_member": member_json(bot, new),
            },
        )

    def block(self) -> None:
        """The user blocks the bot: sends to her fail with 403; the bot gets my_chat_member (kicked)."""
        if not self.blocked:
            self.blocked = True
            self._my_chat_member("member", "kicked")

    def unblock(self) -> None:
        """The user unblocks the bot (my_chat_member back to member)."""
        if self.blocked:
            self.blocked = False
            self._my_chat_member("kicked", "member")

    def _message(
        self,
        chat: ChatLog,
        chat_id: int,
        text: str,
        reply_to: SimMessage | None,
        document: Document | None = None,
        topic: int | None = None,
    ) -> SimMessage:
        message = SimMessage(
            message_id=chat.new_message_id(),
            chat_id=chat_id,
            text=text,
            from_bot=False,
            reply_to_message_id=reply_to.message_id if reply_to else None,
            message_thread_id=topic,
            date=now(),
            entities=[] if document else command_entities(text),
            from_user_id=self.id,
            document=document,
        )
        chat.record_user_message(message)
        if not isinstance(chat, SimGroup) or chat.bot_status == "member":
            self._fake.updates.put("message", message_json(self._fake, message))
        return message  # when the bot is not in the group it sees nothing

    async def send(self, text: str, reply_to: SimMessage | None = None) -> SimMessage:
        """Send a text message to the bot in private (starts/unblocks the chat)."""
        self.unblock()
        self.started = True
        return self._message(self, self.id, text, reply_to)

    async def send_in(
        self, group: SimGroup, text: str, reply_to: SimMessage | None = None, topic: int | None = None
    ) -> SimMessage:
        """Send a text message in a group (joining it if needed); in a forum, `topic` is the thread
        id from `create_topic` (None: the General topic, whose messages carry no thread id)."""
        if topic is not None and topic not in group.topics:
            raise AssertionError(f"no open topic {topic} in {group.title!r}; topics: {group.topics}")
        group.members.setdefault(self.id, self)
        return self._message(group, group.id, text, reply_to, topic=topic)

    async def send_document(
        self, content: bytes, file_name: str, caption: str = "", mime_type: str | None = None
    ) -> SimMessage:
        """Send a file to the bot in private; the bot can fetch it with getFile."""
        self.unblock()
        self.started = True
        document = self._fake.store_file(file_name, mime_type, content)
        return self._message(self, self.id, caption, None, document)

    async def press(self, message: SimMessage, label: str) -> str:
        """Press the inline button labelled `label` (or with that callback_data); returns the query id."""
        current = self._current_bot_message(message)
        buttons = [b for row in current.buttons for b in row]
        chosen: Button | None = next((b for b in buttons if b.text == label), None)
        chosen = chosen or next((b for b in buttons if b.callback_data == label), None)
        if chosen is None:
            raise AssertionError(
                f"no button {label!r} on message {current.message_id} ({current.text[:120]!r}); "
                f"buttons: {[(b.text, b.callback_data) for b in buttons]}"
            )
        if chosen.callback_data is None:
            raise AssertionError(f"button {label!r} is a URL/other button, it has no callback_data")
        return await self.press_data(current, chosen.callback_data)

    async def press_data(self, message: SimMessage, data: str) -> str:
        """A (possibly forged) callback query with arbitrary data on a bot message."""
        current = self._current_bot_message(message)
        chat = self._fake.chat_of(current.chat_id)
        assert chat is not None
        chat.mark_action()
        query_id = self._fake.new_callback_query()
        payload = {
            "id": query_id,
            "from": self.user_json(),
            "message": message_json(self._fake, current),
            "chat_instance": f"ci{current.chat_id}",
            "data": data,
        }
        if not isinstance(chat, SimGroup) or chat.bot_status == "member":
            self._fake.updates.put("callback_query", payload)
        return query_id

    def _current_bot_message(self, message: SimMessage) -> SimMessage:
        chat = self._fake.chat_of(message.chat_id)
        if not message.from_bot or chat is None:
            raise AssertionError(f"message {message.message_id} is not a bot message in a known chat")
        if isinstance(chat, SimGroup):
            chat.members.setdefault(self.id, self)
        elif chat is not self:
            raise AssertionError(f"{self.first_name} cannot press in {chat.first_name}'s private chat")
        current = chat.find(message.message_id)
        if current is None:
            raise AssertionError(f"message {message.message_id} was deleted by the bot")
        return current

    async def callback_answer(
        self,
        query_id: str,
        timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    ) -> dict[str, Any]:
        """Wait until the bot answers the callback query; returns {"text": ..., "show_alert": ...}."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (answer := self._fake.callback_answers.get(query_id)) is None:
            if loop.time() >= deadline:
                raise NoMessageError(f"callback query {query_id} not answered within {timeout}s")
            await asyncio.sleep(0.01)
        return answer

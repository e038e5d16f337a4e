"""Simulated groups: members, the bot's membership, forum topics, migration to a supergroup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .chats import ChatLog
from .payloads import member_json, now

if TYPE_CHECKING:
    from .server import FakeTelegram
    from .sim import SimUser


class SimGroup(ChatLog):
    """A group (or supergroup) with members; the ChatLog part holds the bot's messages there."""

    def __init__(
        self, fake: FakeTelegram, chat_id: int, title: str, supergroup: bool = False, forum: bool = False
    ) -> None:
        super().__init__()
        self._fake = fake
        self.id = chat_id
        self.title = title
        self.type = "supergroup" if supergroup or forum else "group"
        self.is_forum = forum
        self.topics: dict[int, str] = {}  # forum topics by thread id (deleted ones are gone)
        self.members: dict[int, SimUser] = {}
        self.admins: set[int] = set()
        self.bot_status = "left"  # "left" | "member" | "kicked"

    def chat_json(self) -> dict[str, Any]:
        """The Chat object."""
        data: dict[str, Any] = {"id": self.id, "type": self.type, "title": self.title}
        if self.is_forum:
            data["is_forum"] = True
        return data

    def set_admin(self, user: SimUser) -> None:
        """getChatMember/getChatAdministrators report the user as administrator."""
        self.members.setdefault(user.id, user)
        self.admins.add(user.id)

    def status_of(self, user_id: int) -> str:
        """The user's membership status here."""
        if user_id == self._fake.bot_id:
            return "administrator" if self.bot_status == "member" else self.bot_status
        if user_id in self.admins:
            return "administrator"
        return "member" if user_id in self.members else "left"

    def _bot_membership(self, by: SimUser, old: str, new: str) -> None:
        self.bot_status = new
        bot = self._fake.bot_json()
        self.mark_action()
        self._fake.updates.put(
            "my_chat_member",
            {
                "chat": self.chat_json(),
                "from": by.user_json(),
                "date": now(),
                "old_chat_member": member_json(bot, old),
                "new_chat_member": member_json(bot, new),
            },
        )

    def _service_message(self, by: SimUser | None, message_id: int | None = None, **fields: Any) -> None:
        message_id = message_id or self.new_message_id()
        data: dict[str, Any] = {"message_id": message_id, "date": now(), "chat": self.chat_json()}
        if by is not None:
            data["from"] = by.user_json()
        data.update(fields)
        self.mark_action()
        if self.bot_status == "member":
            self._fake.updates.put("message", data)

    async def add_bot(self, by: SimUser) -> None:
        """`by` adds the bot: my_chat_member (left -> member) and a new_chat_members message."""
        self.members.setdefault(by.id, by)
        self._bot_membership(by, self.bot_status if self.bot_status != "member" else "left", "member")
        self._service_message(by, new_chat_members=[self._fake.bot_json()])

    async def remove_bot(self, by: SimUser) -> None:
        """`by` removes the bot: my_chat_member (member -> kicked); later sends get 403."""
        self._bot_membership(by, "member", "kicked")

    async def create_topic(self, name: str, by: SimUser) -> int:
        """`by` creates a forum topic; its thread id is the id of the forum_topic_created message."""
        if not self.is_forum:
            raise AssertionError(f"{self.title!r} is not a forum: it has no topics")
        self.members.setdefault(by.id, by)
        thread_id = self.new_message_id()
        self.topics[thread_id] = name
        self._service_message(
            by,
            thread_id,
            message_thread_id=thread_id,
            is_topic_message=True,
            forum_topic_created={"name": name, "icon_color": 7322096},
        )
        return thread_id

    def delete_topic(self, thread_id: int) -> None:
        """An admin deletes the topic: sends to it then fail with "message thread not found".
        Telegram sends the bot no update for this."""
        if self.topics.pop(thread_id, None) is None:
            raise AssertionError(f"no topic {thread_id} in {self.title!r}")

    async def migrate(self, new_id: int, by: SimUser | None = None) -> SimGroup:
        """Upgrade to a supergroup with `new_id`; the old id then answers 400 with migrate_to_chat_id."""
        actor = by or next(iter(self.members.values()), None)
        old_id = self.id
        self._service_message(actor, migrate_to_chat_id=new_id)
        self._fake.migrate_group(self, new_id)
        self.id, self.type = new_id, "supergroup"
        self._service_message(actor, migrate_from_chat_id=old_id)
        return self

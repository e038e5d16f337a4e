"""Simulated groups: members, the bot's membership, forum topics, migration to a supergroup."""

from __future__ import annotations

import time
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
        # In the group, the bot is an admin with every right but promoting, unless a test demotes it
        # (bot_admin False) or takes single rights away (bot_rights, e.g. {"can_invite_users": False}).
        self.bot_admin = True
        self.bot_rights: dict[str, bool] = {}
        self.invite_links: dict[str, bool] = {}  # link -> creates join requests
        self.join_requests: set[int] = set()  # user ids waiting for the bot's answer
        self.banned: set[int] = set()

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
            if self.bot_status == "member":
                return "administrator" if self.bot_admin else "member"
            return self.bot_status
        if user_id in self.banned:
            return "kicked"
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

    # --- members joining and leaving, the bot's rights (chat_member updates reach admins only) ----

    def bot_may(self, right: str) -> bool:
        """Whether the bot is in the group as an admin with this right."""
        return self.bot_status == "member" and self.bot_admin and self.bot_rights.get(right, True)

    def member_update(self, user: SimUser, old: str, new: str, by: SimUser | None = None) -> None:
        """A chat_member update about `user`, if the bot is an admin here (as on Telegram)."""
        self.mark_action()
        if self.bot_may("can_manage_chat"):
            self._fake.updates.put(
                "chat_member",
                {
                    "chat": self.chat_json(),
                    "from": (by or user).user_json(),
                    "date": now(),
                    "old_chat_member": member_json(user.user_json(), old),
                    "new_chat_member": member_json(user.user_json(), new),
                },
            )

    async def request_join(self, user: SimUser, link: str) -> None:
        """`user` opens a join-request link: a chat_join_request for the bot (which may then write
        to them for 5 minutes, even if they never started it)."""
        if not self.invite_links.get(link, False):
            raise AssertionError(f"{link!r} is no join-request link of {self.title!r}")
        if user.id in self.banned or user.id in self.members:
            raise AssertionError(f"{user.first_name} cannot ask to join {self.title!r}")
        self.join_requests.add(user.id)
        user.join_requested_at = time.monotonic()
        self.mark_action()
        self._fake.updates.put(
            "chat_join_request",
            {
                "chat": self.chat_json(),
                "from": user.user_json(),
                "user_chat_id": user.id,
                "date": now(),
                "invite_link": self._fake.invite_link_json(link, True),
            },
        )

    async def join(self, user: SimUser) -> None:
        """`user` joins (by an ordinary link, or added by someone): chat_member left -> member."""
        if user.id in self.banned:
            raise AssertionError(f"{user.first_name} is banned from {self.title!r}")
        self.members[user.id] = user
        self.member_update(user, "left", "member")

    async def leave(self, user: SimUser) -> None:
        """`user` leaves the group: chat_member member -> left."""
        self.members.pop(user.id, None)
        self.admins.discard(user.id)
        self.member_update(user, "member", "left")

    async def demote_bot(self, by: SimUser) -> None:
        """An admin takes the bot's admin rights away: my_chat_member administrator -> member."""
        self.bot_admin = False
        self._rights_changed(by, "administrator", "member")

    async def promote_bot(self, by: SimUser, **rights: bool) -> None:
        """An admin makes the bot an admin again (`rights`: e.g. can_invite_users=False)."""
        self.bot_admin, self.bot_rights = True, dict(rights)
        self._rights_changed(by, "member", "administrator")

    def _rights_changed(self, by: SimUser, old: str, new: str) -> None:
        bot = self._fake.bot_json()
        rights = self.bot_rights if new == "administrator" else None
        self.mark_action()
        self._fake.updates.put(
            "my_chat_member",
            {
                "chat": self.chat_json(),
                "from": by.user_json(),
                "date": now(),
                "old_chat_member": member_json(bot, old),
                "new_chat_member": member_json(bot, new, rights),
            },
        )

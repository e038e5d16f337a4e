"""What the group gate needs Telegram to do, as a small protocol the handler layer fulfils (like
`delivery.sender.Transport`): the bot's rights in a group, its join-request link, answering join
requests, and removing someone (ban, then unban, so that they could join again later)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class BotRights:
    """The bot's standing in a group, as getChatMember reports it."""

    admin: bool
    can_invite: bool
    can_restrict: bool

    def missing(self, *needed: str) -> tuple[str, ...]:
        """Which of `needed` ("admin", "invite", "restrict") the bot lacks, in that order."""
        have = {"admin": self.admin, "invite": self.admin and self.can_invite}
        have["restrict"] = self.admin and self.can_restrict
        return tuple(name for name in ("admin", "invite", "restrict") if name in needed and not have[name])


class RightsMissing(Exception):
    """Telegram refused because the bot is no (longer an) admin with the needed right."""


class ControlFailed(Exception):
    """Telegram refused for another reason (the request was answered already, the user is gone)."""


class GroupControl(Protocol):
    """Telegram's side of the gate; each call raises RightsMissing or ControlFailed on refusal."""

    async def rights(self, chat_id: int) -> BotRights:
        """The bot's rights in the group."""

    async def create_join_link(self, chat_id: int) -> str:
        """A new invite link of the group that creates join requests."""

    async def approve(self, chat_id: int, user_id: int) -> None:
        """Approve a pending join request."""

    async def decline(self, chat_id: int, user_id: int) -> None:
        """Decline a pending join request."""

    async def remove(self, chat_id: int, user_id: int) -> None:
        """Remove the user from the group without a lasting ban."""

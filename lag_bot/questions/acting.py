"""Who may act for a faction — claim, answer, pass on, decline, agree to the archive — in one place.

    responder = Responder(member, group_chat_id=chat.id)         # pressed or replied in a group
    responder = Responder(member, groups=telegram_membership)    # in private
    await FactionRule(routing).check(responder, faction_id)      # NotAllowed, or nothing

The rule: an active member, and
- in a group: the group is linked to that faction (whoever writes there is in it);
- in private: a coordinator named them a contact person of the faction, or Telegram confirms they
  are in one of the faction's linked groups (asked through `GroupMembership`, which the handler
  layer fulfils with getChatMember).
A mandate in the profile alone never counts: members enter it themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from lag_bot.errors import NotAllowed
from lag_bot.models import Member, Status
from lag_bot.questions.routing import Routing


class GroupMembership(Protocol):
    """Evidence from Telegram: whether a person is in a group now."""

    async def is_member(self, chat_id: int, telegram_id: int) -> bool:
        """True if `telegram_id` is a member of the group `chat_id` (False if it cannot tell)."""
        ...


class NoEvidence:
    """No one is confirmed in any group (for callers acting in a group, or without Telegram)."""

    async def is_member(self, chat_id: int, telegram_id: int) -> bool:
        """Never."""
        return False


NO_EVIDENCE = NoEvidence()


@dataclass(frozen=True)
class Responder:
    """A member acting for a faction, where they act, and how Telegram can vouch for them."""

    member: Member
    group_chat_id: int | None = None  # the group they wrote or pressed in
    groups: GroupMembership = NO_EVIDENCE


class FactionRule:
    """Decides whether a responder may act for a faction (see the module docstring)."""

    def __init__(self, routing: Routing) -> None:
        self.routing = routing

    async def check(self, responder: Responder, faction_id: int) -> None:
        """NotAllowed unless the responder belongs to the faction."""
        if not await self.allows(responder, faction_id):
            raise NotAllowed("question-not-your-faction")

    async def allows(self, responder: Responder, faction_id: int) -> bool:
        """Whether the responder belongs to the faction (NotAllowed for someone not an active member)."""
        member = responder.member
        if member.status is not Status.ACTIVE:
            raise NotAllowed("question-members-only")
        if responder.group_chat_id is not None:
            group = await self.routing.chats.get(responder.group_chat_id)
            return (
                group is not None
                and group.active
                and group.link_kind == "faction"
                and group.faction_id == faction_id
            )
        if await self.routing.belongs(member.id, faction_id):
            return True
        for group in await self.routing.groups(faction_id):
            if await responder.groups.is_member(group.chat_id, member.telegram_id):
                return True
        return False

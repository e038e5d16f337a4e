"""Who may do what: the one place where roles are checked, for commands and buttons alike.

    actor = await authorizer.require(telegram_id, Role.COORDINATOR)   # raises NotAllowed

`ADMIN_IDS` from the settings are admins whether or not they finished onboarding; otherwise the
stored role counts only while the member is active.
"""

from __future__ import annotations

from dataclasses import dataclass

from lag_bot.errors import NotAllowed
from lag_bot.models import Member, Role, Status
from lag_bot.repositories.members import MemberRepository


@dataclass(frozen=True)
class Actor:
    """A person acting, with their role as it is right now."""

    telegram_id: int
    member: Member | None
    role: Role | None

    @property
    def member_id(self) -> int | None:
        """The internal member id, for the audit log."""
        return self.member.id if self.member else None

    def at_least(self, role: Role) -> bool:
        """Whether the actor holds `role` or a higher one."""
        return self.role is not None and self.role.rank >= role.rank

    def require(self, role: Role) -> None:
        """NotAllowed unless the actor holds `role` (or higher) right now."""
        if not self.at_least(role):
            raise NotAllowed()


class Authorizer:
    """Resolves the current role of a Telegram user from the database and the settings."""

    def __init__(self, members: MemberRepository, admin_ids: frozenset[int]) -> None:
        self.members = members
        self.admin_ids = admin_ids

    async def actor(self, telegram_id: int) -> Actor:
        """The person with their effective role (None for strangers and inactive members)."""
        member = await self.members.by_telegram_id(telegram_id)
        return Actor(telegram_id, member, self.role_of(telegram_id, member))

    def role_of(self, telegram_id: int, member: Member | None) -> Role | None:
        """The effective role of a person."""
        if telegram_id in self.admin_ids:
            return Role.ADMIN
        if member is None or member.status is not Status.ACTIVE:
            return None
        # "admin" comes only from ADMIN_IDS: someone removed from the setting is a member again.
        return Role.MEMBER if member.role is Role.ADMIN else member.role

    async def require(self, telegram_id: int, role: Role) -> Actor:
        """The actor, if they hold at least `role`; else NotAllowed."""
        actor = await self.actor(telegram_id)
        if not actor.at_least(role):
            raise NotAllowed()
        return actor

"""Read-only lookups of members and their profiles for screens: the member list, a profile, who
decides on applicants. Changes go through `Membership` and `Profile`."""

from __future__ import annotations

from lag_bot.models import Mandate, Member, ProfileDetails, Role
from lag_bot.repositories.member_search import MemberFilter as MemberFilter  # handlers read it from here
from lag_bot.repositories.member_search import MemberSearchRepository
from lag_bot.repositories.members import MemberRepository


class Profiles:
    """Members as the screens show them."""

    def __init__(self, members: MemberRepository) -> None:
        self.members = members
        self.list = MemberSearchRepository(members.db)

    async def get(self, member_id: int) -> Member | None:
        """The member with this internal id, if any."""
        return await self.members.get(member_id)

    async def with_details(self, telegram_id: int) -> tuple[Member, ProfileDetails] | None:
        """The member behind a Telegram id with their profile details."""
        return await self.members.with_details(telegram_id)

    async def details(self, member: Member) -> ProfileDetails:
        """Topics, mandates and the latest consent of a member."""
        return await self.members.details(member.id, member.telegram_id)

    async def mandates(self, member_id: int) -> list[Mandate]:
        """The member's mandates with their topics."""
        return await self.members.mandates(member_id)

    async def topic_ids(self, member_id: int) -> tuple[int, ...]:
        """The member's topics of interest."""
        return await self.members.topic_ids(member_id)

    async def search(self, flt: MemberFilter, limit: int, offset: int) -> tuple[list[Member], int]:
        """One page of the member list, and how many match in all."""
        return await self.list.page(flt, limit, offset)

    async def deciders(self) -> list[Member]:
        """The active coordinators and admins with a profile: they decide on applicants."""
        return await self.members.with_role_at_least(Role.COORDINATOR)

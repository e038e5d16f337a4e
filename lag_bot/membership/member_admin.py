"""Coordinators' decisions about members: approve or reject an applicant (and the approval cards
that show it), suspend and reinstate, promote and demote. Each change and its audit entry share
one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from lag_bot.authorization import Actor
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed, NotFound, Stale
from lag_bot.models import Member, Role, Status
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.member_approval_cards import ApprovalCardRepository
from lag_bot.repositories.members import MemberRepository


@dataclass(frozen=True)
class Decision:
    """The result of a coordinator's approve/reject."""

    member: Member
    approved: bool


@dataclass(frozen=True)
class Closed:
    """A decision made while its approval cards were still going out, and who made it (None: an
    admin without a profile)."""

    decision: Decision
    actor: Member | None


class MemberAdmin:
    """What coordinators (and admins) decide about members."""

    def __init__(self, db: Database, clock: Clock, admin_ids: frozenset[int]) -> None:
        self.db = db
        self.clock = clock
        self.admin_ids = admin_ids
        self.members = MemberRepository(db)
        self.cards = ApprovalCardRepository(db)
        self.audit = AuditRepository(db)

    def now(self) -> str:
        """The current time as stored."""
        return iso(self.clock())

    async def decide(self, actor: Actor, member_id: int, approve: bool) -> Decision:
        """A coordinator approves or rejects a pending member; a second decision is Stale."""
        actor.require(Role.COORDINATOR)
        status = Status.ACTIVE if approve else Status.REJECTED
        async with self.db.transaction():
            if not await self.members.set_status(member_id, status, self.now(), expect=(Status.PENDING,)):
                raise Stale("approval-already-decided")
            action = "member.approve" if approve else "member.reject"
            await self.audit.record(self.now(), actor.member_id, action, member_id)
        member = await self.members.get(member_id)
        assert member is not None
        return Decision(member, approve)

    async def keep_approval_card(self, member_id: int, chat_id: int, message_id: int) -> Closed | None:
        """Remember an approval card just sent to a coordinator. If the member was decided on while
        the cards were still going out, the decision: whoever decided closed only the cards known
        then, so the caller closes this one (the check and the insert share one transaction)."""
        async with self.db.transaction():
            await self.cards.add_approval_card(member_id, chat_id, message_id)
            member = await self.members.get(member_id)
            if member is None or member.status not in (Status.ACTIVE, Status.REJECTED):
                return None
            approved = member.status is Status.ACTIVE
            actions = ("member.approve",) if approved else ("member.reject",)
            actor_id = await self.audit.last_actor(member_id, actions)
        actor = await self.members.get(actor_id) if actor_id is not None else None
        return Closed(Decision(member, approved), actor)

    async def suspend(self, actor: Actor, member_id: int, suspended: bool) -> Member:
        """Suspend an active member, or reinstate a suspended one."""
        actor.require(Role.COORDINATOR)
        target = await self._target(member_id)
        if target.role.rank >= Role.COORDINATOR.rank and not actor.at_least(Role.ADMIN):
            raise NotAllowed()
        new, old = (Status.SUSPENDED, Status.ACTIVE) if suspended else (Status.ACTIVE, Status.SUSPENDED)
        async with self.db.transaction():
            if not await self.members.set_status(member_id, new, self.now(), expect=(old,)):
                raise Stale()
            action = "member.suspend" if suspended else "member.reinstate"
            await self.audit.record(self.now(), actor.member_id, action, member_id)
        return await self._target(member_id)

    async def set_role(self, actor: Actor, member_id: int, role: Role) -> Member:
        """Admins promote members to coordinators and demote them; admins come from ADMIN_IDS."""
        actor.require(Role.ADMIN)
        target = await self._target(member_id)
        if role is Role.ADMIN or target.telegram_id in self.admin_ids:
            raise InvalidInput("members-role-admin-fixed")
        if target.status is not Status.ACTIVE:
            raise InvalidInput("members-role-needs-active")
        if target.role is role:
            raise Stale()
        async with self.db.transaction():
            await self.members.set_role(member_id, role)
            await self.audit.record(
                self.now(), actor.member_id, "member.role", member_id, {"role": role.value}
            )
        return await self._target(member_id)

    async def approval_cards(self, member_id: int) -> list[tuple[int, int]]:
        """The (chat_id, message_id) of the approval cards about the member."""
        return await self.cards.approval_cards(member_id)

    async def take_approval_cards(self, member_id: int) -> list[tuple[int, int]]:
        """Forget the approval cards about the member (before an erasure) and return them."""
        async with self.db.transaction():
            return await self.cards.take_approval_cards(member_id)

    async def _target(self, member_id: int) -> Member:
        member = await self.members.get(member_id)
        if member is None:
            raise NotFound("members-unknown")
        return member

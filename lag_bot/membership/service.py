"""Membership: consent, profile, approval, roles, suspension, export and erasure.

Every change runs in one transaction; every privileged change is written to the audit log in
the same transaction, so the log and the data cannot disagree.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lag_bot.authorization import Actor, Authorizer
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed, NotFound, Stale
from lag_bot.membership.profile_rules import check_function, clean_display_name
from lag_bot.models import Member, Role, Status
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.consents import ConsentRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.personal_data import PersonalDataRepository
from lag_bot.repositories.territory import TerritoryRepository

log = logging.getLogger(__name__)

PRIVACY_VERSION = "2026-11-21"
# Keeps a profile (and the approval card showing it) well inside Telegram's 4096 characters.
MAX_MANDATES = 8


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


class Membership:
    """The rules of joining, changing and leaving."""

    def __init__(self, db: Database, authorizer: Authorizer, clock: Clock) -> None:
        self.db = db
        self.auth = authorizer
        self.clock = clock
        self.members = MemberRepository(db)
        self.territory = TerritoryRepository(db)
        self.consents = ConsentRepository(db)
        self.audit = AuditRepository(db)
        self.personal = PersonalDataRepository(db)

    def now(self) -> str:
        """The current time as stored."""
        return iso(self.clock())

    async def consent(self, telegram_id: int, language: str, granted: bool) -> Member | None:
        """Store a consent decision; on consent create the member (or return the existing one)."""
        async with self.db.transaction():
            await self.consents.record(telegram_id, PRIVACY_VERSION, granted, self.now())
            existing = await self.members.by_telegram_id(telegram_id)
            if not granted or existing is not None:
                return existing
            return await self.members.create(telegram_id, language, self.now())

    async def set_name(self, member: Member, raw: str) -> str:
        """Change the display name after checking it."""
        name = clean_display_name(raw)
        async with self.db.transaction():
            await self.members.update_fields(member.id, display_name=name)
        return name

    async def set_language(self, member: Member, language: str) -> None:
        """Change the member's language."""
        async with self.db.transaction():
            await self.members.update_fields(member.id, language=language)

    async def set_directory(self, member: Member, opt_in: bool) -> None:
        """Opt in or out of the member directory."""
        async with self.db.transaction():
            await self.members.update_fields(member.id, directory_opt_in=int(opt_in))

    async def set_district(self, member: Member, district_id: int) -> None:
        """Set the district; a municipality of another district is cleared."""
        district = await self.territory.territory(district_id)
        if district is None or district.kind not in ("landkreis", "kreisfreie_stadt"):
            raise NotFound("profile-district-unknown")
        municipality = member.municipality_id
        if municipality is not None:
            current = await self.territory.territory(municipality)
            if current is None or current.parent_id != district_id:
                municipality = None
        async with self.db.transaction():
            await self.members.update_fields(member.id, district_id=district_id, municipality_id=municipality)

    async def set_municipality(self, member: Member, municipality_id: int | None) -> None:
        """Set the municipality (must lie in the member's district) or clear it."""
        if municipality_id is not None:
            place = await self.territory.territory(municipality_id)
            if place is None or place.parent_id != member.district_id:
                raise NotFound("profile-municipality-unknown")
        async with self.db.transaction():
            await self.members.update_fields(member.id, municipality_id=municipality_id)

    async def add_mandate(
        self, member: Member, body_id: int, function: str, topic_ids: tuple[int, ...]
    ) -> None:
        """Add a mandate in an existing body with a known function and topics."""
        if await self.territory.body(body_id) is None:
            raise NotFound("profile-body-unknown")
        check_function(function)
        current = await self.members.mandates(member.id)
        if len(current) >= MAX_MANDATES and body_id not in {m.body_id for m in current}:
            raise InvalidInput("profile-mandates-limit", max=MAX_MANDATES)
        known = {t.id for t in await self.territory.topics()}
        if not set(topic_ids) <= known:
            raise NotFound("profile-topic-unknown")
        async with self.db.transaction():
            await self.members.add_mandate(member.id, body_id, function, topic_ids)

    async def clear_mandates(self, member: Member) -> None:
        """Remove all mandates (the member re-enters them)."""
        async with self.db.transaction():
            await self.members.remove_mandates(member.id)

    async def set_topics(self, member: Member, topic_ids: tuple[int, ...]) -> None:
        """Replace the topics of interest."""
        known = {t.id for t in await self.territory.topics()}
        if not set(topic_ids) <= known:
            raise NotFound("profile-topic-unknown")
        async with self.db.transaction():
            await self.members.set_topics(member.id, tuple(sorted(set(topic_ids))))

    async def submit(self, member: Member) -> Member:
        """Finish onboarding: active at once for admins and invitees, else pending approval."""
        if member.district_id is None or not member.display_name:
            raise InvalidInput("onboarding-incomplete")
        via_invite = member.joined_via_invite is not None
        active = via_invite or member.telegram_id in self.auth.admin_ids
        status = Status.ACTIVE if active else Status.PENDING
        async with self.db.transaction():
            if not await self.members.set_status(
                member.id, status, self.now(), expect=(Status.ONBOARDING, Status.REJECTED)
            ):
                raise Stale()
            if via_invite:
                await self.audit.record(self.now(), member.id, "member.join_by_invite", member.id)
        fresh = await self.members.get(member.id)
        assert fresh is not None
        return fresh

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
            await self.members.add_approval_card(member_id, chat_id, message_id)
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
        if role is Role.ADMIN or target.telegram_id in self.auth.admin_ids:
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

    async def export(self, member: Member) -> dict[str, Any]:
        """Everything stored about the member, for `/meinedaten`."""
        data = await self.personal.collect(member.id, member.telegram_id)
        data["privacy_version_current"] = PRIVACY_VERSION
        return data

    async def erase(self, telegram_id: int) -> bool:
        """Erase the person from every table; True if anything was stored."""
        member = await self.members.by_telegram_id(telegram_id)
        async with self.db.transaction():
            await self.personal.erase(member.id if member else None, telegram_id)
            # The entry says that an erasure happened, not whom it concerned.
            await self.audit.record(self.now(), None, "member.erase")
        log.info("erased member #%s", member.id if member else "-")
        return member is not None

    async def log_access(
        self,
        actor: Actor,
        action: str,
        target_id: int | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """Record a privileged look (member list, export) in the audit log."""
        async with self.db.transaction():
            await self.audit.record(self.now(), actor.member_id, action, target_id, detail)

    async def _target(self, member_id: int) -> Member:
        member = await self.members.get(member_id)
        if member is None:
            raise NotFound("members-unknown")
        return member

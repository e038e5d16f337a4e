"""Groups follow membership: a linked group's gate (members only, automatic removal), the answer
to each join request, and who the bot knows to be in which group (from their messages, join
requests and chat_member updates: only the group and the member id).

Who may join: coordinators and admins every linked group; other active members the whole LAG's
groups, their district's, and a faction's group if they hold a mandate in its body or a
coordinator named them a contact person of the faction. Leaving, suspension and rejection:
`group_leaving.GroupLeaving`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lag_bot.authorization import Actor, Authorizer
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed
from lag_bot.membership.group_control import ControlFailed, GroupControl, RightsMissing
from lag_bot.models import Member, Role, Status
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.group_members import Gate as Gate  # handlers read it from here
from lag_bot.repositories.group_members import GroupMemberRepository
from lag_bot.repositories.members import MemberRepository

log = logging.getLogger(__name__)
# The rights each setting needs (see BotRights.missing).
NEEDS = {"members_only": ("admin", "invite"), "auto_remove": ("admin", "restrict")}


@dataclass(frozen=True)
class Switched:
    """A setting switched, or not, because the bot lacks these rights."""

    gate: Gate
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class JoinAnswer:
    """How a join request was answered: `reason` is the catalog key of the private message;
    `rights_lost`: Telegram refused for lack of rights, and this is the first time for the group."""

    approved: bool
    reason: str
    language: str | None
    rights_lost: bool = False


class GroupGate:
    """The gate of each linked group and the record of who is in it."""

    def __init__(self, db: Database, clock: Clock, authorizer: Authorizer) -> None:
        self.db = db
        self.clock = clock
        self.auth = authorizer
        self.repo = GroupMemberRepository(db)
        self.members = MemberRepository(db)
        self.audit = AuditRepository(db)
        self._known: set[tuple[int, int]] = set()  # (chat id, member id) already stored

    async def gate(self, actor: Actor, chat_id: int) -> Gate:
        """A linked group's gate, for a coordinator."""
        if not actor.at_least(Role.COORDINATOR):
            raise NotAllowed("groups-link-coordinators-only")
        gate = await self.repo.gate(chat_id)
        if gate is None or gate.link_kind is None:
            raise InvalidInput("gate-not-linked")
        return gate

    async def switch(
        self, actor: Actor, chat_id: int, setting: str, on: bool, control: GroupControl
    ) -> Switched:
        """Switch "members only" or "automatic removal"; switching on checks the bot's rights first
        (and "members only" creates the group's join-request link)."""
        assert setting in NEEDS, setting
        gate = await self.gate(actor, chat_id)
        link = gate.join_link
        if on:
            missing = (await control.rights(chat_id)).missing(*NEEDS[setting])
            if missing:
                return Switched(gate, missing)
            if setting == "members_only":
                try:
                    link = await control.create_join_link(chat_id)
                except RightsMissing:
                    return Switched(gate, ("invite",))
        async with self.db.transaction():
            if setting == "members_only":
                await self.repo.set_gate(chat_id, members_only=int(on), join_link=link if on else None)
            else:
                await self.repo.set_gate(chat_id, auto_remove=int(on))
            if on:
                await self.repo.set_gate(chat_id, rights_lost=0)
            detail = {"group": gate.group_id, "setting": setting, "on": on}
            await self.audit.record(iso(self.clock()), actor.member_id, "group.gate", None, detail)
        fresh = await self.repo.gate(chat_id)
        assert fresh is not None
        return Switched(fresh)

    async def join_request(self, chat_id: int, telegram_id: int, control: GroupControl) -> JoinAnswer:
        """Approve the request if the person may be in the group, else decline it (every join request
        in a group the bot administers, whether or not the group is "members only"); audited."""
        actor = await self.auth.actor(telegram_id)
        gate = await self.repo.gate(chat_id)
        reason = await self._refusal(actor, gate)
        approved = reason is None
        member = actor.member
        language = member.language if member else None
        try:
            if approved:
                await control.approve(chat_id, telegram_id)
            else:
                await control.decline(chat_id, telegram_id)
        except RightsMissing:
            return JoinAnswer(False, "gate-join-later", language, await self.rights_lost(chat_id))
        except ControlFailed as exc:  # answered meanwhile (by an admin) or withdrawn: nothing to do
            log.info("join request in %s not answered: %s", chat_id, exc)
            return JoinAnswer(False, "", language)
        async with self.db.transaction():
            if approved and member is not None:
                await self.repo.seen(chat_id, member.id)
            detail = {"group": gate.group_id if gate else None, "reason": reason or "fits"}
            action = "group.join_approve" if approved else "group.join_decline"
            await self.audit.record(iso(self.clock()), None, action, member.id if member else None, detail)
        return JoinAnswer(approved, "gate-join-approved" if approved else str(reason), language)

    async def _refusal(self, actor: Actor, gate: Gate | None) -> str | None:
        """Why the person may not join the group (a catalog key), None if they may."""
        member = actor.member
        if gate is None or gate.link_kind is None:
            return "gate-join-not-linked"
        if actor.at_least(Role.COORDINATOR):
            return None
        if member is None or member.status in (Status.ONBOARDING, Status.REJECTED):
            return "gate-join-not-member"
        if member.status is Status.PENDING:
            return "gate-join-pending"
        if member.status is not Status.ACTIVE:
            return "gate-join-inactive"
        return None if await self.fits(member, gate) else "gate-join-other-group"

    async def fits(self, member: Member, gate: Gate) -> bool:
        """Whether the group is one for the (active) member."""
        if gate.link_kind == "lag":
            return True
        if gate.link_kind == "district":
            return member.district_id is not None and member.district_id == gate.territory_id
        if gate.link_kind == "faction" and gate.faction_id is not None:
            return await self.repo.belongs_to_faction(member.id, gate.faction_id)
        return False

    async def joinable(self, member: Member) -> list[Gate]:
        """The members-only groups the member may join and is not known to be in."""
        if member.status is not Status.ACTIVE:
            return []
        inside = {g.group_id for g in await self.repo.groups_of(member.id)}
        coordinator = (await self.auth.actor(member.telegram_id)).at_least(Role.COORDINATOR)
        return [
            g
            for g in await self.repo.open_gates()
            if g.group_id not in inside and (coordinator or await self.fits(member, g))
        ]

    async def seen(self, chat_id: int, telegram_id: int) -> None:
        """Someone wrote in a group or joined it: remember it if they are a member."""
        member = await self.members.by_telegram_id(telegram_id)
        if member is None or (chat_id, member.id) in self._known:
            return
        async with self.db.transaction():
            await self.repo.seen(chat_id, member.id)
        self._known.add((chat_id, member.id))

    async def gone(self, chat_id: int, telegram_id: int) -> None:
        """Someone left a group or was removed."""
        member = await self.members.by_telegram_id(telegram_id)
        if member is None:
            return
        self._known.discard((chat_id, member.id))
        async with self.db.transaction():
            await self.repo.gone(chat_id, member.id)

    async def rights_lost(self, chat_id: int) -> bool:
        """The bot lost its admin rights in a group; True the first time (the coordinators are told)."""
        async with self.db.transaction():
            gate = await self.repo.gate(chat_id)
            if gate is None or gate.rights_lost or not (gate.members_only or gate.auto_remove):
                return False
            await self.repo.set_gate(chat_id, rights_lost=1)
        log.warning("group %s: the bot lost its admin rights", chat_id)
        return True

    async def rights_back(self, chat_id: int) -> None:
        """The bot is an admin again: a later loss is reported again."""
        async with self.db.transaction():
            await self.repo.set_gate(chat_id, rights_lost=0)

    def forget(self, member_id: int) -> None:
        """Drop the in-memory marks of a member (their rows went with a removal or an erasure)."""
        self._known = {k for k in self._known if k[1] != member_id}

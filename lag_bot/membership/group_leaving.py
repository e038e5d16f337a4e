"""When someone leaves the LAG (`/austreten`), is suspended or rejected: the groups they are known
to be in. Groups with automatic removal remove them at once; the rest wait, as a removal holding
only their Telegram id and the chat ids, for one coordinator's confirmation. Every removal is
audited (without names or Telegram ids)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from lag_bot.authorization import Actor, Authorizer
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed, Stale
from lag_bot.membership.group_control import ControlFailed, GroupControl, RightsMissing
from lag_bot.membership.group_gate import GroupGate
from lag_bot.models import Role, Status
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.group_members import Gate, GroupMemberRepository
from lag_bot.repositories.members import MemberRepository

log = logging.getLogger(__name__)
REASONS = ("leave", "suspend", "reject")
# A removal nobody confirmed is forgotten after this many days (a retention rule, see lag_bot/services.py).
KEEP_REMOVALS_DAYS = 30


@dataclass
class Departure:
    """What happened to someone's groups: removed at once, and what waits for a confirmation
    (`removal_id` None: nothing waits). `rights_lost`: chat ids where the bot just lost its rights."""

    name: str | None
    removed: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    removal_id: int | None = None
    rights_lost: list[int] = field(default_factory=list)


class GroupLeaving:
    """Removal from the groups after leaving, suspension or rejection."""

    def __init__(self, db: Database, clock: Clock, authorizer: Authorizer, gate: GroupGate) -> None:
        self.db = db
        self.clock = clock
        self.auth = authorizer
        self.gate = gate
        self.repo = GroupMemberRepository(db)
        self.members = MemberRepository(db)
        self.audit = AuditRepository(db)

    async def departed(self, telegram_id: int, reason: str, control: GroupControl) -> Departure:
        """Note the member's groups (before an erasure: the rows go with it), remove them where
        removal is automatic, and keep the rest for a coordinator's confirmation."""
        assert reason in REASONS
        member = await self.members.by_telegram_id(telegram_id)
        if member is None:
            return Departure(None)
        departure = Departure(None if reason == "leave" else member.display_name)
        groups = await self.repo.groups_of(member.id)
        waiting: list[Gate] = []
        for group in groups:
            if group.auto_remove and await self._remove(control, telegram_id, group, reason, None, departure):
                departure.removed.append(group.title)
            else:
                waiting.append(group)
        async with self.db.transaction():
            if reason == "leave":
                await self.repo.forget_member(member.id)
            if waiting:
                departure.removal_id = await self.repo.add_removal(
                    telegram_id, reason, [g.chat_id for g in waiting], iso(self.clock())
                )
        if reason == "leave":
            self.gate.forget(member.id)
        departure.waiting = [g.title for g in waiting]
        return departure

    async def confirm(self, actor: Actor, removal_id: int, control: GroupControl) -> Departure:
        """A coordinator confirms a removal: the person is removed from each group, then it is gone.
        Groups where Telegram refused stay in it (`removal_id` set) for another try."""
        if not actor.at_least(Role.COORDINATOR):
            raise NotAllowed()
        removal = await self.repo.removal(removal_id)
        if removal is None:
            raise Stale("gate-removal-done")
        member = await self.members.by_telegram_id(removal.telegram_id)
        # Stale when the person is back: active again after a suspension or rejection, or, after
        # leaving, a member anew (the new membership decides which groups they may be in).
        if member is not None and (removal.reason == "leave" or member.status is Status.ACTIVE):
            async with self.db.transaction():
                await self.repo.drop_removal(removal_id)
            raise InvalidInput("gate-removal-active-again")
        departure = Departure(member.display_name if member and removal.reason != "leave" else None)
        for chat_id in removal.chat_ids:
            group = await self.repo.gate(chat_id)
            if group is None:
                continue
            if await self._remove(control, removal.telegram_id, group, removal.reason, actor, departure):
                departure.removed.append(group.title)
                async with self.db.transaction():
                    await self.repo.drop_removal_chat(removal_id, group.group_id)
            else:
                departure.waiting.append(group.title)
        if departure.waiting:
            departure.removal_id = removal_id
            return departure
        async with self.db.transaction():
            if not await self.repo.drop_removal(removal_id):
                raise Stale("gate-removal-done")  # another coordinator confirmed meanwhile
        return departure

    async def _remove(
        self,
        control: GroupControl,
        telegram_id: int,
        group: Gate,
        reason: str,
        actor: Actor | None,
        departure: Departure,
    ) -> bool:
        """Remove the person from one group and audit it; False if Telegram refused."""
        try:
            await control.remove(group.chat_id, telegram_id)
        except RightsMissing:
            if await self.gate.rights_lost(group.chat_id):
                departure.rights_lost.append(group.chat_id)
            return False
        except ControlFailed as exc:
            log.info("removal from %s failed: %s", group.chat_id, exc)
            return False
        member = await self.members.by_telegram_id(telegram_id)
        async with self.db.transaction():
            if member is not None:
                await self.repo.gone(group.chat_id, member.id)
                self.gate.forget(member.id)
            detail = {"group": group.group_id, "reason": reason, "automatic": actor is None}
            await self.audit.record(
                iso(self.clock()),
                actor.member_id if actor else None,
                "group.remove",
                member.id if member else None,
                detail,
            )
        return True

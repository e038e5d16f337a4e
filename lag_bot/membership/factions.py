"""`/fraktionen` for coordinators: the faction in each body, its linked groups, its contact people per
topic, its deadline and whether it answers as a faction.

    view = await factions.view(actor, body_id)          # FactionView (faction None: none yet)
    faction = await factions.create(actor, body_id)
    await factions.add_contact(actor, faction.id, member_id, topic_id=None)   # None: every topic

Every change re-checks the role and lands in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from lag_bot.authorization import Actor
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotFound
from lag_bot.models import Body, GroupChat, Level, Member, Role, Status
from lag_bot.questions.models import DEADLINE_CHOICES, Contact, Faction
from lag_bot.questions.routing import district_of
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.chats import ChatRepository
from lag_bot.repositories.factions import FactionRepository
from lag_bot.repositories.member_search import MemberFilter, MemberSearchRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.territory import TerritoryRepository
from lag_bot.text_input import one_line

FOUND_MAX = 10  # members listed for a typed name


@dataclass(frozen=True)
class FactionView:
    """A body with its faction (if any), the faction's groups and contact people."""

    body: Body
    faction: Faction | None
    groups: tuple[GroupChat, ...] = ()
    contacts: tuple[Contact, ...] = ()

    @property
    def reachable(self) -> bool:
        """Whether a question can reach the faction."""
        return bool(self.groups or self.contacts)


class Factions:
    """Configures the factions for the question relay."""

    def __init__(self, db: Database, clock: Clock, territory: TerritoryRepository) -> None:
        self.db = db
        self.clock = clock
        self.territory = territory
        self.repo = FactionRepository(db)
        self.chats = ChatRepository(db)
        self.members = MemberRepository(db)
        self.search = MemberSearchRepository(db)
        self.audit = AuditRepository(db)

    async def bodies(self, actor: Actor, level: Level, district_id: int | None) -> list[FactionView]:
        """The bodies of a level (municipal and district levels: in one district) with their factions."""
        actor.require(Role.COORDINATOR)
        found = []
        for body in await self.territory.bodies():
            if body.level is not level:
                continue
            if (
                district_id is not None
                and await district_of(self.territory, body.territory_id) != district_id
            ):
                continue
            found.append(await self._view(body))
        return found

    async def view(self, actor: Actor, body_id: int) -> FactionView:
        """One body and its faction."""
        actor.require(Role.COORDINATOR)
        body = await self.territory.body(body_id)
        if body is None:
            raise NotFound("faction-body-unknown")
        return await self._view(body)

    async def create(self, actor: Actor, body_id: int) -> FactionView:
        """Set up the faction in a body (nothing changes if it exists)."""
        view = await self.view(actor, body_id)
        async with self.db.transaction():
            faction_id = await self.territory.faction_for_body(view.body.id, view.body.name)
            await self._log(actor, "faction.create", faction_id, {})
        return await self._view(view.body)

    async def set_deadline(self, actor: Actor, faction_id: int, days: int) -> Faction:
        """Days from a question to its deadline (one of DEADLINE_CHOICES)."""
        faction = await self._faction(actor, faction_id)
        if days not in DEADLINE_CHOICES:
            raise InvalidInput("faction-deadline-invalid")
        async with self.db.transaction():
            await self.repo.set_deadline_days(faction.id, days)
            await self._log(actor, "faction.deadline", faction.id, {"days": days})
        return await self._faction(actor, faction_id)

    async def toggle_answer_as_faction(self, actor: Actor, faction_id: int) -> Faction:
        """Switch between answers signed by the person and answers signed only by the faction."""
        faction = await self._faction(actor, faction_id)
        async with self.db.transaction():
            await self.repo.set_answer_as_faction(faction.id, not faction.answer_as_faction)
            await self._log(actor, "faction.answer_as", faction.id, {"on": not faction.answer_as_faction})
        return await self._faction(actor, faction_id)

    async def add_contact(self, actor: Actor, faction_id: int, member_id: int, topic_id: int | None) -> bool:
        """Name an active member as contact person for a topic (None: every topic)."""
        faction = await self._faction(actor, faction_id)
        member = await self.members.get(member_id)
        if member is None or member.status is not Status.ACTIVE:
            raise NotFound("faction-member-unknown")
        if topic_id is not None and topic_id not in {t.id for t in await self.territory.topics()}:
            raise NotFound("question-topic-unknown")
        async with self.db.transaction():
            added = await self.repo.add_contact(faction.id, member.id, topic_id)
            if added:
                await self._log(
                    actor, "faction.contact_add", faction.id, {"member": member.id, "topic": topic_id}
                )
        return added

    async def remove_contact(self, actor: Actor, faction_id: int, contact_id: int) -> None:
        """Remove one contact entry."""
        faction = await self._faction(actor, faction_id)
        async with self.db.transaction():
            if not await self.repo.remove_contact(faction.id, contact_id):
                raise NotFound("faction-contact-unknown")
            await self._log(actor, "faction.contact_remove", faction.id, {"contact": contact_id})

    async def candidates(self, actor: Actor, faction_id: int) -> list[tuple[int, str]]:
        """Members with a mandate in the faction's body: the likely contact people (the look is
        audited)."""
        faction = await self._faction(actor, faction_id)
        found = await self.repo.mandate_holders(faction.id)
        async with self.db.transaction():
            await self._log(actor, "faction.candidates", faction.id, {"count": len(found)})
        return found

    async def find_members(self, actor: Actor, text: str) -> list[Member]:
        """Active members whose name contains the typed text (the look is audited)."""
        actor.require(Role.COORDINATOR)
        needle = one_line(text)
        if len(needle) < 2:
            raise InvalidInput("faction-search-short")
        found, _ = await self.search.page(MemberFilter(status=Status.ACTIVE, search=needle), FOUND_MAX, 0)
        async with self.db.transaction():  # the audit holds how many it found, never the words
            await self.audit.record(
                iso(self.clock()), actor.member_id, "faction.member_search", None, {"count": len(found)}
            )
        return found

    async def faction(self, actor: Actor, faction_id: int) -> Faction:
        """One faction (coordinators only)."""
        return await self._faction(actor, faction_id)

    async def _faction(self, actor: Actor, faction_id: int) -> Faction:
        actor.require(Role.COORDINATOR)
        faction = await self.repo.get(faction_id)
        if faction is None:
            raise NotFound("question-faction-unknown")
        return faction

    async def _view(self, body: Body) -> FactionView:
        faction = await self.repo.of_body(body.id)
        if faction is None:
            return FactionView(body, None)
        groups = tuple(
            g for g in await self.chats.active() if g.link_kind == "faction" and g.faction_id == faction.id
        )
        return FactionView(body, faction, groups, tuple(await self.repo.contacts(faction.id)))

    async def _log(self, actor: Actor, action: str, faction_id: int, detail: dict[str, object]) -> None:
        await self.audit.record(
            iso(self.clock()), actor.member_id, action, None, {"faction": faction_id, **detail}
        )

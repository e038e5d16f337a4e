"""Where a question can go and whom it reaches there.

    routing = Routing(db, territory, admin_ids, "de")
    await routing.suggestions(member)                  # my Kreistag faction, the Landtag faction
    await routing.factions_at(Level.GEMEINDE, district_id)
    await routing.resolve(draft)                       # the factions, or InvalidInput / NotFound
    groups, people = await routing.recipients(faction, topic_id, skip_member=asker_id)

Only factions that can be reached are offered: a linked group the bot is in, or a contact person
it can write to. With a group, the question goes there and to the contact people for its topic;
without one, to the contact people for its topic, else to those for every topic, else to all.
"""

from __future__ import annotations

from lag_bot.audience import Recipient
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotFound
from lag_bot.models import GroupChat, Level, Member, Role, Territory
from lag_bot.questions.models import Draft, Faction
from lag_bot.repositories.chats import ChatRepository
from lag_bot.repositories.factions import FactionRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.territory import TerritoryRepository

DISTRICT_KINDS = ("landkreis", "kreisfreie_stadt")


class Routing:
    """Finds factions and their recipients."""

    def __init__(
        self, db: Database, territory: TerritoryRepository, admin_ids: frozenset[int], default_language: str
    ) -> None:
        self.factions = FactionRepository(db)
        self.chats = ChatRepository(db)
        self.members = MemberRepository(db)
        self.territory = territory
        self.admin_ids = admin_ids
        self.default_language = default_language

    async def reachable(self) -> list[Faction]:
        """Every faction a question can reach, by name."""
        ids = await self.factions.reachable_ids()
        return [f for f in await self.factions.all() if f.id in ids]

    async def suggestions(self, member: Member) -> list[Faction]:
        """The Kreistag faction of the member's district and the Landtag faction(s), if reachable."""
        found = [f for f in await self.reachable() if f.level is Level.LAND]
        if member.district_id is not None:
            kreis = [
                f
                for f in await self.reachable()
                if f.level is Level.KREIS and f.territory_id == member.district_id
            ]
            found = kreis + found
        return found

    async def factions_at(self, level: Level, district_id: int | None) -> list[Faction]:
        """The reachable factions of one level (for municipal and district levels: in one district)."""
        found = [f for f in await self.reachable() if f.level is level]
        if level is Level.LAND or district_id is None:
            return found
        return [f for f in found if await self._district_of(f) == district_id]

    async def districts_for(self, level: Level) -> list[Territory]:
        """The districts with at least one reachable faction of `level`."""
        wanted = {await self._district_of(f) for f in await self.reachable() if f.level is level}
        return [d for d in await self.territory.districts() if d.id in wanted]

    async def local_factions(self, district_id: int) -> list[Faction]:
        """The reachable municipal factions of a district (for "all local factions")."""
        return await self.factions_at(Level.GEMEINDE, district_id)

    async def resolve(self, draft: Draft) -> list[Faction]:
        """The factions a draft addresses: each must exist and be reachable; "all local factions of
        a district" must find at least one."""
        if draft.scope_district_id is not None:
            district = await self.territory.territory(draft.scope_district_id)
            if district is None or district.kind not in DISTRICT_KINDS:
                raise NotFound("question-district-unknown")
            found = await self.local_factions(district.id)
            if not found:
                raise InvalidInput("question-no-local-factions", district=district.name)
            return found
        if not draft.faction_ids:
            raise InvalidInput("question-no-target")
        reachable = await self.factions.reachable_ids()
        chosen: list[Faction] = []
        for faction_id in dict.fromkeys(draft.faction_ids):
            faction = await self.factions.get(faction_id)
            if faction is None:
                raise NotFound("question-faction-unknown")
            if faction.id not in reachable:
                raise InvalidInput("question-faction-unreachable", faction=faction.name)
            chosen.append(faction)
        return chosen

    async def groups(self, faction_id: int) -> list[GroupChat]:
        """The groups linked to the faction that the bot is in."""
        return [
            g for g in await self.chats.active() if g.link_kind == "faction" and g.faction_id == faction_id
        ]

    async def recipients(
        self, faction: Faction, topic_id: int | None, skip_member: int | None = None
    ) -> tuple[list[Recipient], list[Recipient]]:
        """(groups, contact people) a question of `topic_id` reaches in the faction."""
        groups = [
            Recipient(chat_id=g.chat_id, group_id=g.id, thread_id=g.thread_id)
            for g in await self.groups(faction.id)
        ]
        contacts = [c for c in await self.factions.contact_chats(faction.id) if c[0] != skip_member]
        chosen = [c for c in contacts if topic_id is not None and c[3] == topic_id]
        if not groups and not chosen:
            chosen = [c for c in contacts if c[3] is None] or contacts
        people: dict[int, Recipient] = {}
        for member_id, telegram_id, language, _ in chosen:
            people.setdefault(
                member_id, Recipient(chat_id=telegram_id, member_id=member_id, language=language)
            )
        return groups, list(people.values())

    async def belongs(self, member_id: int, faction_id: int) -> bool:
        """Whether a coordinator named the member a contact person of the faction (one part of
        `lag_bot.questions.acting.FactionRule`)."""
        return faction_id in await self.factions.of_member(member_id)

    async def coordinators(self) -> list[Recipient]:
        """Everyone who coordinates: active coordinators and admins, and the configured admins."""
        people = {
            m.telegram_id: Recipient(chat_id=m.telegram_id, member_id=m.id, language=m.language)
            for m in await self.members.with_role_at_least(Role.COORDINATOR)
        }
        for admin_id in sorted(self.admin_ids):
            if admin_id not in people:
                member = await self.members.by_telegram_id(admin_id)
                people[admin_id] = Recipient(
                    chat_id=admin_id,
                    member_id=member.id if member else None,
                    language=member.language if member else self.default_language,
                )
        return list(people.values())

    async def district_of_body(self, faction: Faction) -> Territory | None:
        """The district a faction's body lies in (the state for the Landtag: None)."""
        district_id = await self._district_of(faction)
        return await self.territory.territory(district_id) if district_id is not None else None

    async def _district_of(self, faction: Faction) -> int | None:
        return await district_of(self.territory, faction.territory_id)


async def district_of(territory: TerritoryRepository, territory_id: int) -> int | None:
    """The district (Landkreis, kreisfreie Stadt) a body seated in `territory_id` belongs to;
    None for the state."""
    place = await territory.territory(territory_id)
    if place is None or place.kind == "land":
        return None
    if place.kind in DISTRICT_KINDS:
        return place.id
    return place.parent_id

"""What an audience can be narrowed to: the districts, bodies and topics of the map, and the
linked groups. Read by the audience picker of broadcasts, segment reminders and events."""

from __future__ import annotations

from lag_bot.db import Database
from lag_bot.models import Body, GroupChat, Territory, Topic
from lag_bot.repositories.chats import ChatRepository
from lag_bot.repositories.territory import TerritoryRepository


class Segments:
    """The values a segment dimension offers, and the groups one may pick."""

    def __init__(self, db: Database, territory: TerritoryRepository) -> None:
        self.territory = territory
        self.chats = ChatRepository(db)

    async def districts(self) -> list[Territory]:
        """Landkreise and kreisfreie Städte, by kind and name."""
        return await self.territory.districts()

    async def bodies(self) -> list[Body]:
        """All bodies, by name."""
        return await self.territory.bodies()

    async def topics(self) -> list[Topic]:
        """All topics."""
        return await self.territory.topics()

    async def linked_groups(self) -> list[GroupChat]:
        """The active groups linked to the association, by title."""
        return [g for g in await self.chats.active() if g.link_kind]

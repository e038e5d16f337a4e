"""Read-only lookups in the working group's map (districts, places, bodies, topics) for screens.

Handlers read the map through this service instead of the repository; it shares the repository's
snapshot, so a `load-territory` is seen by both.
"""

from __future__ import annotations

from lag_bot.models import Body, Level, Member, Territory, Topic
from lag_bot.repositories.territory import TerritoryRepository


class Places:
    """Districts, their places, bodies and topics, as the lists show them."""

    def __init__(self, territory: TerritoryRepository) -> None:
        self.repo = territory

    async def districts(self) -> list[Territory]:
        """The Landkreise and kreisfreie Städte."""
        return await self.repo.districts()

    async def children(self, parent_id: int) -> list[Territory]:
        """The places inside a district."""
        return await self.repo.children(parent_id)

    async def has_places(self, district_id: int | None) -> bool:
        """Whether the district has municipalities to choose from."""
        return bool(await self.repo.children(district_id or 0))

    async def territory(self, territory_id: int) -> Territory | None:
        """One district or place."""
        return await self.repo.territory(territory_id)

    async def body(self, body_id: int) -> Body | None:
        """One council or parliament."""
        return await self.repo.body(body_id)

    async def bodies(self, level: Level | None = None) -> list[Body]:
        """Every body (of one level)."""
        bodies = await self.repo.bodies()
        return bodies if level is None else [b for b in bodies if b.level is level]

    async def topics(self) -> list[Topic]:
        """The topics, in their fixed order."""
        return await self.repo.topics()

    async def topic_names(self, lang: str) -> dict[int, str]:
        """Topic names by id, in `lang`."""
        return {t.id: t.name(lang) for t in await self.repo.topics()}

    async def bodies_for(self, member: Member, level: Level) -> list[Body]:
        """The bodies a member may hold a mandate in at `level`: the Landtag; their district's
        Kreistag; the councils of their district's places (their own municipality's first)."""
        if level is Level.LAND:
            state = await self.repo.state()
            return await self.repo.bodies_of(state.id, level) if state else []
        if member.district_id is None:
            return []
        bodies = await self.repo.bodies_of(member.district_id, level)
        if level is Level.GEMEINDE:
            for place in await self.repo.children(member.district_id):
                bodies.extend(await self.repo.bodies_of(place.id, level))
            if member.municipality_id is not None:
                bodies.sort(key=lambda b: b.territory_id != member.municipality_id)
        return bodies

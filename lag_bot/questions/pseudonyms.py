"""How a pseudonymous asker is described, and how many members the description fits.

"ein Mitglied aus dem Landkreis Rostock, Kreisebene" nearly names the asker when only one or two
active members match it. So the asking dialog counts the crowd first and, below the threshold
(setting PSEUDONYM_MIN_MATCHES), warns and offers coarser descriptions:

    scope "district"  ein Mitglied aus dem Landkreis Rostock, Kreisebene   (district and level)
    scope "level"     ein Mitglied, Kreisebene                             (level only)
    scope "state"     ein Mitglied aus Mecklenburg-Vorpommern              (the state only)

    crowd = await pseudonyms.crowd(member, "district")        # active members it fits (asker too)
    district_id, level, body_id = await pseudonyms.described(member, "level")   # what is stored
"""

from __future__ import annotations

from dataclasses import replace

from lag_bot.db import Database
from lag_bot.models import Member
from lag_bot.questions.lookup import QuestionLookup
from lag_bot.questions.render import Asker
from lag_bot.repositories.pseudonyms import PseudonymRepository

SCOPES = ("district", "level", "state")  # from the finest description to the coarsest
COARSER = ("level", "state")  # offered when the finest fits too few


class Pseudonyms:
    """Describes askers at a scope and counts who else a description fits."""

    def __init__(self, db: Database, lookup: QuestionLookup) -> None:
        self.lookup = lookup
        self.repo = PseudonymRepository(db)

    async def described(self, member: Member, scope: str) -> tuple[int | None, str | None, int | None]:
        """(district, level, body) as stored for a question asked at `scope`: the level only drops
        the district; the state stands in for district and level. A coarser scope keeps no body:
        the asker chose to hide the council they sit in, so the row does not hold it either."""
        district_id, level, body_id = await self.lookup.asker_now(member)
        if scope == "level":
            return None, level, None
        if scope == "state":
            state = await self.lookup.territory.state()
            return (state.id if state else None), None, None
        return district_id, level, body_id

    async def preview(self, member: Member, scope: str) -> Asker:
        """The asker as the faction would see the pseudonym at `scope`."""
        district_id, level, _ = await self.described(member, scope)
        place = await self.lookup.territory.territory(district_id) if district_id else None
        asker = await self.lookup.asker_preview(member)
        return replace(
            asker,
            identity="pseudonymous",
            district=place.name if place else None,
            district_kind=place.kind if place else None,
            level=level,
        )

    async def crowd(self, member: Member, scope: str) -> int:
        """How many active members (the asker among them) the description at `scope` fits."""
        district_id, level, _ = await self.described(member, scope)
        if scope == "state":
            return await self.repo.active()
        return await self.repo.matches(district_id, level)

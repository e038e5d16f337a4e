"""Reading a question and what surrounds it: the question, one faction's target, the faction, who
asked, the names a card shows. Every part of the questions service reads through one `QuestionLookup`.

    lookup = QuestionLookup(db, territory)
    question = await lookup.get(question_id)           # or NotFound
    asker = await lookup.asker(question)               # what may be said about who asked
"""

from __future__ import annotations

from collections.abc import Callable

from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotFound
from lag_bot.models import Level, Member, Territory, Topic
from lag_bot.questions.models import Faction, Question, Target
from lag_bot.questions.render import Asker, CardFacts
from lag_bot.repositories.factions import FactionRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.questions import QuestionRepository
from lag_bot.repositories.territory import TerritoryRepository

_LEVEL_ORDER = (Level.GEMEINDE, Level.KREIS, Level.LAND)


class QuestionLookup:
    """Reads questions, targets, factions and askers."""

    def __init__(self, db: Database, territory: TerritoryRepository) -> None:
        self.repo = QuestionRepository(db)
        self.factions = FactionRepository(db)
        self.members = MemberRepository(db)
        self.territory = territory

    async def get(self, question_id: int) -> Question:
        """One question, or NotFound."""
        question = await self.repo.get(question_id)
        if question is None:
            raise NotFound("question-unknown")
        return question

    async def target(self, target_id: int) -> Target:
        """One target, or NotFound."""
        target = await self.repo.target(target_id)
        if target is None:
            raise NotFound("question-unknown")
        return target

    async def targets(self, question_id: int) -> list[Target]:
        """The factions a question was addressed to, oldest first."""
        return await self.repo.targets(question_id)

    async def still_open_now(self, question: Question, target: Target) -> tuple[Question, Target]:
        """The question and the target as stored now, if the factions may still act on them (call
        inside the transaction that acts: a close or a pass-on meanwhile is seen, not overwritten)."""
        question, target = await self.get(question.id), await self.target(target.id)
        still_open(question, target)
        return question, target

    async def linked(self, chat_id: int, message_id: int) -> tuple[int, str] | None:
        """(target id, side) of a bot message that carries a question thread, else None."""
        return await self.repo.message_target(chat_id, message_id)

    async def faction(self, faction_id: int) -> Faction:
        """One faction, or NotFound."""
        faction = await self.factions.get(faction_id)
        if faction is None:
            raise NotFound("question-faction-unknown")
        return faction

    async def member_name(self, member_id: int | None) -> str:
        """A member's display name ("?" for one who is gone)."""
        member = await self.members.get(member_id) if member_id is not None else None
        return (member.display_name if member else None) or "?"

    async def asker(self, question: Question) -> Asker:
        """What may be said about who asked (the renderer decides what the reader sees)."""
        member = await self.members.get(question.asker_id) if question.asker_id is not None else None
        body = await self.territory.body(question.asker_body_id) if question.asker_body_id else None
        place = (
            await self.territory.territory(question.asker_district_id) if question.asker_district_id else None
        )
        return Asker(
            identity=question.identity if member is not None else "anonymous",
            name=member.display_name if member else None,
            body=body.name if body else None,
            district=place.name if place else None,
            district_kind=place.kind if place else None,
            level=question.asker_level,
        )

    async def asker_preview(self, member: Member) -> Asker:
        """How a member would appear if they asked now (named; the renderer shows the pseudonym
        where one is wanted)."""
        district_id, level, body_id = await self.asker_now(member)
        body = await self.territory.body(body_id) if body_id else None
        place = await self.territory.territory(district_id) if district_id else None
        return Asker(
            identity="named",
            name=member.display_name,
            body=body.name if body else None,
            district=place.name if place else None,
            district_kind=place.kind if place else None,
            level=level,
        )

    async def asker_now(self, member: Member) -> tuple[int | None, str | None, int | None]:
        """(district, level, body) describing a member as of now: their most local mandate."""
        mandates = await self.members.mandates(member.id)
        bodies = [b for b in [await self.territory.body(m.body_id) for m in mandates] if b is not None]
        bodies.sort(key=lambda b: (_LEVEL_ORDER.index(b.level), b.name))
        first = bodies[0] if bodies else None
        return member.district_id, first.level.value if first else None, first.id if first else None

    async def facts(self, question: Question, target: Target, faction: Faction) -> CardFacts:
        """The names a faction's card shows."""
        scope = (
            await self.territory.territory(question.scope_district_id) if question.scope_district_id else None
        )
        via = None
        if target.via_target_id is not None:
            earlier = await self.repo.target(target.via_target_id)
            origin = await self.factions.get(earlier.faction_id) if earlier else None
            via = origin.name if origin else None
        return CardFacts(
            faction, await self.asker(question), target.deadline, None, scope.name if scope else None, via
        )

    async def topics(self) -> list[Topic]:
        """The topics a question can have."""
        return await self.territory.topics()

    async def place(self, territory_id: int) -> Territory | None:
        """A district or municipality, for its name."""
        return await self.territory.territory(territory_id)

    async def topic_of(self, topic_id: int | None) -> Callable[[str], str | None]:
        """The topic's name in a language (None for no topic)."""
        topic = next((t for t in await self.territory.topics() if t.id == topic_id), None)
        return lambda lang: topic.name(lang) if topic is not None else None


def still_open(question: Question, target: Target) -> None:
    """Refuse acting on a closed question, or for a faction that no longer has it."""
    if question.status == "closed":
        raise InvalidInput("question-closed", id=question.id)
    if not target.active:
        raise InvalidInput("question-target-gone", id=question.id)

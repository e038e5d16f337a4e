"""What the parts of the questions service share: repositories, the texts, and the steps every
change takes (delivering a card to a faction, scheduling its deadline reminders, storing the status).

Methods starting with `_` write and must run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from lag_bot.audience import Recipient
from lag_bot.clock import Clock, iso, iso_ms
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotFound
from lag_bot.i18n import Catalog
from lag_bot.models import Level, Member, Status
from lag_bot.questions.archive import Archive
from lag_bot.questions.models import Faction, Question, Target
from lag_bot.questions.reminders import reminder_rows
from lag_bot.questions.render import Asker, CardFacts, QuestionTexts
from lag_bot.questions.routing import Routing
from lag_bot.questions.rules import status_of
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.factions import FactionRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.outbox import OutboxRepository
from lag_bot.repositories.questions import QuestionRepository
from lag_bot.repositories.reminders import ReminderRepository
from lag_bot.repositories.territory import TerritoryRepository

_LEVEL_ORDER = (Level.GEMEINDE, Level.KREIS, Level.LAND)


class QuestionBase:
    """The state of the questions service."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        texts: Catalog,
        territory: TerritoryRepository,
        admin_ids: frozenset[int],
        tz: ZoneInfo,
        default_language: str = "de",
        notify: Callable[[], None] | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz
        self.notify = notify  # wakes the sender; set once it runs
        self.territory = territory
        self.repo = QuestionRepository(db)
        self.factions = FactionRepository(db)
        self.members = MemberRepository(db)
        self.outbox = OutboxRepository(db)
        self.audit = AuditRepository(db)
        self.reminder_repo = ReminderRepository(db)
        self.routing = Routing(db, territory, admin_ids, default_language)
        self.archive = Archive(db, clock)
        self.render = QuestionTexts(texts, tz, default_language)

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

    async def topic_of(self, topic_id: int | None) -> Callable[[str], str | None]:
        """The topic's name in a language (None for no topic)."""
        topic = next((t for t in await self.territory.topics() if t.id == topic_id), None)
        return lambda lang: topic.name(lang) if topic is not None else None

    async def _deliver_card(
        self, question: Question, target: Target, faction: Faction, now: datetime, followup: str | None = None
    ) -> int:
        """Queue the card (or a follow-up) for the faction's groups and contact people; how many."""
        groups, people = await self.routing.recipients(faction, question.topic_id, question.asker_id)
        facts = await self.facts(question, target, faction)
        topic_of = await self.topic_of(question.topic_id)
        kind = "question" if followup is None else "question-followup"
        if groups:
            parts = self.render.card_parts(question, facts, target.id, False, topic_of, followup)
            await self.outbox.enqueue(kind, groups, parts, iso_ms(now), ref_id=target.id)
        if people:
            parts = self.render.card_parts(question, facts, target.id, True, topic_of, followup)
            await self.outbox.enqueue(kind, people, parts, iso_ms(now), ref_id=target.id)
        return len(groups) + len(people)

    async def _schedule(self, target: Target, now: datetime) -> None:
        """The target's deadline reminders (3 days before, at the deadline, the escalation)."""
        await self.repo.delete_reminders(target.id)
        for row in reminder_rows(target.id, datetime.fromisoformat(target.deadline), now, self.tz.key):
            await self.reminder_repo.create(row, iso(now))

    async def _store_status(self, question: Question, now: datetime, stored: str | None = None) -> str:
        """Work out the question's status from its targets and answers, and store it."""
        targets = await self.repo.targets(question.id)
        answered = any(a.kind == "answer" for a in await self.repo.answers(question.id))
        status = status_of(stored or question.status, targets, answered, now)
        if status != question.status or stored is not None:
            await self.repo.set_status(question.id, status, iso(now))
        return status

    async def _notify_asker(
        self, question: Question, parts_key: str, now: datetime, **params: object
    ) -> None:
        """A notice to the asker (if they are still a reachable member)."""
        recipient = await self._asker_recipient(question)
        if recipient is not None:
            parts = self.render.notice_parts(parts_key, **params)
            await self.outbox.enqueue("question-notice", [recipient], parts, iso_ms(now))

    async def _asker_recipient(self, question: Question) -> Recipient | None:
        """The asker's chat, while they are an active member."""
        member = await self.members.get(question.asker_id) if question.asker_id is not None else None
        if member is None or member.status is not Status.ACTIVE:
            return None
        return Recipient(chat_id=member.telegram_id, member_id=member.id, language=member.language)

    def _wake(self) -> None:
        if self.notify is not None:
            self.notify()


def still_open(question: Question, target: Target) -> None:
    """Refuse acting on a closed question, or for a faction that no longer has it."""
    if question.status == "closed":
        raise InvalidInput("question-closed", id=question.id)
    if not target.active:
        raise InvalidInput("question-target-gone", id=question.id)

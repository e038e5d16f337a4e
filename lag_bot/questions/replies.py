"""The faction's side of a question: claim it, answer it, pass it on, decline it, agree to the archive.

    responder = Responder(member, group_chat_id=chat.id)       # acting in the faction's group
    await replies.claim(responder, target_id)
    await replies.answer(responder, target_id, "Bei uns …")  # goes to the asker through the outbox

Whoever acts must belong to the faction the question is addressed to, as `FactionRule` decides
(lag_bot.questions.acting); anyone else is refused and nothing is routed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lag_bot.clock import Clock, iso, iso_ms
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, Stale
from lag_bot.questions.acting import FactionRule, Responder
from lag_bot.questions.archive import Archive
from lag_bot.questions.lookup import QuestionLookup, still_open
from lag_bot.questions.models import ANSWER_MAX, Faction, Question, Target
from lag_bot.questions.render import QuestionTexts
from lag_bot.questions.routing import Routing
from lag_bot.questions.rules import clean_reason, clean_text
from lag_bot.questions.steps import QuestionSteps
from lag_bot.repositories.outbox import OutboxRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Claim:
    """What pressing "Ich antworte" did."""

    new: bool
    by: str  # the name of whoever has it


@dataclass(frozen=True)
class Sent:
    """An answer or follow-up that was stored and queued."""

    answer_id: int
    question_id: int
    target_id: int
    reached: int  # recipients it was queued for


class Replies:
    """The faction side of the questions service."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        lookup: QuestionLookup,
        routing: Routing,
        steps: QuestionSteps,
        archive: Archive,
        render: QuestionTexts,
        rule: FactionRule,
    ) -> None:
        self.db = db
        self.clock = clock
        self.lookup = lookup
        self.repo = lookup.repo
        self.routing = routing
        self.steps = steps
        self.archive = archive
        self.render = render
        self.rule = rule
        self.outbox = OutboxRepository(db)

    async def responder_target(
        self, responder: Responder, target_id: int
    ) -> tuple[Question, Target, Faction]:
        """The question as the responder's faction has it, or NotAllowed/NotFound."""
        target = await self.lookup.target(target_id)
        await self.rule.check(responder, target.faction_id)
        return await self.lookup.get(target.question_id), target, await self.lookup.faction(target.faction_id)

    async def claim(self, responder: Responder, target_id: int) -> Claim:
        """ "Ich antworte": the target is the responder's to answer, unless someone has it already."""
        question, target, _ = await self.responder_target(responder, target_id)
        still_open(question, target)
        now = self.clock()
        async with self.db.transaction():
            question, target = await self.lookup.still_open_now(question, target)
            new = await self.repo.claim(target.id, responder.member.id, iso(now))
            if new:
                await self.steps.store_status(question, now)
        # `target` was read in the transaction before the claim: whoever claimed it first is in it.
        if new or target.claimed_by == responder.member.id:
            return Claim(new, responder.member.display_name or "?")
        return Claim(False, await self.lookup.member_name(target.claimed_by))

    async def answer(self, responder: Responder, target_id: int, text: str) -> Sent:
        """Store an answer and queue it for the asker (with the faction's name, and the author's
        unless the faction answers as a faction); the first answer makes the question answered."""
        body = clean_text(text, ANSWER_MAX, "question-answer")
        question, target, faction = await self.responder_target(responder, target_id)
        still_open(question, target)
        member = responder.member
        now = self.clock()
        asker = await self.steps.asker_recipient(question)
        async with self.db.transaction():
            question, target = await self.lookup.still_open_now(question, target)
            answer_id = await self.repo.add_answer(
                target, "answer", member.id, faction.answer_as_faction, body, iso(now)
            )
            await self.repo.claim(target.id, member.id, iso(now))
            await self.repo.target_answered(target.id, iso(now))
            await self.repo.delete_reminders(target.id)
            await self.steps.store_status(question, now)
            if asker is not None:
                author = None if faction.answer_as_faction else member.display_name
                parts = self.render.answer_parts(question, faction, author, body, target.id)
                await self.outbox.enqueue("question-answer", [asker], parts, iso_ms(now), ref_id=target.id)
            await self.archive.refresh(question.id)
        self.steps.wake()
        log.info("question %s answered by faction %s (answer %s)", question.id, faction.id, answer_id)
        return Sent(answer_id, question.id, target.id, 1 if asker else 0)

    async def faction_archive(self, responder: Responder, target_id: int, ok: bool) -> bool:
        """The faction agrees (or not) that its answer goes into the archive; whether it is archived."""
        question, target, _ = await self.responder_target(responder, target_id)
        if target.answered_at is None:
            raise InvalidInput("question-archive-no-answer")
        async with self.db.transaction():
            await self.repo.set_target_archive(target.id, ok)
            return await self.archive.refresh(question.id)

    async def forward(self, responder: Responder, target_id: int, faction_id: int) -> Faction:
        """Pass the question on to another faction, which gets it with a fresh deadline; the asker
        and the faction's group are told."""
        question, target, faction = await self.responder_target(responder, target_id)
        still_open(question, target)
        new = await self.steps.next_faction(question, faction_id)
        now = self.clock()
        async with self.db.transaction():
            question, target = await self.lookup.still_open_now(question, target)
            if not await self.repo.set_state(target.id, "forwarded"):
                raise Stale()
            await self.repo.delete_reminders(target.id)
            await self.steps.add_target(question, new, now, via=target.id)
            await self.steps.notify_asker(
                question, "question-notice-forwarded", now, id=question.id, faction=new.name
            )
            name = responder.member.display_name or "?"
            await self.steps.notify_groups(
                faction, "question-notice-forwarded-group", now, id=question.id, name=name, faction=new.name
            )
        self.steps.wake()
        log.info("question %s passed on from faction %s to %s", question.id, faction.id, new.id)
        return new

    async def decline(self, responder: Responder, target_id: int, reason: str) -> None:
        """ "Nicht zuständig": back to the coordinators with the reason; the asker is told."""
        reason = clean_reason(reason)
        question, target, faction = await self.responder_target(responder, target_id)
        still_open(question, target)
        now = self.clock()
        coordinators = await self.routing.coordinators()
        async with self.db.transaction():
            question, target = await self.lookup.still_open_now(question, target)
            if not await self.repo.set_state(target.id, "declined", reason):
                raise Stale()
            await self.repo.delete_reminders(target.id)
            await self.steps.store_status(question, now)
            parts = self.render.board_notice(
                question.id, "question-notice-declined", faction=faction.name, reason=reason
            )
            await self.outbox.enqueue("question-notice", coordinators, parts, iso_ms(now))
            await self.steps.notify_asker(
                question, "question-notice-declined-asker", now, id=question.id, faction=faction.name
            )
        self.steps.wake()
        log.info("question %s declined by faction %s", question.id, faction.id)

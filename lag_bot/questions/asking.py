"""The asker's part of the questions service: ask, see one's own questions, ask again in the same
thread, mark a question answered, agree to the archive, close.

    draft = Draft(faction_ids=(7,), topic_id=3, body="Wie …?", identity="pseudonymous")
    question = await asking.ask(member, draft)
    await asking.follow_up(member, target_id, "Und wie …?")   # the asker replies to an answer

Each change writes its rows, its reminder rows and its outbox rows in ONE transaction.
"""

from __future__ import annotations

import logging

from lag_bot.authorization import Actor
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed, NotFound, UserError
from lag_bot.models import Member, Status
from lag_bot.questions.archive import Archive
from lag_bot.questions.board import Board
from lag_bot.questions.lookup import QuestionLookup
from lag_bot.questions.models import ANSWER_MAX, IDENTITIES, QUESTION_MAX, Draft, Question
from lag_bot.questions.pseudonyms import SCOPES, Pseudonyms
from lag_bot.questions.replies import Sent
from lag_bot.questions.routing import Routing
from lag_bot.questions.rules import clean_text, deadline_after, is_open
from lag_bot.questions.steps import QuestionSteps
from lag_bot.questions.threads import Thread, Threads

log = logging.getLogger(__name__)


class Asking:
    """The asker's part of the questions service."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        lookup: QuestionLookup,
        routing: Routing,
        steps: QuestionSteps,
        threads: Threads,
        archive: Archive,
        board: Board,
    ) -> None:
        self.db = db
        self.clock = clock
        self.lookup = lookup
        self.pseudonyms = Pseudonyms(db, lookup)
        self.repo = lookup.repo
        self.routing = routing
        self.steps = steps
        self.threads = threads
        self.archive = archive
        self.board = board  # closing is the same for the asker and a coordinator

    async def active_member(self, telegram_id: int) -> Member:
        """The active member behind a Telegram account; strangers and members not yet approved are
        refused."""
        member = await self.lookup.members.by_telegram_id(telegram_id)
        if member is None:
            raise UserError("common-not-registered")
        if member.status is not Status.ACTIVE:
            raise UserError("question-members-only")
        return member

    async def ask(self, member: Member, draft: Draft) -> Question:
        """Store the question and queue its card for every faction addressed (each with its own
        deadline and reminders). Refused: an empty or overlong text, an unknown topic or identity,
        a faction that does not exist or cannot be reached."""
        if member.status is not Status.ACTIVE:
            raise NotAllowed("question-members-only")
        body = clean_text(draft.body, QUESTION_MAX, "question")
        if draft.identity not in IDENTITIES or draft.pseudonym_scope not in SCOPES:
            raise InvalidInput("question-identity-unknown")
        if draft.topic_id is not None and draft.topic_id not in {t.id for t in await self.lookup.topics()}:
            raise NotFound("question-topic-unknown")
        factions = await self.routing.resolve(draft)
        for faction in factions:
            groups, people = await self.routing.recipients(faction, draft.topic_id, member.id)
            if not groups and not people:
                raise InvalidInput("question-faction-unreachable", faction=faction.name)
        scope = draft.pseudonym_scope if draft.identity == "pseudonymous" else "district"
        asker = await self.pseudonyms.described(member, scope)
        now = self.clock()
        async with self.db.transaction():
            question_id = await self.repo.create(
                member.id, draft.identity, asker, draft.scope_district_id, draft.topic_id, body, iso(now)
            )
            question = await self.lookup.get(question_id)
            for faction in factions:
                target_id = await self.repo.add_target(
                    question_id, faction.id, deadline_after(now, faction.deadline_days), iso(now)
                )
                target = await self.lookup.target(target_id)
                await self.steps.schedule(target, now)
                await self.steps.deliver_card(question, target, faction, now)
        self.steps.wake()
        log.info("question %s asked, to %d faction(s)", question.id, len(factions))
        return question

    async def mine(self, member: Member) -> list[Thread]:
        """The member's questions, newest first, with status and answers."""
        return [await self.threads.of(q) for q in await self.repo.of_asker(member.id)]

    async def for_asker(self, member: Member, question_id: int) -> Thread:
        """One of the member's own questions; anyone else's is NotFound (a forged id learns nothing)."""
        question = await self.repo.get(question_id)
        if question is None or question.asker_id != member.id:
            raise NotFound("question-unknown")
        return await self.threads.of(question)

    async def follow_up(self, member: Member, target_id: int, text: str) -> Sent:
        """The asker asks the faction that answered again, in the same thread."""
        body = clean_text(text, ANSWER_MAX, "question-followup")
        target = await self.lookup.target(target_id)
        question = await self.lookup.get(target.question_id)
        if question.asker_id != member.id:
            raise NotFound("question-unknown")
        if question.status == "closed":
            raise InvalidInput("question-closed", id=question.id)
        if not target.active:
            raise InvalidInput("question-target-gone", id=question.id)
        faction = await self.lookup.faction(target.faction_id)
        now = self.clock()
        async with self.db.transaction():
            question, target = await self.lookup.still_open_now(question, target)
            answer_id = await self.repo.add_answer(target, "followup", member.id, False, body, iso(now))
            reached = await self.steps.deliver_card(question, target, faction, now, followup=body)
            if not reached:
                raise InvalidInput("question-faction-unreachable", faction=faction.name)
        self.steps.wake()
        return Sent(answer_id, question.id, target.id, reached)

    async def mark_answered(self, member: Member, question_id: int) -> Question:
        """The asker says the question is answered (e.g. by phone): no more reminders."""
        question = (await self.for_asker(member, question_id)).question
        if not is_open(question.status):
            raise InvalidInput("question-not-open", id=question.id)
        now = self.clock()
        async with self.db.transaction():
            question = await self.lookup.get(question.id)  # as stored now: a close meanwhile stays a close
            if not is_open(question.status):
                raise InvalidInput("question-not-open", id=question.id)
            for target in await self.repo.targets(question.id):
                await self.repo.delete_reminders(target.id)
            await self.steps.store_status(question, now, stored="answered")
        return await self.lookup.get(question_id)

    async def asker_archive(self, member: Member, question_id: int, ok: bool) -> bool:
        """The asker agrees (or not) to the archive; whether the question is archived now."""
        question = (await self.for_asker(member, question_id)).question
        async with self.db.transaction():
            await self.repo.set_asker_archive(question.id, ok)
            return await self.archive.refresh(question.id)

    async def asker_close(self, member: Member, question_id: int) -> Question:
        """The asker closes their question."""
        await self.for_asker(member, question_id)
        return await self.board.close(Actor(member.telegram_id, member, None), question_id)

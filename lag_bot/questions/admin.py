"""What coordinators do with questions: the board of open and overdue ones, a question's details,
addressing it to another faction, closing it, looking behind a pseudonym (with a reason, logged
and told to the asker), and the figures per faction.

Every look and change is checked against the actor's role as it is now and written to the audit log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from lag_bot.authorization import Actor
from lag_bot.clock import iso, iso_ms
from lag_bot.errors import InvalidInput, NotFound
from lag_bot.models import Role
from lag_bot.questions.models import Answer, Faction, FactionStats, Question, Target
from lag_bot.questions.replies import QuestionReplies
from lag_bot.questions.rules import OPEN_STATES, clean_reason, median, status_of

STATS_DAYS = 90
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Thread:
    """A question with everything about it that the reader may see."""

    question: Question
    status: str  # as of now (overdue even if the escalation has not fired)
    targets: tuple[Target, ...]
    factions: dict[int, Faction]
    answers: tuple[Answer, ...]
    authors: dict[int, str]  # member id -> name, of the answers' authors


class QuestionAdmin(QuestionReplies):
    """The coordinators' part of the questions service."""

    async def thread(self, question: Question) -> Thread:
        """A question with its targets, factions, answers and the names of their authors."""
        targets = tuple(await self.repo.targets(question.id))
        answers = tuple(await self.repo.answers(question.id))
        factions = {t.faction_id: await self.faction(t.faction_id) for t in targets}
        authors: dict[int, str] = {}
        for answer in answers:
            if answer.author_id is not None and answer.author_id not in authors:
                author = await self.members.get(answer.author_id)
                authors[answer.author_id] = (author.display_name if author else None) or "?"
        status = status_of(question.status, targets, any(a.kind == "answer" for a in answers), self.clock())
        return Thread(question, status, targets, factions, answers, authors)

    async def board(self, actor: Actor) -> list[Thread]:
        """Questions still owed an answer, overdue first, then oldest first."""
        actor.require(Role.COORDINATOR)
        found = [await self.thread(q) for q in await self.repo.of_statuses(OPEN_STATES)]
        async with self.db.transaction():
            await self.audit.record(
                iso(self.clock()), actor.member_id, "question.board", None, {"shown": len(found)}
            )
        return sorted(found, key=lambda t: (t.status != "overdue", t.question.id))

    async def for_coordinator(self, actor: Actor, question_id: int) -> Thread:
        """One question as a coordinator sees it (a pseudonymous asker stays hidden)."""
        actor.require(Role.COORDINATOR)
        thread = await self.thread(await self.get(question_id))
        async with self.db.transaction():
            await self.audit.record(
                iso(self.clock()), actor.member_id, "question.view", None, {"question": question_id}
            )
        return thread

    async def address(self, actor: Actor, question_id: int, faction_id: int) -> Faction:
        """A coordinator addresses the question to one more faction (e.g. after "nicht zuständig")."""
        actor.require(Role.COORDINATOR)
        question = await self.get(question_id)
        if question.status == "closed":
            raise InvalidInput("question-closed", id=question.id)
        faction = await self._next_faction(question, faction_id)
        now = self.clock()
        async with self.db.transaction():
            await self._add_target(question, faction, now)
            await self._notify_asker(
                question, "question-notice-forwarded", now, id=question.id, faction=faction.name
            )
            detail = {"question": question.id, "faction": faction.id}
            await self.audit.record(iso(now), actor.member_id, "question.address", None, detail)
        self._wake()
        return faction

    async def reveal(self, actor: Actor, question_id: int, reason: str) -> str:
        """The name behind a pseudonymous question, for a stated reason: logged (reveal log and audit
        log) and told to the asker, in the same transaction."""
        actor.require(Role.COORDINATOR)
        reason = clean_reason(reason)
        question = await self.get(question_id)
        if question.identity != "pseudonymous":
            raise InvalidInput("question-not-pseudonymous")
        asker = await self.members.get(question.asker_id) if question.asker_id is not None else None
        if asker is None:
            raise NotFound("question-asker-gone")
        now = self.clock()
        who = (actor.member.display_name if actor.member else None) or "?"
        async with self.db.transaction():
            reveal_id = await self.repo.add_reveal(question.id, actor.member_id, reason, iso(now))
            detail = {"question": question.id, "reveal": reveal_id}
            await self.audit.record(iso(now), actor.member_id, "question.reveal", asker.id, detail)
            await self._notify_asker(
                question, "question-notice-revealed", now, id=question.id, name=who, reason=reason
            )
        self._wake()
        log.info(
            "question %s: identity revealed to member %s (reveal %s)", question.id, actor.member_id, reveal_id
        )
        return asker.display_name or "?"

    async def close(self, actor: Actor, question_id: int) -> Question:
        """Close a question (its asker, or a coordinator): no more answers or follow-ups; the factions
        that still owed an answer are told in their groups."""
        question = await self.get(question_id)
        if actor.member_id != question.asker_id and not actor.at_least(Role.COORDINATOR):
            raise NotFound("question-unknown")
        if question.status == "closed":
            raise InvalidInput("question-closed", id=question.id)
        now = self.clock()
        async with self.db.transaction():
            question = await self.get(question_id)  # as stored now: of two closes at once, one closes
            if question.status == "closed":
                raise InvalidInput("question-closed", id=question.id)
            for target in await self.repo.targets(question.id):
                await self.repo.delete_reminders(target.id)
                if target.active and target.answered_at is None:
                    groups, _ = await self.routing.recipients(await self.faction(target.faction_id), None)
                    parts = self.render.notice_parts("question-notice-closed-group", id=question.id)
                    await self.outbox.enqueue("question-notice", groups, parts, iso_ms(now))
            await self._store_status(question, now, stored="closed")
            if actor.member_id != question.asker_id:
                await self.audit.record(
                    iso(now), actor.member_id, "question.close", None, {"question": question.id}
                )
        self._wake()
        return await self.get(question_id)

    async def stats(self, actor: Actor, days: int = STATS_DAYS) -> list[FactionStats]:
        """Per faction that had questions in the last `days` days: how many it kept (not passed on,
        not declined, or answered anyway), answered, declined, passed on; the median time to answer."""
        actor.require(Role.COORDINATOR)
        since = iso(self.clock() - timedelta(days=days))
        rows: dict[int, list[tuple[str, str, str | None]]] = {}
        for faction_id, state, created, answered in await self.repo.targets_in(since):
            rows.setdefault(faction_id, []).append((state, created, answered))
        found = []
        for faction_id, targets in rows.items():
            faction = await self.faction(faction_id)
            hours = [_hours(created, answered) for _, created, answered in targets if answered is not None]
            found.append(
                FactionStats(
                    faction_id,
                    faction.name,
                    asked=sum(1 for state, _, answered in targets if state == "active" or answered),
                    answered=len(hours),
                    declined=sum(1 for state, _, _ in targets if state == "declined"),
                    forwarded=sum(1 for state, _, _ in targets if state == "forwarded"),
                    median_hours=median(hours),
                )
            )
        async with self.db.transaction():
            await self.audit.record(
                iso(self.clock()), actor.member_id, "question.stats", None, {"days": days}
            )
        return sorted(found, key=lambda s: s.name)


def _hours(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 3600

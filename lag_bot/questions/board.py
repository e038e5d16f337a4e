"""What coordinators do with questions: the board of open and overdue ones, a question's details,
addressing it to another faction, closing it, looking behind a pseudonym (with a reason, logged
and told to the asker), and the figures per faction.

Every look and change is checked against the actor's role as it is now and written to the audit log.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from lag_bot.authorization import Actor
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotFound
from lag_bot.models import Role
from lag_bot.questions.lookup import QuestionLookup
from lag_bot.questions.models import Faction, FactionStats, Question
from lag_bot.questions.rules import OPEN_STATES, clean_reveal_reason, median
from lag_bot.questions.steps import QuestionSteps
from lag_bot.questions.threads import Thread, Threads
from lag_bot.repositories.audit import AuditRepository

STATS_DAYS = 90
log = logging.getLogger(__name__)


class Board:
    """The coordinators' part of the questions service."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        lookup: QuestionLookup,
        steps: QuestionSteps,
        threads: Threads,
    ) -> None:
        self.db = db
        self.clock = clock
        self.lookup = lookup
        self.repo = lookup.repo
        self.steps = steps
        self.threads = threads
        self.audit = AuditRepository(db)

    async def still_owed(self, actor: Actor) -> list[Thread]:
        """Questions still owed an answer, overdue first, then oldest first."""
        actor.require(Role.COORDINATOR)
        found = [await self.threads.of(q) for q in await self.repo.of_statuses(OPEN_STATES)]
        async with self.db.transaction():
            await self.audit.record(
                iso(self.clock()), actor.member_id, "question.board", None, {"shown": len(found)}
            )
        return sorted(found, key=lambda t: (t.status != "overdue", t.question.id))

    async def for_coordinator(self, actor: Actor, question_id: int) -> Thread:
        """One question as a coordinator sees it (a pseudonymous asker stays hidden)."""
        actor.require(Role.COORDINATOR)
        thread = await self.threads.of(await self.lookup.get(question_id))
        async with self.db.transaction():
            await self.audit.record(
                iso(self.clock()), actor.member_id, "question.view", None, {"question": question_id}
            )
        return thread

    async def address(self, actor: Actor, question_id: int, faction_id: int) -> Faction:
        """A coordinator addresses the question to one more faction (e.g. after "nicht zuständig")."""
        actor.require(Role.COORDINATOR)
        question = await self.lookup.get(question_id)
        if question.status == "closed":
            raise InvalidInput("question-closed", id=question.id)
        faction = await self.steps.next_faction(question, faction_id)
        now = self.clock()
        async with self.db.transaction():
            await self.steps.add_target(question, faction, now)
            await self.steps.notify_asker(
                question, "question-notice-forwarded", now, id=question.id, faction=faction.name
            )
            detail = {"question": question.id, "faction": faction.id}
            await self.audit.record(iso(now), actor.member_id, "question.address", None, detail)
        self.steps.wake()
        return faction

    async def reveal(self, actor: Actor, question_id: int, reason: str) -> str:
        """The name behind a pseudonymous question, for a stated reason: logged (reveal log and audit
        log) and told to the asker, in the same transaction."""
        actor.require(Role.COORDINATOR)
        reason = clean_reveal_reason(reason)
        question = await self.lookup.get(question_id)
        if question.identity != "pseudonymous":
            raise InvalidInput("question-not-pseudonymous")
        asker = await self.lookup.members.get(question.asker_id) if question.asker_id is not None else None
        if asker is None:
            raise NotFound("question-asker-gone")
        now = self.clock()
        who = (actor.member.display_name if actor.member else None) or "?"
        async with self.db.transaction():
            reveal_id = await self.repo.add_reveal(question.id, actor.member_id, reason, iso(now))
            detail = {"question": question.id, "reveal": reveal_id}
            await self.audit.record(iso(now), actor.member_id, "question.reveal", asker.id, detail)
            await self.steps.notify_asker(
                question, "question-notice-revealed", now, id=question.id, name=who, reason=reason
            )
        self.steps.wake()
        log.info(
            "question %s: identity revealed to member %s (reveal %s)", question.id, actor.member_id, reveal_id
        )
        return asker.display_name or "?"

    async def close(self, actor: Actor, question_id: int) -> Question:
        """Close a question (its asker, or a coordinator): no more answers or follow-ups; the factions
        that still owed an answer are told in their groups."""
        question = await self.lookup.get(question_id)
        if actor.member_id != question.asker_id and not actor.at_least(Role.COORDINATOR):
            raise NotFound("question-unknown")
        if question.status == "closed":
            raise InvalidInput("question-closed", id=question.id)
        now = self.clock()
        async with self.db.transaction():
            question = await self.lookup.get(question_id)  # as stored now: of two closes at once, one closes
            if question.status == "closed":
                raise InvalidInput("question-closed", id=question.id)
            for target in await self.repo.targets(question.id):
                await self.repo.delete_reminders(target.id)
                if target.active and target.answered_at is None:
                    faction = await self.lookup.faction(target.faction_id)
                    key = "question-notice-closed-group"
                    await self.steps.notify_groups(faction, key, now, id=question.id)
            await self.steps.store_status(question, now, stored="closed")
            if actor.member_id != question.asker_id:
                await self.audit.record(
                    iso(now), actor.member_id, "question.close", None, {"question": question.id}
                )
        self.steps.wake()
        return await self.lookup.get(question_id)

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
            faction = await self.lookup.faction(faction_id)
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

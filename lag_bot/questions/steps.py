"""The steps every change of a question takes, shared by the asker's, the faction's and the
coordinators' parts: delivering a card to a faction, scheduling its deadline reminders, storing the
status, telling the asker, addressing one more faction, waking the sender.

Every method that writes must run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from lag_bot.audience import Recipient
from lag_bot.clock import iso, iso_ms
from lag_bot.db import Database
from lag_bot.errors import InvalidInput
from lag_bot.models import Status
from lag_bot.questions.lookup import QuestionLookup
from lag_bot.questions.models import Draft, Faction, Question, Target
from lag_bot.questions.reminders import reminder_rows
from lag_bot.questions.render import QuestionTexts
from lag_bot.questions.routing import Routing
from lag_bot.questions.rules import deadline_after, status_of
from lag_bot.repositories.outbox import OutboxRepository
from lag_bot.repositories.reminders import ReminderRepository


class QuestionSteps:
    """Writes the rows a change of a question brings with it (inside the caller's transaction)."""

    def __init__(
        self, db: Database, tz: ZoneInfo, lookup: QuestionLookup, routing: Routing, render: QuestionTexts
    ) -> None:
        self.tz = tz
        self.lookup = lookup
        self.routing = routing
        self.render = render
        self.outbox = OutboxRepository(db)
        self.reminders = ReminderRepository(db)
        self.notify: Callable[[], None] | None = None  # wakes the sender; set once it runs

    async def deliver_card(
        self, question: Question, target: Target, faction: Faction, now: datetime, followup: str | None = None
    ) -> int:
        """Queue the card (or a follow-up) for the faction's groups and contact people; how many."""
        groups, people = await self.routing.recipients(faction, question.topic_id, question.asker_id)
        facts = await self.lookup.facts(question, target, faction)
        topic_of = await self.lookup.topic_of(question.topic_id)
        kind = "question" if followup is None else "question-followup"
        if groups:
            parts = self.render.card_parts(question, facts, target.id, False, topic_of, followup)
            await self.outbox.enqueue(kind, groups, parts, iso_ms(now), ref_id=target.id)
        if people:
            parts = self.render.card_parts(question, facts, target.id, True, topic_of, followup)
            await self.outbox.enqueue(kind, people, parts, iso_ms(now), ref_id=target.id)
        return len(groups) + len(people)

    async def schedule(self, target: Target, now: datetime) -> None:
        """The target's deadline reminders (3 days before, at the deadline, the escalation)."""
        await self.lookup.repo.delete_reminders(target.id)
        for row in reminder_rows(target.id, datetime.fromisoformat(target.deadline), now, self.tz.key):
            await self.reminders.create(row, iso(now))

    async def store_status(self, question: Question, now: datetime, stored: str | None = None) -> str:
        """Work out the question's status from its targets and answers, and store it."""
        repo = self.lookup.repo
        targets = await repo.targets(question.id)
        answered = any(a.kind == "answer" for a in await repo.answers(question.id))
        status = status_of(stored or question.status, targets, answered, now)
        if status != question.status or stored is not None:
            await repo.set_status(question.id, status, iso(now))
        return status

    async def notify_asker(self, question: Question, parts_key: str, now: datetime, **params: object) -> None:
        """A notice to the asker (if they are still a reachable member)."""
        recipient = await self.asker_recipient(question)
        if recipient is not None:
            parts = self.render.notice_parts(parts_key, **params)
            await self.outbox.enqueue("question-notice", [recipient], parts, iso_ms(now))

    async def notify_groups(self, to: Faction, parts_key: str, now: datetime, **params: object) -> None:
        """A notice to the faction's groups (not its contact people)."""
        groups, _ = await self.routing.recipients(to, None)
        parts = self.render.notice_parts(parts_key, **params)
        await self.outbox.enqueue("question-notice", groups, parts, iso_ms(now))

    async def asker_recipient(self, question: Question) -> Recipient | None:
        """The asker's chat, while they are an active member."""
        repo = self.lookup.members
        member = await repo.get(question.asker_id) if question.asker_id is not None else None
        if member is None or member.status is not Status.ACTIVE:
            return None
        return Recipient(chat_id=member.telegram_id, member_id=member.id, language=member.language)

    async def next_faction(self, question: Question, faction_id: int) -> Faction:
        """The faction a question is passed to: reachable, and not addressed already."""
        (new,) = await self.routing.resolve(Draft(faction_ids=(faction_id,)))
        if new.id in {t.faction_id for t in await self.lookup.repo.targets(question.id)}:
            raise InvalidInput("question-already-addressed", faction=new.name)
        return new

    async def add_target(
        self, question: Question, faction: Faction, now: datetime, via: int | None = None
    ) -> Target:
        """Address the question to one more faction: its deadline, reminders and card."""
        target_id = await self.lookup.repo.add_target(
            question.id, faction.id, deadline_after(now, faction.deadline_days), iso(now), via
        )
        target = await self.lookup.target(target_id)
        await self.schedule(target, now)
        await self.deliver_card(question, target, faction, now)
        await self.store_status(question, now)
        return target

    def wake(self) -> None:
        """Tell the sender there are new outbox rows (after the transaction committed)."""
        if self.notify is not None:
            self.notify()

"""The reminders' target kind 'question': a faction's deadline, through the one scheduler.

    reminders.register("question", QuestionReminders(db, territory, admin_ids, render))
    for row in reminder_rows(target.id, deadline, now, "Europe/Berlin"): ...   # written by the service

Each faction a question is addressed to (a target, `ref_id`) gets three rows: "remind" three days
before the deadline and "due" at it, both to the faction's group and contact people; "escalate"
at the deadline to the coordinators, which also marks the question overdue. The rows are removed
when the faction answers, passes the question on or declines it; a row that fires anyway finds the
question answered or closed and reaches nobody.

`parts` runs inside the firing transaction (see `Reminders.fire_due`), so the overdue status and the
coordinators' notice are committed together.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lag_bot.audience import Recipient
from lag_bot.callbacks import encode
from lag_bot.clock import iso, iso_ms
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part
from lag_bot.events.render import per_language
from lag_bot.i18n import Html
from lag_bot.questions.actions import BOARD_FEATURE, BoardAction
from lag_bot.questions.models import REMIND_BEFORE_DAYS
from lag_bot.questions.render import QuestionTexts, excerpt
from lag_bot.questions.routing import Routing
from lag_bot.questions.rules import status_of
from lag_bot.repositories.factions import FactionRepository
from lag_bot.repositories.questions import QuestionRepository
from lag_bot.repositories.reminders import ReminderRow
from lag_bot.repositories.territory import TerritoryRepository

REMIND, DUE, ESCALATE = "remind", "due", "escalate"


def reminder_rows(target_id: int, deadline: datetime, now: datetime, tz: str) -> list[ReminderRow]:
    """The reminder rows of one faction's deadline (those still ahead of `now`)."""
    times = [(REMIND, deadline - timedelta(days=REMIND_BEFORE_DAYS)), (DUE, deadline), (ESCALATE, deadline)]
    return [
        ReminderRow(
            id=0,
            created_by=None,
            target_kind="question",
            member_id=None,
            group_id=None,
            audience=None,
            body=body,
            rrule=None,
            tz=tz,
            first_at=at.isoformat(),
            next_due=iso_ms(at),
            last_fired=None,
            status="active",
            ref_id=target_id,
        )
        for body, at in times
        if at > now
    ]


class QuestionReminders:
    """Implements `lag_bot.reminders.service.TargetKind` for questions."""

    def __init__(
        self, db: Database, territory: TerritoryRepository, admin_ids: frozenset[int], render: QuestionTexts
    ) -> None:
        self.repo = QuestionRepository(db)
        self.factions = FactionRepository(db)
        self.routing = Routing(db, territory, admin_ids, render.default_language)
        self.render = render

    async def recipients(self, row: ReminderRow) -> list[Recipient]:
        """The faction (remind, due) or the coordinators (escalate), while an answer is owed."""
        found = await self._owed(row)
        if found is None:
            return []
        question_id, faction_id = found
        if row.body == ESCALATE:
            return await self.routing.coordinators()
        faction = await self.factions.get(faction_id)
        question = await self.repo.get(question_id)
        if faction is None or question is None:
            return []
        groups, people = await self.routing.recipients(faction, question.topic_id, question.asker_id)
        return groups + people

    async def parts(self, row: ReminderRow, due_at: datetime, late: bool) -> dict[str, list[Part]]:
        """The reminder per language; the escalation also stores the question as overdue."""
        target = await self.repo.target(row.ref_id) if row.ref_id is not None else None
        question = await self.repo.get(target.question_id) if target else None
        faction = await self.factions.get(target.faction_id) if target else None
        if target is None or question is None or faction is None:
            return {"": [Part("text", "-")]}
        if row.body == ESCALATE:
            targets = await self.repo.targets(question.id)
            status = status_of(question.status, targets, False, due_at)
            if status != question.status:
                await self.repo.set_status(question.id, status, iso(due_at))
        key = {REMIND: "question-remind", DUE: "question-remind-due"}.get(row.body, "question-escalate")

        def render(lang: str) -> str:
            return self.render.t(
                lang,
                key,
                id=question.id,
                faction=Html(self.render.faction(lang, faction)),
                date=self.render.date(lang, target.deadline),
                excerpt=excerpt(question.body),
            )

        if row.body != ESCALATE:
            return self.render.notice_parts_with(render)
        return per_language(
            self.render.default_language,
            render,
            lambda lang: (
                (
                    self.render.t(lang, "question-btn-view"),
                    encode(BOARD_FEATURE, BoardAction.QUESTION, question.id),
                ),
            ),
        )

    async def following(self, row: ReminderRow, after: datetime) -> datetime | None:
        """Each row fires once."""
        return None

    async def _owed(self, row: ReminderRow) -> tuple[int, int] | None:
        """(question, faction) if the faction still owes the answer, else None."""
        target = await self.repo.target(row.ref_id) if row.ref_id is not None else None
        if target is None or not target.active or target.answered_at is not None:
            return None
        question = await self.repo.get(target.question_id)
        if question is None or question.status in ("answered", "closed"):
            return None
        return question.id, target.faction_id

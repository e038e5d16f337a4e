"""A question with everything about it that its reader may see: the factions it went to, their
answers and the names of the answers' authors, and its status as of now.

    thread = await threads.of(question)
"""

from __future__ import annotations

from dataclasses import dataclass

from lag_bot.clock import Clock
from lag_bot.questions.lookup import QuestionLookup
from lag_bot.questions.models import Answer, Faction, Question, Target
from lag_bot.questions.rules import status_of


@dataclass(frozen=True)
class Thread:
    """A question with everything about it that the reader may see."""

    question: Question
    status: str  # as of now (overdue even if the escalation has not fired)
    targets: tuple[Target, ...]
    factions: dict[int, Faction]
    answers: tuple[Answer, ...]
    authors: dict[int, str]  # member id -> name, of the answers' authors


class Threads:
    """Builds threads."""

    def __init__(self, clock: Clock, lookup: QuestionLookup) -> None:
        self.clock = clock
        self.lookup = lookup

    async def of(self, question: Question) -> Thread:
        """A question with its targets, factions, answers and the names of their authors."""
        repo = self.lookup.repo
        targets = tuple(await repo.targets(question.id))
        answers = tuple(await repo.answers(question.id))
        factions = {t.faction_id: await self.lookup.faction(t.faction_id) for t in targets}
        authors: dict[int, str] = {}
        for answer in answers:
            if answer.author_id is not None and answer.author_id not in authors:
                authors[answer.author_id] = await self.lookup.member_name(answer.author_id)
        status = status_of(question.status, targets, any(a.kind == "answer" for a in answers), self.clock())
        return Thread(question, status, targets, factions, answers, authors)

"""The question relay: a member asks a faction (or all local factions of a district), the faction
answers, the answer comes back; status, deadlines, archive.

    questions = Questions(db, clock, texts, territory, admin_ids, tz, "de")
    question = await questions.asking.ask(member, draft)
    hits = await questions.archive.similar(text)                    # before sending
    await questions.replies.answer(responder, target_id, "Bei uns …")
    await questions.board.close(actor, question.id)

`Questions` holds the parts, each a small class with its own dependencies: `asking` (the asker's
side), `replies` (the faction's), `board` (the coordinators'), `archive`, `deadlines` (the reminder
target kind), `dialogs` (where a member is in /frage or in writing a text), and what they share:
`lookup` (reads), `pseudonyms` (how a pseudonymous asker is described), `steps` (the writes
every change takes), `threads`, `routing`, `render`, and `rule` (who may act for a faction).
Pure rules are in `lag_bot.questions.rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from lag_bot.clock import Clock
from lag_bot.db import Database
from lag_bot.i18n import Catalog
from lag_bot.questions.acting import FactionRule
from lag_bot.questions.archive import Archive
from lag_bot.questions.asking import Asking
from lag_bot.questions.board import Board
from lag_bot.questions.dialogs import QuestionDialogs
from lag_bot.questions.lookup import QuestionLookup
from lag_bot.questions.reminders import QuestionReminders
from lag_bot.questions.render import QuestionTexts
from lag_bot.questions.replies import Replies
from lag_bot.questions.routing import Routing
from lag_bot.questions.steps import QuestionSteps
from lag_bot.questions.threads import Threads
from lag_bot.repositories.territory import TerritoryRepository


class Questions:
    """The parts of the questions service, wired to one database."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        texts: Catalog,
        territory: TerritoryRepository,
        admin_ids: frozenset[int],
        tz: ZoneInfo,
        default_language: str = "de",
    ) -> None:
        self.render = QuestionTexts(texts, tz, default_language)
        self.routing = Routing(db, territory, admin_ids, default_language)
        self.lookup = QuestionLookup(db, territory)
        self.steps = QuestionSteps(db, tz, self.lookup, self.routing, self.render)
        self.threads = Threads(clock, self.lookup)
        self.archive = Archive(db, clock, self.threads)
        self.rule = FactionRule(self.routing)
        self.replies = Replies(
            db, clock, self.lookup, self.routing, self.steps, self.archive, self.render, self.rule
        )
        self.board = Board(db, clock, self.lookup, self.steps, self.threads)
        self.asking = Asking(
            db, clock, self.lookup, self.routing, self.steps, self.threads, self.archive, self.board
        )
        self.pseudonyms = self.asking.pseudonyms
        self.deadlines = QuestionReminders(db, territory, admin_ids, self.render)
        self.dialogs = QuestionDialogs(db, clock)

    @property
    def notify(self) -> Callable[[], None] | None:
        """Wakes the sender after a change queued outbox rows; set once the sender runs."""
        return self.steps.notify

    @notify.setter
    def notify(self, wake: Callable[[], None] | None) -> None:
        self.steps.notify = wake

"""Wiring the question relay into the services: the questions service, the faction settings, the
deadline reminders registered with the one scheduler, and the relay's retention rule.

    questions, factions = open_relay(db, clock, texts, territory, settings, reminders, retention)
"""

from __future__ import annotations

from lag_bot.clock import Clock
from lag_bot.db import Database
from lag_bot.i18n import Catalog
from lag_bot.membership.factions import Factions
from lag_bot.operations.retention import Retention
from lag_bot.questions.service import Questions
from lag_bot.reminders.service import Reminders
from lag_bot.repositories.territory import TerritoryRepository
from lag_bot.settings import Settings

FINISHED_QUESTION_DAYS = 365


def open_relay(
    db: Database,
    clock: Clock,
    texts: Catalog,
    territory: TerritoryRepository,
    settings: Settings,
    reminders: Reminders,
    retention: Retention,
) -> tuple[Questions, Factions]:
    """The relay's services; its reminder rows (target kind 'question') fire through `reminders`;
    answered or closed questions outside the archive are deleted a year after their last activity
    (the statistics look back 90 days; the archive keeps what both sides wanted kept)."""
    questions = Questions(
        db, clock, texts, territory, settings.admin_ids, settings.timezone, settings.default_language
    )
    reminders.register("question", questions.deadlines)
    retention.register(
        "finished-questions", FINISHED_QUESTION_DAYS, questions.lookup.repo.delete_finished_before
    )
    return questions, Factions(db, clock, territory)

"""How the rows of the question tables become the frozen dataclasses the relay works with."""

from __future__ import annotations

import aiosqlite

from lag_bot.questions.models import Answer, Question, Target


def question_of(r: aiosqlite.Row) -> Question:
    """A `questions` row as a Question."""
    archive = r["asker_archive"]
    return Question(
        r["id"],
        r["asker_id"],
        r["identity"],
        r["asker_district_id"],
        r["asker_level"],
        r["asker_body_id"],
        r["scope_district_id"],
        r["topic_id"],
        r["body"],
        r["status"],
        r["created_at"],
        r["answered_at"],
        r["closed_at"],
        None if archive is None else bool(archive),
        r["archived_at"],
    )


def target_of(r: aiosqlite.Row) -> Target:
    """A `question_targets` row as a Target."""
    archive = r["archive_ok"]
    return Target(
        r["id"],
        r["question_id"],
        r["faction_id"],
        r["state"],
        r["deadline"],
        r["claimed_by"],
        r["claimed_at"],
        r["answered_at"],
        r["reason"],
        r["via_target_id"],
        None if archive is None else bool(archive),
        r["created_at"],
    )


def answer_of(r: aiosqlite.Row) -> Answer:
    """A `question_answers` row as an Answer."""
    return Answer(
        r["id"],
        r["question_id"],
        r["target_id"],
        r["kind"],
        r["author_id"],
        bool(r["as_faction"]),
        r["body"],
        r["created_at"],
    )

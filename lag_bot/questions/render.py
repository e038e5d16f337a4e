"""The relay's messages, from the catalog: the question card a faction gets, an answer as the asker
gets it, a follow-up, and the notices. User text is escaped by the catalog; nothing here queries
the database (the service gathers an `Asker` and the names).

The answering side never learns a pseudonymous asker's name: `asker_line` is the only place that
describes the asker to them, and it shows the pseudonym for anything but a named question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from lag_bot.callbacks import encode
from lag_bot.delivery.message_parts import Part
from lag_bot.events.render import per_language
from lag_bot.i18n import Catalog, Html
from lag_bot.questions.actions import (
    ASKER_FEATURE,
    BOARD_FEATURE,
    CARD_FEATURE,
    AskerAction,
    BoardAction,
    CardAction,
)
from lag_bot.questions.models import Faction, Question
from lag_bot.text_input import excerpt as shorten
from lag_bot.timeparse.describe import describe_date

EXCERPT = 160


@dataclass(frozen=True)
class Asker:
    """What may be said about who asked, as of asking."""

    identity: str  # "named", "pseudonymous", "anonymous"
    name: str | None = None
    body: str | None = None
    district: str | None = None
    district_kind: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class CardFacts:
    """The names a question card shows besides the question."""

    faction: Faction
    asker: Asker
    deadline: str  # UTC ISO
    topic: str | None = None  # in the card's language: filled per language by `topic_of`
    scope: str | None = None  # "all local factions of" this district
    via: str | None = None  # passed on by this faction


class QuestionTexts:
    """Renders the relay's texts in one language or per language."""

    def __init__(self, texts: Catalog, tz: ZoneInfo, default_language: str) -> None:
        self.texts = texts
        self.tz = tz
        self.default_language = default_language

    def t(self, lang: str, key: str, **params: object) -> str:
        """A catalog text."""
        return self.texts.t(lang, key, **params)

    def faction(self, lang: str, faction: Faction) -> str:
        """ "Fraktion Kreistag Rostock"."""
        return self.t(lang, "question-faction", name=faction.name)

    def date(self, lang: str, at: str) -> str:
        """A stored UTC time as a date in the bot's zone."""
        return describe_date(datetime.fromisoformat(at).astimezone(self.tz), lang)

    def status(self, lang: str, status: str) -> str:
        """ "offen", "in Bearbeitung", …"""
        return self.t(lang, f"question-status-{status}")

    def asker_line(self, lang: str, asker: Asker) -> str:
        """Who asked, as the answering side may see it."""
        if asker.identity == "named" and asker.name:
            if asker.body:
                return self.t(lang, "question-asker-named-body", name=asker.name, body=asker.body)
            return self.t(lang, "question-asker-named", name=asker.name)
        if asker.identity == "anonymous" or asker.identity == "named":
            return self.t(lang, "question-asker-former")
        return self.pseudonym(lang, asker)

    def pseudonym(self, lang: str, asker: Asker) -> str:
        """ "ein Mitglied aus dem Landkreis Rostock, Gemeindeebene"."""
        if asker.district and asker.district_kind == "land":  # the coarsest: the state alone
            return self.t(lang, "question-pseudonym-land", district=asker.district)
        level = Html(self.t(lang, f"question-level-{asker.level or 'none'}"))
        if asker.district and asker.district_kind in ("landkreis", "kreisfreie_stadt"):
            key = f"question-pseudonym-{asker.district_kind}"
            return self.t(lang, key, district=asker.district, level=level)
        return self.t(lang, "question-pseudonym-nowhere", level=level)

    def card(self, lang: str, q: Question, facts: CardFacts, followup: str | None = None) -> str:
        """The question (or a follow-up to it) as the faction gets it."""
        lines = [
            self.t(
                lang,
                "question-card-followup-head" if followup is not None else "question-card-head",
                id=q.id,
                faction=Html(self.faction(lang, facts.faction)),
            ),
            self.t(lang, "question-card-from", asker=Html(self.asker_line(lang, facts.asker))),
        ]
        if facts.topic:
            lines.append(self.t(lang, "question-card-topic", topic=facts.topic))
        if facts.scope:
            lines.append(self.t(lang, "question-card-scope", district=facts.scope))
        if facts.via:
            lines.append(self.t(lang, "question-card-via", faction=facts.via))
        if followup is None:
            lines.append(self.t(lang, "question-card-deadline", date=self.date(lang, facts.deadline)))
            lines += ["", self.t(lang, "question-card-body", body=q.body)]
            lines += ["", self.t(lang, "question-card-how")]
        else:
            lines.append(self.t(lang, "question-card-regarding", excerpt=excerpt(q.body)))
            lines += ["", self.t(lang, "question-card-body", body=followup)]
            lines += ["", self.t(lang, "question-card-how-followup")]
        return "\n".join(lines)

    def card_parts(
        self,
        q: Question,
        facts: CardFacts,
        target_id: int,
        private: bool,
        topic_of: Callable[[str], str | None],
        followup: str | None = None,
    ) -> dict[str, list[Part]]:
        """The card per language, with the faction's buttons (in private: "Antworten" instead of claiming)."""

        def render(lang: str) -> str:
            return self.card(lang, q, _with_topic(facts, topic_of(lang)), followup)

        def buttons(lang: str) -> tuple[tuple[str, str], ...]:
            first = (CardAction.WRITE, "question-btn-write")
            if not private:
                first = (CardAction.CLAIM, "question-btn-claim")
            rest = (
                (CardAction.FORWARD, "question-btn-forward"),
                (CardAction.DECLINE, "question-btn-decline"),
            )
            return tuple(
                (self.t(lang, key), encode(CARD_FEATURE, action, target_id)) for action, key in (first, *rest)
            )

        return per_language(self.default_language, render, buttons)

    def answer_parts(
        self, q: Question, faction: Faction, author: str | None, body: str, target_id: int
    ) -> dict[str, list[Part]]:
        """An answer as the asker gets it, with "close" and "archive" buttons."""

        def render(lang: str) -> str:
            who = self.faction(lang, faction)
            if author:
                who = self.t(lang, "question-answer-by", faction=Html(who), name=author)
            head = self.t(lang, "question-answer-head", id=q.id, who=Html(who))
            return "\n".join(
                [
                    head,
                    "",
                    self.t(lang, "question-card-body", body=body),
                    "",
                    self.t(lang, "question-answer-regarding", excerpt=excerpt(q.body)),
                    self.t(lang, "question-answer-how"),
                ]
            )

        def buttons(lang: str) -> tuple[tuple[str, str], ...]:
            return (
                (self.t(lang, "question-btn-close"), encode(ASKER_FEATURE, AskerAction.CLOSE, q.id)),
                (
                    self.t(lang, "question-btn-archive-yes"),
                    encode(ASKER_FEATURE, AskerAction.ARCHIVE_YES, q.id, target_id),
                ),
            )

        return per_language(self.default_language, render, buttons)

    def notice_parts(self, key: str, **params: object) -> dict[str, list[Part]]:
        """A plain notice per language."""
        return per_language(self.default_language, lambda lang: self.t(lang, key, **params))

    def board_notice(self, question_id: int, key: str, **params: object) -> dict[str, list[Part]]:
        """A notice to the coordinators with a button to the question on their board."""
        return per_language(
            self.default_language,
            lambda lang: self.t(lang, key, id=question_id, **params),
            lambda lang: (
                (self.t(lang, "question-btn-view"), encode(BOARD_FEATURE, BoardAction.QUESTION, question_id)),
            ),
        )

    def notice_parts_with(self, render: Callable[[str], str]) -> dict[str, list[Part]]:
        """A notice whose parameters depend on the language (faction labels, dates)."""
        return per_language(self.default_language, render)


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of a text on one line, cut at a word with "…"."""
    return shorten(text, limit)


def _with_topic(facts: CardFacts, topic: str | None) -> CardFacts:
    return CardFacts(facts.faction, facts.asker, facts.deadline, topic, facts.scope, facts.via)

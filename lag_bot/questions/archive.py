"""The archive: answered questions whose asker and answering faction agreed, searchable by words.

    hits = await archive.similar("Wie plant ihr die kommunale Wärmeplanung?")   # up to 3, best first
    hits = await archive.search("Wärmeplanung Kosten")                          # every word must occur
    await archive.refresh(question_id)          # after a consent or an answer (inside the transaction)
    thread = await archive.read(member, question_id)   # one archived question, for any active member

Words are matched by their stem as a prefix ("Kommunen" finds "kommunale"), without accents
("warme" finds "Wärme"), ignoring filler words. A similar question must share at least two of the
new question's words (one, if it has at most two), so a single common word is no suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed, NotFound
from lag_bot.models import Member, Status
from lag_bot.questions.models import ArchiveHit
from lag_bot.questions.threads import Thread, Threads
from lag_bot.repositories.factions import FactionRepository
from lag_bot.repositories.question_archive import ArchiveRepository
from lag_bot.repositories.questions import QuestionRepository

SIMILAR_SHOWN = 3
SEARCH_SHOWN = 10
_CANDIDATES = 12  # best-ranked candidates checked for overlap before picking the similar ones
_MAX_TERMS = 16
_WORD = re.compile(r"[^\W_]+")
_ENDINGS = ("ungen", "en", "er", "es", "e", "n", "s")
_STOP = frozenset(
    """
    aber alle allen aller alles also als am an auch auf aus bei beim bin bis bitte da damit dann
    das dass dem den denn der des die dies diese diesem diesen dieser dieses doch dort du durch ein
    eine einem einen einer eines er es etwa euch euer eure für gibt habe haben hat hatte hier ich
    ihr ihre im in ist ja jetzt kann kein keine können könnt man mehr mein meine mit muss müssen
    nach nicht noch nun nur ob oder ohne schon sehr sich sie sind so soll sollen über um und uns
    unser unsere unter viel vom von vor war was weil welche wenn wer werden wie wir wird wo wurde
    zu zum zur frage fragen gemeinde gemeinden stadt kreis fraktion fraktionen landkreis danke
    habt macht gibt's euren eurer eurem
    the and for with what how does are you your our this that from have has about which who
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def stem(word: str) -> str:
    """A crude German stem: the word without a common ending, kept at least 4 letters long."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def terms(text: str) -> list[str]:
    """The distinct stems of the meaningful words of a text, longest (most telling) first."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if len(word) >= 3 and word not in _STOP and not word.isdigit():
            seen.setdefault(stem(word), None)
    return sorted(seen, key=len, reverse=True)[:_MAX_TERMS]


def any_of(stems: Sequence[str]) -> str:
    """An FTS5 query matching documents with any of the stems as a word prefix."""
    return " OR ".join(f'"{s}"*' for s in stems)


def all_of(stems: Sequence[str]) -> str:
    """An FTS5 query matching documents with every stem as a word prefix."""
    return " AND ".join(f'"{s}"*' for s in stems)


def overlap(stems: Sequence[str], text: str) -> int:
    """How many of the stems begin a word of `text` (accents ignored as the index ignores them)."""
    words = {_plain(w) for w in _WORD.findall(text.lower())}
    return sum(1 for s in stems if any(w.startswith(_plain(s)) for w in words))


def _plain(word: str) -> str:
    return word.translate(_ACCENTS)


_ACCENTS = str.maketrans("äöüàáâéèêëíìîïóòôúùûç", "aouaaaeeeeiiiiooouuuc")


class Archive:
    """Searches the archive and keeps it in step with the consents."""

    def __init__(self, db: Database, clock: Clock, threads: Threads) -> None:
        self.db = db
        self.clock = clock
        self.threads = threads
        self.repo = ArchiveRepository(db)
        self.questions = QuestionRepository(db)
        self.factions = FactionRepository(db)

    async def similar(self, text: str, limit: int = SIMILAR_SHOWN) -> list[ArchiveHit]:
        """Up to `limit` archived questions that look like `text`, best first."""
        stems = terms(text)
        if not stems:
            return []
        needed = 1 if len(stems) <= 2 else 2
        candidates = await self.repo.match(any_of(stems), _CANDIDATES)
        return [h for h in candidates if overlap(stems, f"{h.question} {h.answers}") >= needed][:limit]

    async def search(self, words: str, limit: int = SEARCH_SHOWN) -> list[ArchiveHit]:
        """Archived questions containing every word (as a prefix of its stem), best first."""
        stems = terms(words)
        if not stems:
            raise InvalidInput("question-search-empty")
        return await self.repo.match(all_of(stems), limit)

    async def get(self, question_id: int) -> ArchiveHit | None:
        """One archived question, or None if it is not (or no longer) archived."""
        return await self.repo.get(question_id)

    async def read(self, member: Member | None, question_id: int) -> Thread:
        """An archived question for any active member: the question and the answers of the factions
        that agreed, never who asked."""
        if member is None or member.status is not Status.ACTIVE:
            raise NotAllowed("question-members-only")
        question = await self.questions.get(question_id)
        if question is None or question.archived_at is None:
            raise NotFound("question-archive-unknown")
        thread = await self.threads.of(question)
        agreed = {t.id for t in thread.targets if t.archive_ok}
        answers = tuple(a for a in thread.answers if a.kind == "answer" and a.target_id in agreed)
        return Thread(question, thread.status, thread.targets, thread.factions, answers, {})

    async def refresh(self, question_id: int) -> bool:
        """Index the question if its asker and at least one answering faction agreed, with those
        factions' answers; otherwise take it out. Call inside the transaction that changed it."""
        question = await self.questions.get(question_id)
        if question is None:
            return False
        agreed = {t.id: t for t in await self.questions.targets(question_id) if t.archive_ok}
        answers = [
            a
            for a in await self.questions.answers(question_id)
            if a.kind == "answer" and a.target_id in agreed
        ]
        if not question.asker_archive or not answers:
            await self.repo.remove(question_id)
            await self.questions.set_archived(question_id, None)
            return False
        names = {f.id: f.name for f in await self.factions.all()}
        shown = "\n\n".join(f"{names.get(agreed[a.target_id].faction_id, '?')}: {a.body}" for a in answers)
        await self.repo.put(question_id, question.body, shown)
        if question.archived_at is None:
            await self.questions.set_archived(question_id, iso(self.clock()))
        return True

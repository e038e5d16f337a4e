"""The rules of the relay that need no database: what text is accepted, when a deadline falls,
and which status a question has. Pure, tested alone.

    body = clean_text(raw, QUESTION_MAX, "question")        # InvalidInput "question-empty" / "-too-long"
    status = status_of("open", targets, answered=False, now=now)   # "overdue" once a deadline passed
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from lag_bot.clock import iso
from lag_bot.errors import InvalidInput
from lag_bot.questions.models import REASON_MAX, REASON_MIN, Target
from lag_bot.text_input import one_line, real_words, strip_control

REVEAL_WORDS = 2  # words a reason for a reveal needs at least
OPEN_STATES = ("open", "claimed", "overdue")  # statuses in which the factions still owe an answer


def clean_text(raw: str, maximum: int, key: str) -> str:
    """The text with its outer blanks and blank-line runs trimmed; refused when empty or longer
    than `maximum` (keys `<key>-empty`, `<key>-too-long`). Markup is kept as typed: it is escaped
    wherever the text is shown, so "<b>" arrives as "<b>", and "Kosten < 5 Mio" stays readable."""
    lines = [line.rstrip() for line in strip_control(raw).split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    text = "\n".join(kept).strip()
    if not text:
        raise InvalidInput(f"{key}-empty")
    if len(text) > maximum:
        raise InvalidInput(f"{key}-too-long", max=maximum, length=len(text))
    return text


def clean_reason(raw: str) -> str:
    """A stated reason (not responsible, revealing an identity): one paragraph of REASON_MIN to
    REASON_MAX characters."""
    text = one_line(strip_control(raw))
    if len(text) < REASON_MIN:
        raise InvalidInput("question-reason-too-short", min=REASON_MIN)
    if len(text) > REASON_MAX:
        raise InvalidInput("question-reason-too-long", max=REASON_MAX, length=len(text))
    return text


def clean_reveal_reason(raw: str) -> str:
    """Why a coordinator looks behind a pseudonym: a reason as `clean_reason`, and of real words
    (at least REVEAL_WORDS of them), so NULs, a soft hyphen or a key mash are not a reason."""
    text = clean_reason(raw)
    if not real_words(text, REVEAL_WORDS):
        raise InvalidInput("question-reveal-reason-words", count=REVEAL_WORDS)
    return text


def deadline_after(now: datetime, days: int) -> str:
    """The deadline `days` days from now, stored as UTC ISO."""
    return iso(now + timedelta(days=days))


def status_of(stored: str, targets: Sequence[Target], answered: bool, now: datetime) -> str:
    """The question's status: closed and answered stay; otherwise overdue once the deadline of a
    faction that still has it passed, in progress once one of them claimed it, else open."""
    if stored == "closed":
        return "closed"
    if answered or stored == "answered":
        return "answered"
    active = [t for t in targets if t.active]
    if any(datetime.fromisoformat(t.deadline) <= now for t in active):
        return "overdue"
    if any(t.claimed_by is not None for t in active):
        return "claimed"
    return "open"


def is_open(status: str) -> bool:
    """Whether the factions still owe an answer."""
    return status in OPEN_STATES


def median(values: Sequence[float]) -> float | None:
    """The median, or None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2

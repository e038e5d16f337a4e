"""Reads the front of a text into parts (a rule, a date, a time of day…) that `timeparse.parse` resolves.

Patterns are tried at the cursor, after spaces and commas; the first that matches is consumed.
Values are only range-checked here where the part alone shows the mistake (25:00, a 6th Tuesday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from lag_bot.errors import InvalidInput
from lag_bot.text_input import excerpt
from lag_bot.timeparse.patterns import (
    CLOCKS,
    DATES,
    NUMERIC_DATES,
    ONE_OFF,
    RULES,
    WORD_CLOCKS,
    compiled,
    lookup,
)
from lag_bot.timeparse.recurrence import WORKDAYS, Rule
from lag_bot.timeparse.words import Words

ECHO_MAX = 80  # characters of the input a refusal quotes back


class TimeParseError(InvalidInput):
    """A time the user typed that cannot be accepted; `key` names the catalog text. The quoted input
    (`text`) is shortened to ECHO_MAX characters, so the refusal always fits into one message."""

    def __init__(self, key: str, **params: object) -> None:
        if isinstance(text := params.get("text"), str):
            params["text"] = excerpt(text, ECHO_MAX)
        super().__init__(key, **params)


@dataclass(frozen=True)
class Clock:
    """A wall-clock time of day; `vague`: said in words ("halb acht"), so 12 hours later may be meant."""

    hour: int
    minute: int
    vague: bool = False


@dataclass(frozen=True)
class Delta:
    """A span from now in real time ("in 10 Minuten")."""

    span: timedelta


@dataclass(frozen=True)
class DayOffset:
    """Today plus some days ("morgen", "in 3 Tagen"); `keeps_clock`: without a time, now's time of
    day; `period`: a part of the day it names ("tonight": "evening")."""

    days: int
    keeps_clock: bool
    period: str | None = None


@dataclass(frozen=True)
class NextWeekday:
    """The next such weekday ("Dienstag"); `next_week`: that day of next week ("nächste Woche Dienstag")."""

    weekday: int
    next_week: bool = False


@dataclass(frozen=True)
class DateSpec:
    """A calendar date; no year means the next such date; a weekday, if named, must agree."""

    year: int | None
    month: int
    day: int
    weekday: int | None = None


DayPart = Rule | Delta | DayOffset | NextWeekday | DateSpec


class Cursor:
    """A position in the user's text; `take` consumes one pattern."""

    _SEPARATORS = re.compile(r"[\s,]*")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """Match `pattern` after any separators; on success move past it."""
        start = self._SEPARATORS.match(self.text, self.pos)
        found = pattern.match(self.text, start.end() if start else self.pos)
        if found:
            self.pos = found.end()
        return found

    def rest(self) -> str:
        """What follows the time expression: the reminder's text, without leading punctuation."""
        return self.text[self.pos :].lstrip(" \t\r\n,:;.-–—").strip()


def _take(cur: Cursor, template: str, words: Words) -> re.Match[str] | None:
    """Consume one template at the cursor."""
    return cur.take(compiled(template, words.lang))


def day_part(cur: Cursor, words: Words) -> DayPart | None:
    """The recurrence or date at the cursor, or None if there is none."""
    for kind, template in RULES[words.lang]:
        if found := _take(cur, template, words):
            return _yearly(cur, words) if kind == "yearly" else _rule(kind, found, words)
    for kind, template in ONE_OFF[words.lang]:
        if found := _take(cur, template, words):
            return _one_off(kind, found, words)
    if date := _date(cur, words):
        return date
    if found := _take(cur, r"{WPRE}{W}", words):
        weekday = _weekday(found, words)
        date = _date(cur, words)  # "Dienstag, 8. Dezember 2026": the weekday must then agree
        return NextWeekday(weekday) if date is None else DateSpec(date.year, date.month, date.day, weekday)
    return None


def _rule(kind: str, found: re.Match[str], words: Words) -> Rule:
    """The recurrence one matched rule pattern stands for."""
    if kind == "daily":
        return Rule("DAILY", interval=_count(found, words))
    if kind == "workdays":
        return Rule("WEEKLY", weekdays=WORKDAYS)
    if kind == "monthly_nth":
        return Rule("MONTHLY", weekdays=(_weekday(found, words),), nth=_ordinal(found, words))
    if kind == "last_day":
        return Rule("MONTHLY", monthday=-1)
    if kind == "monthday":
        return Rule("MONTHLY", monthday=_monthday(found))
    groups = found.groupdict()
    days = (_weekday(found, words),) if groups.get("wd") or groups.get("wdp") else ()
    return Rule("WEEKLY", interval=2 if kind == "biweekly" else _count(found, words), weekdays=days)


def _yearly(cur: Cursor, words: Words) -> Rule:
    """ "jährlich am 3.12.": a date without a year must follow."""
    date = _date(cur, words)
    if date is None or date.year is not None:
        raise TimeParseError("time-unknown", text=cur.text.strip())
    if not 1 <= date.month <= 12 or not 1 <= date.day <= _MONTH_DAYS[date.month - 1]:
        raise TimeParseError("time-impossible-date", text=cur.text[: cur.pos].strip())
    return Rule("YEARLY", month=date.month, monthday=date.day)


_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _one_off(kind: str, found: re.Match[str], words: Words) -> Delta | DayOffset | NextWeekday:
    """A day relative to today, or a span from now."""
    if kind == "next_week":
        return NextWeekday(_weekday(found, words), next_week=True)
    if kind == "today":
        return DayOffset(0, keeps_clock=False, period=str(lookup(words.today_periods, found["per"])))
    if kind == "rel":
        days = int(lookup(words.day_offsets, found["rel"]))
        return DayOffset(days, keeps_clock=days < 0)  # "vorgestern" alone: in the past all the same
    if kind == "half":
        return Delta(timedelta(minutes=30))
    count, unit = _count(found, words), lookup(words.units, found["unit"])
    if unit in ("days", "weeks"):
        return DayOffset(count * (7 if unit == "weeks" else 1), keeps_clock=True)
    return Delta(timedelta(minutes=count * (60 if unit == "hours" else 1)))


def _date(cur: Cursor, words: Words) -> DateSpec | None:
    """A calendar date at the cursor (not yet checked: 31.02. is read, then refused when resolved)."""
    for template in [*NUMERIC_DATES, *DATES[words.lang]]:
        if found := _take(cur, template, words):
            groups = found.groupdict()
            month = int(groups["mo"]) if groups.get("mo") else int(lookup(words.months, groups["mon"]))
            year = groups["y"]
            full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
            return DateSpec(full_year, month, int(groups["d"]))
    return None


def clock(cur: Cursor, words: Words, *, leading: bool) -> Clock | None:
    """A time of day at the cursor; `leading`: it would open the text, so only unmistakable forms."""
    for template, may_lead in CLOCKS[words.lang]:
        if (may_lead or not leading) and (found := _take(cur, template, words)):
            return _clock(found)
    for template, minutes in WORD_CLOCKS[words.lang]:
        if found := _take(cur, template, words):
            return _word_clock(found, minutes, words)
    return None


def _word_clock(found: re.Match[str], minutes: int, words: Words) -> Clock:
    """ "halb acht" (7:30), "viertel nach sieben" (7:15): the named hour plus `minutes`."""
    raw = found["hw"]
    named = int(raw) if raw.isdigit() else int(lookup(words.hours, raw))
    if named > 24:
        raise TimeParseError("time-impossible-time", text=found[0].strip())
    total = named * 60 + minutes
    return Clock(total // 60 % 24, total % 60, vague=1 <= named <= 12)


def _clock(found: re.Match[str]) -> Clock:
    """Hours and minutes of a matched time, 12-hour forms converted; 25:00 is refused."""
    groups = found.groupdict()
    if groups.get("noon"):
        return Clock(12, 0)
    hour, minute = int(groups["h"]), int(groups.get("m") or 0)
    if groups.get("ampm"):
        if not 1 <= hour <= 12:
            raise TimeParseError("time-impossible-time", text=found[0].strip())
        hour = hour % 12 + (12 if groups["ampm"].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        raise TimeParseError("time-impossible-time", text=found[0].strip())
    return Clock(hour, minute)


def _count(found: re.Match[str], words: Words) -> int:
    """The number in "in 3 Tagen", "alle zwei Wochen"; 1 when the pattern has none."""
    raw = found.groupdict().get("n")
    count = 1 if raw is None else int(raw) if raw.isdigit() else int(lookup(words.numbers, raw))
    if count < 1:
        raise TimeParseError("time-unknown", text=found[0].strip())
    return count


def _weekday(found: re.Match[str], words: Words) -> int:
    """The weekday a match names, singular ("Dienstag") or plural ("dienstags")."""
    plural = found.groupdict().get("wdp")
    if plural:
        return int(lookup(words.weekdays_plural, plural))
    return int(lookup(words.weekdays, found["wd"]))


def _ordinal(found: re.Match[str], words: Words) -> int:
    """2 for "2." / "zweiten" / "2nd", -1 for "letzten"; a 6th Tuesday does not exist."""
    raw = found["ord"]
    if not raw[0].isdigit():
        return int(lookup(words.ordinals, raw))
    if not 1 <= int(raw[0]) <= 5:
        raise TimeParseError("time-impossible-date", text=found[0].strip())
    return int(raw[0])


def _monthday(found: re.Match[str]) -> int:
    """The day of the month of "monatlich am 15."."""
    day = int(found["day"])
    if not 1 <= day <= 31:
        raise TimeParseError("time-impossible-date", text=found[0].strip())
    return day

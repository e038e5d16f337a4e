"""Reminder times typed in plain German or English: what they mean, how to show them, when they fire.

    w = parse_when("morgen 18:00 Kreistag vorbereiten", now=now, tz=ZoneInfo("Europe/Berlin"), lang="de")
    # OneOff(at=<18:00 tomorrow, aware>, rest="Kreistag vorbereiten")
    describe(w, lang="de")                        # "Sonntag, 22. November 2026, 18:00 Uhr"
    next_occurrences(w, after=now, count=3)       # aware datetimes

The time expression opens the text; whatever follows it is `rest` (the reminder's text). Both
orders work: "morgen 18 Uhr", "18 Uhr morgen". A bare time ("18:00") is its next occurrence; a
time that opens the text must be unmistakable ("18:00", "18 Uhr", "um 18.30"), so "3.12 …" is not 03:12.
A part of the day goes with a day or a time ("heute Abend 20 Uhr", "morgen früh um 8", "8 Uhr
abends", "tonight at 8") and makes 8 mean 20:00 in the afternoon, evening or night. A clock in words
("um halb acht", "viertel nach sieben", "half past seven") alone is the next of its two readings
(7:30 or 19:30); on a named day without a part of the day, its hours before 7 are afternoon
("morgen um halb drei": 14:30). "nächste Woche Dienstag" is the Tuesday of the next calendar week.
"gestern", "vorgestern" are read, and refused as past. A day and month without a year is the next
one; if that is next year, `OneOff.next_year` says so for the confirmation.
Recurrences are stored as RFC 5545 RRULE text plus an IANA zone name plus the first firing, whose
local date anchors INTERVAL rules ("alle 2 Wochen" counts from the first firing's week).
"jeden 2. Dienstag" (with or without "im Monat") is the 2nd Tuesday of each month; every other
Tuesday is "alle 2 Wochen Dienstag". If nothing parses in `lang`, the other language is tried
(its reading is used only if it succeeds completely).

DST rule. Times are wall-clock times in the zone. A recurring 08:00 fires at 08:00 local on both
sides of a change. A wall time that does not exist (2027-03-28 02:30 in Berlin, clocks jump from
02:00 to 03:00) is moved forward by the gap, to 03:30. A wall time that exists twice (2027-10-31
02:30) means the first of the two (fold=0, still summer time: 00:30 UTC). "in 2 Stunden" is
elapsed time; "morgen", "in 3 Tagen" are calendar days at a wall time.

Errors are `TimeParseError` (an `InvalidInput`); every one has the parameter `text`, the part of
the input it is about, shortened to ECHO_MAX characters:
    time-unknown            no time at the start of the text (show examples)
    time-past               the time has passed; also `when`, the moment described
    time-impossible-date    31.02., a 6th Tuesday, day 32 of a month
    time-impossible-time    25:00, 13 pm
    time-no-clock           a day without a time of day ("morgen Kreistag")
    time-weekday-mismatch   "Dienstag, 3.12.2026" when that is a Thursday; also `weekday`, the real one
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lag_bot.timeparse.dayparts import in_period, period, pm
from lag_bot.timeparse.describe import describe_moment, describe_rule
from lag_bot.timeparse.grammar import (
    ECHO_MAX,
    Clock,
    Cursor,
    DateSpec,
    DayOffset,
    DayPart,
    Delta,
    NextWeekday,
    TimeParseError,
    clock,
    day_part,
)
from lag_bot.timeparse.recurrence import Rule, localize, occurrences
from lag_bot.timeparse.words import WORDS, Words

__all__ = [
    "ECHO_MAX",
    "OneOff",
    "Recurring",
    "TimeParseError",
    "When",
    "describe",
    "describe_moment",
    "next_occurrences",
    "parse_when",
]

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class OneOff:
    """A single moment (aware, in the user's zone) and the reminder text after the time;
    `next_year`: a day and month without a year that has passed this year, so next year's is meant."""

    at: datetime
    rest: str = ""
    next_year: bool = False


@dataclass(frozen=True)
class Recurring:
    """An RRULE (without DTSTART) in an IANA zone; `first` is the first firing and anchors the rule."""

    rrule: str
    tz: str
    first: datetime
    rest: str = ""


When = OneOff | Recurring


def parse_when(text: str, *, now: datetime, tz: ZoneInfo = BERLIN, lang: str = "de") -> When:
    """Read the time expression opening `text`; TimeParseError if there is none or it cannot be."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    out = lang if lang in WORDS else "de"
    try:
        return _parse(text, now.astimezone(tz), tz, WORDS[out], out)
    except TimeParseError as error:
        if error.key != "time-unknown":
            raise
        # Mixed-language input ("tomorrow 18:00" from a German user): take the other reading only
        # if it fully succeeds, so "Do the laundry" is not blamed for lacking a time on Thursday.
        for other in (code for code in WORDS if code != out):
            with suppress(TimeParseError):
                return _parse(text, now.astimezone(tz), tz, WORDS[other], out)
        raise


def _parse(text: str, now: datetime, zone: ZoneInfo, words: Words, out: str) -> When:
    """Parse in one language; `now` is already in `zone`."""
    cur = Cursor(text)
    part = day_part(cur, words)
    when: Clock | None = None
    if part is None and (when := clock(cur, words, leading=True)):
        part = day_part(cur, words)  # "18 Uhr morgen"
    said_part = period(cur, words) if part is not None and not isinstance(part, Delta) else None
    if when is None and part is not None and not isinstance(part, Delta):
        when = clock(cur, words, leading=False)
    if when is not None and said_part is None:
        said_part = period(cur, words)  # "8 Uhr abends", "8 Uhr abends morgen"
        if said_part is not None and part is None:
            part = day_part(cur, words)
    said = text[: cur.pos].strip()
    if (part is None and when is None) or (isinstance(part, Delta) and when is not None):
        raise TimeParseError("time-unknown", text=text.strip())
    if isinstance(part, DayOffset) and part.period is not None:
        said_part = said_part or part.period
    if when is not None:
        when = in_period(when, said_part, bare=part is None)
    if isinstance(part, Rule):
        return _recurring(part, _need(when, said), now, zone, said, cur.rest())
    try:
        at = _moment(part, when, now, zone, said, out)
    except OverflowError as error:  # "in 9999 Wochen" from a date near the year 9999
        raise TimeParseError("time-impossible-date", text=said) from error
    if at <= now:
        raise TimeParseError("time-past", text=said, when=describe_moment(at, out))
    if when is not None and when.vague and part is None:
        at = min(at, _next_at(pm(when), now, zone, None))  # "um halb acht" at noon: this evening
    rolled = isinstance(part, DateSpec) and part.year is None and at.year > now.year
    return OneOff(at, cur.rest(), next_year=rolled)


def _need(when: Clock | None, said: str) -> Clock:
    """The time of day, which a day or a rule without one lacks."""
    if when is None:
        raise TimeParseError("time-no-clock", text=said)
    return when


def _at(day: date, when: Clock, zone: ZoneInfo) -> datetime:
    """A local date and time of day as an aware moment (DST rule applied)."""
    return localize(datetime.combine(day, time(when.hour, when.minute)), zone)


def _moment(
    part: DayPart | None, when: Clock | None, now: datetime, zone: ZoneInfo, said: str, out: str
) -> datetime:
    """The one moment a non-recurring expression means; may lie in the past (checked by the caller)."""
    if isinstance(part, Delta):
        return (now.astimezone(UTC) + part.span).astimezone(zone).replace(microsecond=0)
    if isinstance(part, DayOffset):
        if when is None and part.keeps_clock:
            when = Clock(now.hour, now.minute)
        return _at(now.date() + timedelta(days=part.days), _need(when, said), zone)
    if isinstance(part, DateSpec):
        return _on_date(part, _need(when, said), now, zone, said, out)
    if isinstance(part, NextWeekday) and part.next_week:
        monday = now.date() + timedelta(days=7 - now.weekday())
        return _at(monday + timedelta(days=part.weekday), _need(when, said), zone)
    weekday = part.weekday if isinstance(part, NextWeekday) else None
    return _next_at(_need(when, said), now, zone, weekday)


def _next_at(when: Clock, now: datetime, zone: ZoneInfo, weekday: int | None) -> datetime:
    """The first moment after now at this time of day (on this weekday, if given)."""
    for ahead in range(8):
        day = now.date() + timedelta(days=ahead)
        if weekday in (None, day.weekday()) and (at := _at(day, when, zone)) > now:
            return at
    raise AssertionError("a week always holds the next such day")


def _on_date(spec: DateSpec, when: Clock, now: datetime, zone: ZoneInfo, said: str, out: str) -> datetime:
    """A calendar date: with its year as given, without the next one not yet past (29.02. → a leap year)."""
    if not (1 <= spec.month <= 12 and 1 <= spec.day <= 31):
        raise TimeParseError("time-impossible-date", text=said)
    years = [spec.year] if spec.year is not None else range(now.year, now.year + 9)
    candidates = [_at(day, when, zone) for day in _valid_dates(years, spec.month, spec.day)]
    if not candidates:
        raise TimeParseError("time-impossible-date", text=said)
    at = next((c for c in candidates if c > now), candidates[-1])
    if spec.weekday is not None and spec.weekday != at.weekday():
        raise TimeParseError(
            "time-weekday-mismatch", text=said, weekday=WORDS[out].weekday_names[at.weekday()]
        )
    return at


def _valid_dates(years: list[int] | range, month: int, day: int) -> list[date]:
    """Those of the years in which this month has this day."""
    found = []
    for year in years:
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    return found


def _recurring(rule: Rule, when: Clock, now: datetime, zone: ZoneInfo, said: str, rest: str) -> Recurring:
    """The rule at this time of day, with its first firing after now (the anchor of INTERVAL)."""
    rule = replace(rule, hour=when.hour, minute=when.minute)
    if rule.freq == "WEEKLY" and not rule.weekdays:  # "wöchentlich 8:00": the weekday of the next 8:00
        rule = replace(rule, weekdays=(_next_at(when, now, zone, None).weekday(),))
    # The first firing ignores INTERVAL: "alle 2 Wochen Mittwoch" starts this coming Wednesday.
    first = occurrences(replace(rule, interval=1).to_rrule(), zone, now.date(), now, 1)
    if not first:  # not reachable with the rules the grammar builds; a guard, not a feature
        raise TimeParseError("time-impossible-date", text=said)
    return Recurring(rule.to_rrule(), zone.key, first[0], rest)


def next_occurrences(w: When, *, after: datetime, count: int = 1) -> list[datetime]:
    """The next `count` firings strictly after `after` (a one-off has at most one), aware in its zone."""
    if isinstance(w, OneOff):
        return [w.at] if w.at > after else []
    zone = ZoneInfo(w.tz)
    return occurrences(w.rrule, zone, w.first.astimezone(zone).date(), after, count)


def describe(w: When, lang: str = "de", *, after: datetime | None = None) -> str:
    """The expression as the bot confirms it; a rule with its next firing (after `after`, else the first)."""
    if isinstance(w, OneOff):
        return describe_moment(w.at, lang)
    rule = Rule.from_rrule(w.rrule)
    upcoming = next_occurrences(w, after=after, count=1) if after is not None else [w.first]
    return describe_rule(rule, lang, upcoming[0] if upcoming else None)

"""Times and rules in words, German and English, in a form `parse_when` reads back to the same thing.
The phrases are in the catalog (`lag_bot/texts/<lang>.timeparse.toml`, table `when`); a day and a clock
time are Babel's (`lag_bot.formats`), the weekday and month names in rules the parser's own (`words.py`)."""

from __future__ import annotations

from datetime import datetime, time
from functools import cache

from lag_bot.formats import clock, day
from lag_bot.i18n import Catalog
from lag_bot.timeparse.recurrence import WORKDAYS, Rule
from lag_bot.timeparse.words import WORDS, Words


@cache
def _catalog() -> Catalog:
    """The catalog, read once."""
    return Catalog.load()


def _say(lang: str, key: str, **params: object) -> str:
    """One phrase of the catalog (the `when` table)."""
    return _catalog().phrase(lang, key, **params)


def _words(lang: str) -> Words:
    """The vocabulary of `lang`, German for anything unknown."""
    return WORDS.get(lang, WORDS["de"])


def describe_date(at: datetime, lang: str) -> str:
    """ "Dienstag, 8. Dezember 2026" / "Tuesday, 8 December 2026"."""
    return day(at.date(), lang)


def _clock(hour: int, minute: int, lang: str) -> str:
    """ "18:00 Uhr" / "18:00"."""
    return _say(lang, "when-clock", time=clock(time(hour, minute), lang))


def describe_moment(at: datetime, lang: str) -> str:
    """ "Dienstag, 8. Dezember 2026, 18:00 Uhr" (the wall time where `at` is)."""
    return _say(lang, "when-moment", date=describe_date(at, lang), clock=_clock(at.hour, at.minute, lang))


def describe_rule(rule: Rule, lang: str, upcoming: datetime | None) -> str:
    """ "jeden 2. Dienstag im Monat um 18:00 Uhr (nächstes Mal: Dienstag, 8. Dezember 2026)"."""
    text = _say(lang, "when-rule", days=_days(rule, lang), clock=_clock(rule.hour, rule.minute, lang))
    if upcoming is None:
        return text
    shown = describe_date(upcoming, lang)
    if (upcoming.hour, upcoming.minute) != (rule.hour, rule.minute):  # moved by a DST gap: say so
        shown = describe_moment(upcoming, lang)
    return _say(lang, "when-rule-next", rule=text, date=shown)


def _days(rule: Rule, lang: str) -> str:
    """Which days a rule fires on, in words."""
    words = _words(lang)
    days = ", ".join(words.weekday_names[d] for d in rule.weekdays)
    if rule.freq == "DAILY":
        if rule.interval == 1:
            return _say(lang, "when-daily")
        return _say(lang, "when-daily-every", n=rule.interval)
    if rule.freq == "WEEKLY" and rule.weekdays == WORKDAYS and rule.interval == 1:
        return _say(lang, "when-workdays")
    if rule.freq == "WEEKLY":
        if rule.interval == 1:
            return _say(lang, "when-weekly", days=days)
        return _say(lang, "when-weekly-every", n=rule.interval, days=days)
    if rule.freq == "MONTHLY" and rule.nth is not None:
        return _say(lang, "when-monthly-nth", nth=_nth(rule.nth, lang), days=days)
    if rule.freq == "MONTHLY":
        if rule.monthday == -1:
            return _say(lang, "when-monthly-last-day")
        return _say(lang, "when-monthly-day", ordinal=_ordinal(rule.monthday or 0, lang))
    month = words.month_names[(rule.month or 1) - 1]
    return _say(lang, "when-yearly", n=rule.monthday, month=month)


def _nth(nth: int, lang: str) -> str:
    """ "2." / "2nd", and the last and second to last of a month."""
    if nth == -1:
        return _say(lang, "when-nth-last")
    if nth == -2:
        return _say(lang, "when-nth-second-last")
    return _ordinal(nth, lang)


def _ordinal(n: int, lang: str) -> str:
    """ "5." / 1st, 2nd, 3rd, 4th, 11th, 21st."""
    form = "other" if 10 <= n % 100 <= 20 else {1: "1", 2: "2", 3: "3"}.get(n % 10, "other")
    return _say(lang, f"when-ordinal-{form}", n=n)

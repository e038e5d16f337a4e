"""Times and rules in words, German and English, in a form `parse_when` reads back to the same thing."""

from __future__ import annotations

from datetime import datetime

from lag_bot.timeparse.recurrence import WORKDAYS, Rule
from lag_bot.timeparse.words import WORDS, Words


def _words(lang: str) -> Words:
    """The vocabulary of `lang`, German for anything unknown."""
    return WORDS.get(lang, WORDS["de"])


def describe_date(at: datetime, lang: str) -> str:
    """ "Dienstag, 8. Dezember 2026" / "Tuesday, 8 December 2026"."""
    words = _words(lang)
    dot = "." if words.lang == "de" else ""
    weekday, month = words.weekday_names[at.weekday()], words.month_names[at.month - 1]
    return f"{weekday}, {at.day}{dot} {month} {at.year}"


def _clock(hour: int, minute: int, lang: str) -> str:
    """ "18:00 Uhr" / "18:00"."""
    return f"{hour:02d}:{minute:02d}" + (" Uhr" if _words(lang).lang == "de" else "")


def describe_moment(at: datetime, lang: str) -> str:
    """ "Dienstag, 8. Dezember 2026, 18:00 Uhr" (the wall time where `at` is)."""
    return f"{describe_date(at, lang)}, {_clock(at.hour, at.minute, lang)}"


def describe_rule(rule: Rule, lang: str, upcoming: datetime | None) -> str:
    """ "jeden 2. Dienstag im Monat um 18:00 Uhr (nächstes Mal: Dienstag, 8. Dezember 2026)"."""
    german = _words(lang).lang == "de"
    text = f"{_days(rule, german)} {'um' if german else 'at'} {_clock(rule.hour, rule.minute, lang)}"
    if upcoming is None:
        return text
    shown = describe_date(upcoming, lang)
    if (upcoming.hour, upcoming.minute) != (rule.hour, rule.minute):  # moved by a DST gap: say so
        shown = describe_moment(upcoming, lang)
    return f"{text} ({'nächstes Mal' if german else 'next'}: {shown})"


def _days(rule: Rule, german: bool) -> str:
    """Which days a rule fires on, in words."""
    names = (WORDS["de"] if german else WORDS["en"]).weekday_names
    days = ", ".join(names[d] for d in rule.weekdays)
    if rule.freq == "DAILY":
        return _every(rule.interval, german, ("täglich", "alle {} Tage"), ("every day", "every {} days"))
    if rule.freq == "WEEKLY" and rule.weekdays == WORKDAYS and rule.interval == 1:
        return "werktags" if german else "on weekdays"
    if rule.freq == "WEEKLY":
        return _every(
            rule.interval, german, (f"jeden {days}", f"alle {{}} Wochen am {days}"),
            (f"every {days}", f"every {{}} weeks on {days}"),
        )  # fmt: skip
    if rule.freq == "MONTHLY" and rule.nth is not None:
        if german:
            return f"jeden {_NTH_DE.get(rule.nth, f'{rule.nth}.')} {days} im Monat"
        return f"every {_NTH_EN.get(rule.nth) or _ordinal_en(rule.nth)} {days} of the month"
    if rule.freq == "MONTHLY":
        if rule.monthday == -1:
            return "monatlich am letzten Tag" if german else "monthly on the last day"
        return (
            f"monatlich am {rule.monthday}."
            if german
            else f"monthly on the {_ordinal_en(rule.monthday or 0)}"
        )
    month = (WORDS["de"] if german else WORDS["en"]).month_names[(rule.month or 1) - 1]
    return f"jährlich am {rule.monthday}. {month}" if german else f"every year on {rule.monthday} {month}"


def _every(interval: int, german: bool, de: tuple[str, str], en: tuple[str, str]) -> str:
    """The plain form for interval 1, else the counted one."""
    single, counted = de if german else en
    return single if interval == 1 else counted.format(interval)


_NTH_DE = {-1: "letzten", -2: "vorletzten"}
_NTH_EN = {-1: "last", -2: "second to last"}


def _ordinal_en(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

"""Numbers, dates and times as the member's language writes them, through Babel (CLDR's data),
instead of hand-written tables and `:.1f`.

    number(1234, "de")                   # "1.234"
    decimal(0.0, "de", 1)                # "0,0"
    day(date(2026, 12, 3), "de")         # "Donnerstag, 3. Dezember 2026"
    clock(datetime(…, 15, 40), "de")     # "15:40"
    moment(datetime(…), "de")            # "03.12.2026 15:40" (short, for lists and reports)

Parsing typed times keeps its own word tables (lag_bot/timeparse): that is reading, not showing.
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal

DAY_PATTERNS = {"de": "EEEE, d. MMMM y", "en": "EEEE, d MMMM y"}  # the day in words, with its weekday
MOMENT_PATTERNS = {"de": "dd.MM.y HH:mm", "en": "d MMM y, HH:mm"}  # a short date and time


def _locale(lang: str) -> str:
    """The bot's languages as they are; anything else German, like the catalog."""
    return lang if lang in DAY_PATTERNS else "de"


def number(value: float, lang: str) -> str:
    """A count or amount: `1.234` in German, `1,234` in English."""
    return format_decimal(value, locale=_locale(lang))


def decimal(value: float, lang: str, places: int) -> str:
    """A number with exactly `places` decimals: `0,0` in German, `0.0` in English."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=_locale(lang), decimal_quantization=True)


def day(value: date, lang: str) -> str:
    """A day in words with its weekday: "Donnerstag, 3. Dezember 2026"."""
    return format_date(value, DAY_PATTERNS[_locale(lang)], locale=_locale(lang))


def weekday(value: date, lang: str) -> str:
    """The weekday's name: "Samstag", "Saturday"."""
    return format_date(value, "EEEE", locale=_locale(lang))


def clock(value: datetime | time, lang: str) -> str:
    """A time of day on the 24-hour clock: "15:40"."""
    return format_time(value, "HH:mm", locale=_locale(lang))


def moment(value: datetime, lang: str) -> str:
    """A date and time in short, as it stands (give it in the bot's time zone): "03.12.2026 15:40",
    "3 Dec 2026, 15:40"."""
    return format_datetime(value, MOMENT_PATTERNS[_locale(lang)], locale=_locale(lang))

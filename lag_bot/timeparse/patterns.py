"""The patterns of time expressions, as templates filled per language from `lag_bot.timeparse.words`.

Every pattern is matched case-insensitively and must end at a word boundary, so "morgens" is not
"morgen" and "Di" does not match "Dienstag". Within a list, order decides between overlapping
readings: "jeden 2. Dienstag" is tried as a monthly rule before "jeden 2." as a day of the month.
"""

from __future__ import annotations

import re
from functools import cache

from lag_bot.text_input import one_line
from lag_bot.timeparse.words import WORDS


def _alt(words: dict[str, int] | dict[str, str]) -> str:
    """A regex alternation of phrases, longest first so "dienstag" wins over "di"."""
    return "|".join(_phrase(w) for w in sorted(words, key=len, reverse=True))


def _phrase(word: str) -> str:
    """One phrase as a regex; its spaces match any run of whitespace."""
    return r"\s+".join(re.escape(part) for part in word.split())


def lookup(table: dict[str, int] | dict[str, str], word: str) -> int | str:
    """The table's value for a matched word, compared the way the regex compared it."""
    value = table.get(one_line(word.lower()))
    if value is not None:
        return value
    # re.IGNORECASE also folds a few odd letters (ſ, K); find the phrase the regex accepted.
    return next(v for k, v in table.items() if re.fullmatch(_phrase(k), word, re.IGNORECASE))


_SHARED = {
    "N": r"(?P<n>[0-9]{1,4}|{NUM})",
    "W": r"(?P<wd>{WDS})\.?",
    "WP": r"(?P<wdp>{WDP})",
    "M": r"(?P<mon>{MON})\.?",
}
_DE = {
    "ORD": r"(?P<ord>[0-9]\.|{ORDS})",
    "D": r"(?P<day>[0-9]{1,2})\.",
    "D0": r"(?P<day>[0-9]{1,2})\.",
    "OFMONTH": r"(?:im|des|jeden|jedes|eines)\s+monats?",
    "DP": r"(?:(?:am|den)\s+)?",
    "WPRE": r"(?:(?:am|nächste[nr]?|naechste[nr]?|kommende[nr]?|diese[nm])\s+)?",
    "AT": r"(?:(?:um|gegen|ab)\s+)",
    "SUF": r"(?:uhr|h)",
    "NOON": r"mittags?",
}
_EN = {
    "ORD": r"(?P<ord>[0-9](?:st|nd|rd|th)|{ORDS})",
    "D": r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)",
    "D0": r"(?P<day>[0-9]{1,2})(?:st|nd|rd|th)?",
    "OFMONTH": r"(?:of|in)\s+(?:the|each|every)\s+month",
    "DP": r"(?:on\s+)?(?:the\s+)?",
    "WPRE": r"(?:(?:on|next|this|coming)\s+)?",
    "AT": r"(?:at\s+)",
    "SUF": r"(?:h|o'?clock)",
    "NOON": r"noon|midday",
}

RULES = {
    "de": [
        ("daily", r"täglich|taeglich|jeden\s+tag|alle\s+tage"),
        ("daily", r"alle\s+{N}\s+tage"),
        (
            "workdays",
            r"werktags|an\s+werktagen|jeden\s+werktag|(?:montags?|mo\.?)\s*(?:bis|-|–)\s*(?:freitags?|fr)",
        ),
        ("monthly_nth", r"(?:jeden|jede|jeder|monatlich(?:\s+am)?)\s+{ORD}\s+{W}(?:\s+{OFMONTH})?"),
        ("monthly_nth", r"am\s+{ORD}\s+{W}\s+{OFMONTH}"),
        ("last_day", r"monatlich\s+am\s+letzten(?:\s+tag)?|(?:jeden|am)\s+letzten\s+tag\s+{OFMONTH}"),
        ("monthday", r"monatlich(?:\s+am)?\s+{D}"),
        ("monthday", r"(?:jeden|am)\s+{D}\s+{OFMONTH}"),
        ("monthday", r"jeden\s+{D}"),
        ("weekly", r"(?:jeden|jede|jeder)\s+{W}"),
        ("weekly", r"{WP}"),
        ("weekly", r"(?:wöchentlich|woechentlich|jede\s+woche)(?:\s+(?:am\s+)?{W})?"),
        ("weekly", r"alle\s+{N}\s+wochen(?:\s+(?:am\s+)?{W})?"),
        ("biweekly", r"(?:vierzehntägig|vierzehntaegig|14-tägig|jede\s+zweite\s+woche)(?:\s+(?:am\s+)?{W})?"),
        ("yearly", r"(?:jährlich|jaehrlich|jedes\s+jahr)(?:\s+am)?"),
    ],
    "en": [
        ("daily", r"daily|every\s+day|each\s+day"),
        ("daily", r"every\s+{N}\s+days"),
        (
            "workdays",
            r"(?:on\s+)?weekdays|every\s+weekday|(?:mondays?|mon)\s*(?:to|through|thru|-|–)\s*(?:fridays?|fri)",
        ),
        (
            "monthly_nth",
            r"(?:every|each|(?:monthly|every\s+month)\s+on\s+the)\s+{ORD}\s+{W}(?:\s+{OFMONTH})?",
        ),
        ("monthly_nth", r"(?:on\s+)?the\s+{ORD}\s+{W}\s+{OFMONTH}"),
        (
            "last_day",
            r"(?:monthly|every\s+month)\s+on\s+the\s+last\s+day|(?:on\s+)?the\s+last\s+day\s+{OFMONTH}",
        ),
        ("monthday", r"(?:monthly|every\s+month)\s+on\s+the\s+{D0}"),
        ("monthday", r"(?:on\s+)?the\s+{D0}\s+{OFMONTH}"),
        ("monthday", r"every\s+{D}(?:\s+{OFMONTH})?"),
        ("weekly", r"(?:every|each)\s+{W}"),
        ("weekly", r"(?:on\s+)?{WP}"),
        ("weekly", r"(?:weekly|every\s+week)(?:\s+on)?(?:\s+{W})?"),
        ("weekly", r"every\s+{N}\s+weeks(?:\s+on)?(?:\s+{W})?"),
        ("biweekly", r"(?:every\s+other\s+week|biweekly|fortnightly)(?:\s+on)?(?:\s+{W})?"),
        ("biweekly", r"every\s+other\s+{W}"),
        ("yearly", r"(?:yearly|annually|every\s+year)(?:\s+on)?"),
    ],
}
ONE_OFF = {
    "de": [
        ("next_week", r"(?:nächste|naechste|kommende)\s+woche\s+(?:am\s+)?{W}"),
        ("next_week", r"{W}\s+(?:nächste|naechste|kommende)\s+woche"),
        ("rel", r"{REL}"),
        ("half", r"in\s+einer\s+halben\s+stunde"),
        ("in", r"in\s+{N}\s+{U}"),
    ],
    "en": [
        ("next_week", r"next\s+week\s+(?:on\s+)?{W}"),
        ("next_week", r"{W}\s+(?:of\s+)?next\s+week"),
        ("today", r"{TPER}"),
        ("rel", r"{REL}"),
        ("half", r"in\s+half\s+an\s+hour"),
        ("in", r"in\s+{N}\s+{U}"),
    ],
}
# A part of the day after a day or a time: "morgen früh", "8 Uhr abends", "tomorrow evening".
PERIOD = r"{PER}"
DATES = {
    "de": [r"{DP}(?P<d>[0-9]{1,2})\.?\s*{M}(?:\s+(?P<y>[0-9]{4}))?"],
    "en": [
        r"{DP}(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?{M}(?:,?\s+(?P<y>[0-9]{4}))?",
        r"{DP}{M}\s+(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>[0-9]{4}))?",
    ],
}
NUMERIC_DATES = [
    r"{DP}(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})",
    r"{DP}(?P<d>[0-9]{1,2})\.(?P<mo>[0-9]{1,2})\.(?P<y>[0-9]{4}|[0-9]{2})?",
]
# (pattern, may it open the text): a bare "18.30" is a time only after a date, so "3.12 …" is not 03:12.
_CLOCKS = [
    (r"{AT}?(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?:\s*{SUF})?", True),
    (r"{AT}?(?P<h>[0-9]{1,2})\.(?P<m>[0-9]{2})\s*{SUF}", True),
    (r"{AT}(?P<h>[0-9]{1,2})\.(?P<m>[0-9]{2})(?!\.?[0-9])", True),
    (r"(?P<h>[0-9]{1,2})\.(?P<m>[0-9]{2})(?!\.?[0-9])", False),
    (r"{AT}?(?P<h>[0-9]{1,2})\s*{SUF}", True),
    (r"{AT}(?P<h>[0-9]{1,2})(?![:.]?[0-9])", True),
    (r"{AT}?(?P<noon>{NOON})", True),
]
# A clock in words names an hour of a 12-hour clock ("halb acht": 7:30 or 19:30) and the minutes to
# add to it: "halb acht" is eight minus 30, "viertel nach sieben" seven plus 15.
WORD_CLOCKS = {
    "de": [
        (r"{AT}?halb\s+{HW}", -30),
        (r"{AT}?viertel\s+nach\s+{HW}", 15),
        (r"{AT}?viertel\s+vor\s+{HW}", -15),
        (r"{AT}?(?:drei\s*viertel)\s+{HW}", -15),
        (r"{AT}?viertel\s+{HW}", -45),
        (r"{AT}?{HW}\s+uhr", 0),
        (r"{AT}{HW}", 0),
    ],
    "en": [
        (r"{AT}?half\s+past\s+{HW}", 30),
        (r"{AT}?(?:a\s+)?quarter\s+past\s+{HW}", 15),
        (r"{AT}?(?:a\s+)?quarter\s+to\s+{HW}", -15),
        (r"{AT}?half\s+{HW}", 30),
        (r"{AT}?{HW}\s+o'?clock", 0),
        (r"{AT}{HW}", 0),
    ],
}
CLOCKS = {
    "de": _CLOCKS,
    "en": [(r"{AT}?(?P<h>[0-9]{1,2})(?::(?P<m>[0-9]{2}))?\s*(?P<ampm>[ap])\.?\s?m\.?", True), *_CLOCKS],
}


_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9]*)\}")


@cache
def compiled(template: str, lang: str) -> re.Pattern[str]:
    """A template with its {PLACEHOLDERS} filled for one language, ending at a word boundary."""
    words = WORDS[lang]
    fills = {**_SHARED, **(_DE if lang == "de" else _EN)}
    tables = {
        "NUM": _alt(words.numbers), "WDS": _alt(words.weekdays), "WDP": _alt(words.weekdays_plural),
        "MON": _alt(words.months), "ORDS": _alt(words.ordinals), "U": rf"(?P<unit>{_alt(words.units)})",
        "REL": rf"(?P<rel>{_alt(words.day_offsets)})",
        "PER": rf"(?P<per>{_alt(words.periods)})", "TPER": rf"(?P<per>{_alt(words.today_periods)})",
        "HW": rf"(?P<hw>[0-9]{{1,2}}|{_alt(words.hours)})",
    }  # fmt: skip

    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        return _PLACEHOLDER.sub(fill, fills[name]) if name in fills else tables[name]

    return re.compile("(?:" + _PLACEHOLDER.sub(fill, template) + r")(?!\w)", re.IGNORECASE)

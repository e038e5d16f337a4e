"""The words of time expressions, German and English: what the parser reads and the describer writes.

A small table rather than Babel: Babel is not a declared dependency, and the parser needs the
inflected and abbreviated forms ("Di.", "dienstags", "zweiten") that no locale database lists.
"""

from __future__ import annotations

from dataclasses import dataclass


def _forms(stems: dict[str, int], endings: tuple[str, ...]) -> dict[str, int]:
    """Every stem with every ending: {"zweit": 2} → {"zweite": 2, "zweiten": 2, …}."""
    return {stem + ending: value for stem, value in stems.items() for ending in endings}


def _counted(spelled: str) -> dict[str, int]:
    """ "ein|eine zwei" → {"ein": 1, "eine": 1, "zwei": 2}: the n-th group of spellings means n."""
    return {word: n for n, group in enumerate(spelled.split(), 1) for word in group.split("|")}


def _grouped(groups: dict[str, str]) -> dict[str, str]:
    """{"hours": "stunde stunden"} → {"stunde": "hours", "stunden": "hours"}."""
    return {word: key for key, words in groups.items() for word in words.split()}


@dataclass(frozen=True)
class Words:
    """The vocabulary of one language."""

    lang: str
    weekdays: dict[str, int]  # 0 = Monday; names and abbreviations
    weekdays_plural: dict[str, int]  # "dienstags", "tuesdays": every such day
    months: dict[str, int]
    ordinals: dict[str, int]  # "zweiten" → 2, "letzten" → -1
    numbers: dict[str, int]
    units: dict[str, str]  # → "minutes", "hours", "days" or "weeks"
    day_offsets: dict[str, int]  # "morgen" → 1, "gestern" → -1 (refused as past)
    periods: dict[str, str]  # "abends" → "evening": a part of the day after a day or a time
    today_periods: dict[str, str]  # "tonight" → "evening": today at that part of the day
    hours: dict[str, int]  # "acht" → 8: the hour of a clock in words ("halb acht")
    weekday_names: tuple[str, ...]
    month_names: tuple[str, ...]


_DE_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DE_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

GERMAN = Words(
    lang="de",
    weekdays={
        **{name.lower(): i for i, name in enumerate(_DE_WEEKDAYS)},
        **{name: i for i, name in enumerate(("mo", "di", "mi", "do", "fr", "sa", "so"))},
        "sonnabend": 5,
    },
    weekdays_plural={**{name.lower() + "s": i for i, name in enumerate(_DE_WEEKDAYS)}, "sonnabends": 5},
    months={
        **{name.lower(): i for i, name in enumerate(_DE_MONTHS, 1)},
        **{name.lower()[:3]: i for i, name in enumerate(_DE_MONTHS, 1)},
        "jänner": 1,
        "maerz": 3,
        "mrz": 3,
        "sept": 9,
    },
    ordinals=_forms(
        {"erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "fuenft": 5, "letzt": -1, "vorletzt": -2},
        ("e", "en", "er", "es"),
    ),
    numbers=_counted(
        "ein|eine|einer|einem|einen zwei drei vier fünf|fuenf sechs sieben acht neun zehn elf zwölf|zwoelf"
    ),
    units=_grouped(
        {
            "minutes": "minute minuten min",
            "hours": "stunde stunden std",
            "days": "tag tage tagen",
            "weeks": "woche wochen",
        }
    ),
    day_offsets={
        "heute": 0, "morgen": 1, "übermorgen": 2, "uebermorgen": 2, "gestern": -1, "vorgestern": -2,
    },
    periods=_grouped(
        {
            "morning": "früh morgens morgen vormittag vormittags",
            "afternoon": "nachmittag nachmittags",
            "evening": "abend abends",
            "night": "nacht nachts",
        }
    ),
    today_periods={},  # "heute Abend" is "heute" and a part of the day
    hours=_counted("ein|eins zwei drei vier fünf|fuenf sechs sieben acht neun zehn elf zwölf|zwoelf"),
    weekday_names=_DE_WEEKDAYS,
    month_names=_DE_MONTHS,
)

ENGLISH = Words(
    lang="en",
    weekdays={
        **{name.lower(): i for i, name in enumerate(_EN_WEEKDAYS)},
        **{name.lower()[:3]: i for i, name in enumerate(_EN_WEEKDAYS)},
        "tues": 1,
        "thur": 3,
        "thurs": 3,
    },
    weekdays_plural={name.lower() + "s": i for i, name in enumerate(_EN_WEEKDAYS)},
    months={
        **{name.lower(): i for i, name in enumerate(_EN_MONTHS, 1)},
        **{name.lower()[:3]: i for i, name in enumerate(_EN_MONTHS, 1)},
        "sept": 9,
    },
    ordinals={
        **_counted("first second third fourth fifth"),
        "last": -1,
        **dict.fromkeys(("second to last", "second-to-last", "second last", "penultimate"), -2),
    },
    numbers=_counted("a|an|one two three four five six seven eight nine ten eleven twelve"),
    units=_grouped(
        {
            "minutes": "minute minutes min mins",
            "hours": "hour hours hr hrs h",
            "days": "day days",
            "weeks": "week weeks",
        }
    ),
    day_offsets={
        "today": 0, "tomorrow": 1, "day after tomorrow": 2, "the day after tomorrow": 2,
        "yesterday": -1, "day before yesterday": -2, "the day before yesterday": -2,
    },
    periods={
        **dict.fromkeys(("morning", "in the morning"), "morning"),
        **dict.fromkeys(("afternoon", "in the afternoon"), "afternoon"),
        **dict.fromkeys(("evening", "in the evening", "night", "at night"), "evening"),
    },
    today_periods={
        "tonight": "evening", "this evening": "evening", "this morning": "morning",
        "this afternoon": "afternoon",
    },
    hours=_counted("one two three four five six seven eight nine ten eleven twelve"),
    weekday_names=_EN_WEEKDAYS,
    month_names=_EN_MONTHS,
)

WORDS = {"de": GERMAN, "en": ENGLISH}

"""Parts of the day ("abends", "morgen früh", "tonight") and what they do to a time of day: 8 said in
the evening is 20:00. Read after a day or a time by `timeparse.parse`.
"""

from __future__ import annotations

from lag_bot.timeparse.grammar import Clock, Cursor
from lag_bot.timeparse.patterns import PERIOD, compiled, lookup
from lag_bot.timeparse.words import Words


def period(cur: Cursor, words: Words) -> str | None:
    """The part of the day at the cursor ("abends": "evening"), or None."""
    found = cur.take(compiled(PERIOD, words.lang))
    return str(lookup(words.periods, found["per"])) if found else None


def pm(when: Clock) -> Clock:
    """The afternoon or evening reading of a morning time (7:30 → 19:30)."""
    return Clock(when.hour + 12, when.minute) if when.hour < 12 else when


def in_period(when: Clock, part_of_day: str | None, *, bare: bool) -> Clock:
    """The time of day in the part of the day said with it ("abends 8 Uhr": 20:00). Without one, a time
    in words on a named day ("morgen um halb drei") reads hours before 7 as afternoon; a bare one is
    resolved later (the next of its two readings)."""
    if part_of_day in ("afternoon", "evening") and when.hour < 12:
        return pm(when)
    if part_of_day == "night" and 6 <= when.hour < 12:
        return pm(when)
    if part_of_day is None and when.vague and not bare and when.hour < 7:
        return pm(when)
    if part_of_day is not None:
        return Clock(when.hour, when.minute)  # the part of the day settled it
    return when

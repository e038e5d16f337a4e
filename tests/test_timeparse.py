"""The time parser and recurrence: typed German/English times, how they are shown, when they fire, DST.

Long on purpose: mostly tables of typed input and what it must mean, one parser's whole grammar.
The German and English words here are pinned on purpose: they are what people type and how a time
is described back to them, which is the point of these tests (not looked up by catalog key).
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lag_bot.errors import InvalidInput
from lag_bot.i18n import Catalog
from lag_bot.timeparse.parse import (
    ECHO_MAX,
    OneOff,
    Recurring,
    TimeParseError,
    When,
    describe,
    next_occurrences,
    parse_when,
)
from lag_bot.timeparse.recurrence import Rule, localize, occurrences

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=BERLIN)  # a Saturday
DE_DAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def parse(text: str, lang: str = "de", now: datetime = NOW) -> When:
    return parse_when(text, now=now, tz=BERLIN, lang=lang)


def at(text: str, now: datetime = NOW) -> datetime:
    parsed = parse(text, now=now)
    assert isinstance(parsed, OneOff)
    return parsed.at


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("03.12.2026 18:00", "de", local(2026, 12, 3, 18)),
        ("3.12. 18 Uhr", "de", local(2026, 12, 3, 18)),
        ("3.12.2026 18.30", "de", local(2026, 12, 3, 18, 30)),
        ("3.12.26 18:30", "de", local(2026, 12, 3, 18, 30)),
        ("morgen 18:00", "de", local(2026, 11, 22, 18)),
        ("Morgen um 18 Uhr", "de", local(2026, 11, 22, 18)),
        ("übermorgen 9 Uhr", "de", local(2026, 11, 23, 9)),
        ("heute 20:15", "de", local(2026, 11, 21, 20, 15)),
        ("in 10 Minuten", "de", local(2026, 11, 21, 9, 10)),
        ("in 2 Stunden", "de", local(2026, 11, 21, 11)),
        ("in einer Stunde", "de", local(2026, 11, 21, 10)),
        ("in einer halben Stunde", "de", local(2026, 11, 21, 9, 30)),
        ("in 3 Tagen 9:00", "de", local(2026, 11, 24, 9)),
        ("in 3 Tagen", "de", local(2026, 11, 24, 9)),
        ("in zwei Wochen 18h", "de", local(2026, 12, 5, 18)),
        ("2026-12-03 18:00", "de", local(2026, 12, 3, 18)),
        ("Dienstag 19:00", "de", local(2026, 11, 24, 19)),
        ("am Di. um 19 Uhr", "de", local(2026, 11, 24, 19)),
        ("Samstag 10:00", "de", local(2026, 11, 21, 10)),  # today is Saturday and 10:00 is still ahead…
        ("Samstag 8:00", "de", local(2026, 11, 28, 8)),  # …but 08:00 has passed: next week
        ("am 3. Dezember 2026 um 18 Uhr", "de", local(2026, 12, 3, 18)),
        ("Donnerstag, 3. Dezember 2026, 18:00 Uhr", "de", local(2026, 12, 3, 18)),
        ("18 Uhr morgen", "de", local(2026, 11, 22, 18)),
        ("18:00", "de", local(2026, 11, 21, 18)),
        ("8:00", "de", local(2026, 11, 22, 8)),  # a bare time is its next occurrence
        ("morgen mittag", "de", local(2026, 11, 22, 12)),
        ("morgen 18.30.", "de", local(2026, 11, 22, 18, 30)),
        ("um 18.30", "de", local(2026, 11, 21, 18, 30)),
        ("24. Dez. 18 Uhr", "de", local(2026, 12, 24, 18)),
        ("nächsten Fr. gegen 17 Uhr", "de", local(2026, 11, 27, 17)),
        ("  MORGEN   18:00  ", "de", local(2026, 11, 22, 18)),
        ("29.02. 10:00", "de", local(2028, 2, 29, 10)),  # the next 29 February
        ("tomorrow 6pm", "en", local(2026, 11, 22, 18)),
        ("tomorrow 18:00", "en", local(2026, 11, 22, 18)),
        ("tomorrow at 6:30 p.m.", "en", local(2026, 11, 22, 18, 30)),
        ("12am", "en", local(2026, 11, 22, 0)),
        ("at noon", "en", local(2026, 11, 21, 12)),
        ("in 10 minutes", "en", local(2026, 11, 21, 9, 10)),
        ("in an hour", "en", local(2026, 11, 21, 10)),
        ("2026-12-03 18:00", "en", local(2026, 12, 3, 18)),
        ("3 Dec 2026 18:00", "en", local(2026, 12, 3, 18)),
        ("December 3rd, 2026 at 6pm", "en", local(2026, 12, 3, 18)),
        ("on Tuesday at 19:00", "en", local(2026, 11, 24, 19)),
        ("the day after tomorrow 9am", "en", local(2026, 11, 23, 9)),
        ("Thursday, 3 December 2026, 18:00", "en", local(2026, 12, 3, 18)),
    ],
)
def test_one_off(text: str, lang: str, expected: datetime) -> None:
    # Only the 29 February (no year typed) lies beyond this year: the confirmation says "nächstes Jahr".
    assert parse(text, lang) == OneOff(expected, next_year=text == "29.02. 10:00")


@pytest.mark.parametrize(
    ("text", "lang", "rule", "first"),
    [
        ("täglich 8:00", "de", "DAILY", local(2026, 11, 22, 8)),
        ("jeden Tag 8 Uhr", "de", "DAILY", local(2026, 11, 22, 8)),
        ("täglich 9:30", "de", "DAILY", local(2026, 11, 21, 9, 30)),
        ("werktags 7:30", "de", "WEEKLY;BYDAY=MO,TU,WE,TH,FR", local(2026, 11, 23, 7, 30)),
        ("jeden Dienstag 19:00", "de", "WEEKLY;BYDAY=TU", local(2026, 11, 24, 19)),
        ("dienstags um 19 Uhr", "de", "WEEKLY;BYDAY=TU", local(2026, 11, 24, 19)),
        ("jeden 2. Dienstag im Monat 18:00", "de", "MONTHLY;BYDAY=+2TU", local(2026, 12, 8, 18)),
        ("jeden zweiten Dienstag im Monat 18:00", "de", "MONTHLY;BYDAY=+2TU", local(2026, 12, 8, 18)),
        ("jeden 2. Dienstag 18:00", "de", "MONTHLY;BYDAY=+2TU", local(2026, 12, 8, 18)),
        ("jeden letzten Freitag im Monat 17:00", "de", "MONTHLY;BYDAY=-1FR", local(2026, 11, 27, 17)),
        ("monatlich am 1. um 9:00", "de", "MONTHLY;BYMONTHDAY=1", local(2026, 12, 1, 9)),
        ("monatlich am letzten Tag 9:00", "de", "MONTHLY;BYMONTHDAY=-1", local(2026, 11, 30, 9)),
        ("wöchentlich Montag 8:00", "de", "WEEKLY;BYDAY=MO", local(2026, 11, 23, 8)),
        ("wöchentlich 8:00", "de", "WEEKLY;BYDAY=SU", local(2026, 11, 22, 8)),
        ("alle 2 Wochen Mittwoch 18:00", "de", "WEEKLY;INTERVAL=2;BYDAY=WE", local(2026, 11, 25, 18)),
        ("alle drei Tage 7 Uhr", "de", "DAILY;INTERVAL=3", local(2026, 11, 22, 7)),
        ("jährlich am 3.12. 18 Uhr", "de", "YEARLY;BYMONTH=12;BYMONTHDAY=3", local(2026, 12, 3, 18)),
        ("every day 8:00", "en", "DAILY", local(2026, 11, 22, 8)),
        ("weekdays 7:30", "en", "WEEKLY;BYDAY=MO,TU,WE,TH,FR", local(2026, 11, 23, 7, 30)),
        ("every Tuesday 19:00", "en", "WEEKLY;BYDAY=TU", local(2026, 11, 24, 19)),
        ("every 2nd Tuesday of the month 18:00", "en", "MONTHLY;BYDAY=+2TU", local(2026, 12, 8, 18)),
        ("every last Friday of the month 5pm", "en", "MONTHLY;BYDAY=-1FR", local(2026, 11, 27, 17)),
        ("monthly on the 1st at 9:00", "en", "MONTHLY;BYMONTHDAY=1", local(2026, 12, 1, 9)),
        ("every other Wednesday 18:00", "en", "WEEKLY;INTERVAL=2;BYDAY=WE", local(2026, 11, 25, 18)),
    ],
)
def test_recurring(text: str, lang: str, rule: str, first: datetime) -> None:
    rrule = f"FREQ={rule};BYHOUR={first.hour};BYMINUTE={first.minute};BYSECOND=0"
    assert parse(text, lang) == Recurring(rrule, "Europe/Berlin", first)


def test_the_examples_of_the_issue() -> None:
    monthly = parse("jeden 2. Dienstag im Monat 18:00")
    assert monthly == Recurring(
        rrule="FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=18;BYMINUTE=0;BYSECOND=0",
        tz="Europe/Berlin",
        first=local(2026, 12, 8, 18),
        rest="",
    )
    assert parse("morgen 18:00 Kreistag vorbereiten") == OneOff(
        local(2026, 11, 22, 18), "Kreistag vorbereiten"
    )


def test_rest_is_the_reminder_text() -> None:
    assert parse("morgen 18:00 Kreistag vorbereiten").rest == "Kreistag vorbereiten"
    group = parse("jeden 2. Dienstag 18:00 Fraktionssitzung, Rathaus Raum 3")
    assert isinstance(group, Recurring) and group.rest == "Fraktionssitzung, Rathaus Raum 3"
    assert parse("morgen 18 Uhr: Müll rausbringen").rest == "Müll rausbringen"
    assert parse("in 10 Minuten Tee").rest == "Tee"
    assert parse("tomorrow 6pm call Anna", "en").rest == "call Anna"
    assert parse("Dienstag 19:00 Dienstagsrunde").rest == "Dienstagsrunde"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("today 12am", "time-past"),
        ("13pm", "time-impossible-time"),
        ("0am", "time-impossible-time"),
        ("31 Feb 18:00", "time-impossible-date"),
        ("every 6th Tuesday 18:00", "time-impossible-date"),
        ("remind me tomorrow", "time-unknown"),
        ("tomorrow call Anna", "time-no-clock"),
    ],
)
def test_english_errors(text: str, key: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse(text, "en")
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("heute 8:00", "time-past"),
        ("03.12.2025 18:00", "time-past"),
        ("31.02. 18:00", "time-impossible-date"),
        ("31.04.2027 10:00", "time-impossible-date"),
        ("29.02.2027 10:00", "time-impossible-date"),
        ("13.13.2027 10:00", "time-impossible-date"),
        ("jeden 6. Dienstag 18:00", "time-impossible-date"),
        ("monatlich am 32. 9:00", "time-impossible-date"),
        ("jährlich am 30.02. 9:00", "time-impossible-date"),
        ("morgen 25:00", "time-impossible-time"),
        ("25:00", "time-impossible-time"),
        ("morgen 18:60", "time-impossible-time"),
        ("Kreistag vorbereiten", "time-unknown"),
        ("", "time-unknown"),
        ("12/03/2026 18:00", "time-unknown"),  # month/day order is ambiguous: not accepted
        ("morgens 8 Uhr", "time-unknown"),
        ("3.12 18 Uhr", "time-unknown"),  # not 03:12 with the text "18 Uhr"
        ("18.30 Sitzung", "time-unknown"),  # a dotted time only after a day: "morgen 18.30"
        ("morgen Kreistag", "time-no-clock"),
        ("Dienstag", "time-no-clock"),
        ("jeden Dienstag", "time-no-clock"),
        ("Dienstag, 3.12.2026 18:00", "time-weekday-mismatch"),
    ],
)
def test_errors(text: str, key: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse(text)
    assert caught.value.key == key
    assert isinstance(caught.value, InvalidInput)
    assert "text" in caught.value.params


def test_error_params() -> None:
    with pytest.raises(TimeParseError) as caught:
        parse("heute 8:00 Kaffee")
    assert caught.value.params == {"text": "heute 8:00", "when": "Samstag, 21. November 2026, 08:00 Uhr"}
    with pytest.raises(TimeParseError) as caught:
        parse("Tuesday, 3 December 2026, 18:00", "en")
    assert caught.value.params["weekday"] == "Thursday"
    with pytest.raises(TimeParseError) as caught:
        parse("morgen um 25 Uhr Kreistag")
    assert caught.value.params == {"text": "um 25 Uhr"}


def test_year_less_date_is_the_next_one() -> None:
    """…and says so (`next_year`) when it lies beyond this year, for the confirmation."""
    assert parse("3.12. 18 Uhr", now=local(2026, 12, 5, 9)) == OneOff(local(2027, 12, 3, 18), next_year=True)
    assert parse("21.11. 10:00") == OneOff(local(2026, 11, 21, 10))
    assert parse("21.11. 8:00") == OneOff(local(2027, 11, 21, 8), next_year=True)
    assert parse("3.12.2027 18 Uhr", now=local(2026, 12, 5, 9)) == OneOff(local(2027, 12, 3, 18))


def test_other_language_is_tried_when_nothing_matched() -> None:
    assert parse("tomorrow 6pm", "de") == OneOff(local(2026, 11, 22, 18))
    assert parse("morgen 18:00", "en") == OneOff(local(2026, 11, 22, 18))
    with pytest.raises(TimeParseError) as caught:
        parse("Do the laundry", "en")  # not "Donnerstag without a time"
    assert caught.value.key == "time-unknown"


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("morgen 9:00", now=datetime(2026, 11, 21, 9))


def test_describe() -> None:
    assert describe(parse("03.12.2026 18:00")) == "Donnerstag, 3. Dezember 2026, 18:00 Uhr"
    assert describe(parse("03.12.2026 18:00"), lang="en") == "Thursday, 3 December 2026, 18:00"
    monthly = parse("jeden 2. Dienstag im Monat 18:00")
    assert (
        describe(monthly)
        == "jeden 2. Dienstag im Monat um 18:00 Uhr (nächstes Mal: Dienstag, 8. Dezember 2026)"
    )
    assert (
        describe(monthly, "en") == "every 2nd Tuesday of the month at 18:00 (next: Tuesday, 8 December 2026)"
    )
    later = describe(monthly, after=local(2026, 12, 9))
    assert later.endswith("(nächstes Mal: Dienstag, 12. Januar 2027)")
    texts = {
        "täglich 8:00": ("täglich um 08:00 Uhr", "every day at 08:00"),
        "werktags 7:30": ("werktags um 07:30 Uhr", "on weekdays at 07:30"),
        "jeden Dienstag 19:00": ("jeden Dienstag um 19:00 Uhr", "every Tuesday at 19:00"),
        "alle 2 Wochen Mittwoch 18:00": (
            "alle 2 Wochen am Mittwoch um 18:00 Uhr",
            "every 2 weeks on Wednesday at 18:00",
        ),
        "jeden letzten Freitag im Monat 17:00": (
            "jeden letzten Freitag im Monat um 17:00 Uhr",
            "every last Friday of the month at 17:00",
        ),
        "monatlich am 1. um 9:00": ("monatlich am 1. um 09:00 Uhr", "monthly on the 1st at 09:00"),
        "monatlich am letzten 9:00": (
            "monatlich am letzten Tag um 09:00 Uhr",
            "monthly on the last day at 09:00",
        ),
        "jährlich am 3.12. 18 Uhr": (
            "jährlich am 3. Dezember um 18:00 Uhr",
            "every year on 3 December at 18:00",
        ),
    }
    for text, (german, english) in texts.items():
        rule = parse(text)
        assert describe(rule).startswith(german + " (nächstes Mal: ")
        assert describe(rule, "en").startswith(english + " (next: ")


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(
    "text",
    [
        "täglich 8:00",
        "alle 3 Tage 7:15",
        "werktags 7:30",
        "jeden Dienstag 19:00",
        "alle 2 Wochen Mittwoch 18:00",
        "jeden 2. Dienstag im Monat 18:00",
        "jeden letzten Freitag im Monat 17:00",
        "jeden vorletzten Montag 8:00",
        "monatlich am 1. um 9:00",
        "monatlich am letzten 9:00",
        "monatlich am 31. 9:00",
        "jährlich am 29.02. 8:00",
    ],
)
def test_described_rule_parses_back_to_itself(text: str, lang: str) -> None:
    rule = parse(text)
    assert isinstance(rule, Recurring)
    again = parse(describe(rule, lang), lang)
    assert isinstance(again, Recurring)
    assert (again.rrule, again.first) == (rule.rrule, rule.first)
    assert again.rest.startswith("(")  # only the "(nächstes Mal: …)" is left over


def test_next_occurrences() -> None:
    once = parse("morgen 18:00")
    assert next_occurrences(once, after=NOW, count=3) == [local(2026, 11, 22, 18)]
    assert next_occurrences(once, after=local(2026, 11, 22, 18)) == []
    biweekly = parse("alle 2 Wochen Mittwoch 18:00")
    days = [d.date().isoformat() for d in next_occurrences(biweekly, after=NOW, count=3)]
    assert days == ["2026-11-25", "2026-12-09", "2026-12-23"]
    # The anchor is the first firing: asked much later, still the same weeks.
    later = next_occurrences(biweekly, after=local(2027, 6, 1), count=2)
    assert all((d.date() - local(2026, 11, 25).date()).days % 14 == 0 for d in later)
    monthly_31 = parse("monatlich am 31. 9:00")
    assert [d.month for d in next_occurrences(monthly_31, after=NOW, count=3)] == [12, 1, 3]


def test_rule_text_round_trip() -> None:
    rule = Rule("MONTHLY", weekdays=(1,), nth=2, hour=18)
    assert rule.to_rrule() == "FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=18;BYMINUTE=0;BYSECOND=0"
    for text in ["FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;BYHOUR=7;BYMINUTE=5;BYSECOND=0", rule.to_rrule()]:
        assert Rule.from_rrule(text).to_rrule() == text
    with pytest.raises(ValueError):
        Rule.from_rrule("FREQ=HOURLY;BYMINUTE=0")


# DST: 2027-03-28 02:00 → 03:00 (CET → CEST), 2027-10-31 03:00 → 02:00 (CEST → CET).


def test_daily_0230_across_spring_gap() -> None:
    rule = parse("täglich 2:30", now=local(2027, 3, 26, 12))
    fired = next_occurrences(rule, after=local(2027, 3, 26, 12), count=4)
    assert [d.astimezone(UTC) for d in fired] == [
        utc(2027, 3, 27, 1, 30),  # 02:30 CET
        utc(2027, 3, 28, 1, 30),  # 02:30 does not exist: 03:30 CEST
        utc(2027, 3, 29, 0, 30),  # 02:30 CEST
        utc(2027, 3, 30, 0, 30),
    ]
    assert [(d.day, d.hour, d.minute) for d in fired] == [(27, 2, 30), (28, 3, 30), (29, 2, 30), (30, 2, 30)]


def test_daily_0230_across_autumn_fold() -> None:
    rule = parse("täglich 2:30", now=local(2027, 10, 29, 12))
    fired = next_occurrences(rule, after=local(2027, 10, 29, 12), count=4)
    assert [d.astimezone(UTC) for d in fired] == [
        utc(2027, 10, 30, 0, 30),  # 02:30 CEST
        utc(2027, 10, 31, 0, 30),  # 02:30 exists twice: the first, still CEST; not again at 01:30 UTC
        utc(2027, 11, 1, 1, 30),  # 02:30 CET
        utc(2027, 11, 2, 1, 30),
    ]
    assert all((d.hour, d.minute) == (2, 30) for d in fired)


@pytest.mark.parametrize(
    ("now", "expected_utc"),
    [
        (local(2027, 3, 26, 12), [utc(2027, 3, 27, 7), utc(2027, 3, 28, 6), utc(2027, 3, 29, 6)]),
        (local(2027, 10, 29, 12), [utc(2027, 10, 30, 6), utc(2027, 10, 31, 7), utc(2027, 11, 1, 7)]),
    ],
)
def test_daily_0800_stays_at_0800_local(now: datetime, expected_utc: list[datetime]) -> None:
    fired = next_occurrences(parse("täglich 8:00", now=now), after=now, count=3)
    assert [d.astimezone(UTC) for d in fired] == expected_utc
    assert all((d.hour, d.minute) == (8, 0) for d in fired)


def test_one_off_on_dst_nights() -> None:
    assert at("28.03.2027 02:30").astimezone(UTC) == utc(2027, 3, 28, 1, 30)
    assert describe(parse("28.03.2027 02:30")) == "Sonntag, 28. März 2027, 03:30 Uhr"
    assert at("31.10.2027 02:30").astimezone(UTC) == utc(2027, 10, 31, 0, 30)
    # Hours are elapsed time: two hours after 01:30 CET on the spring night is 04:30 CEST.
    spring = local(2027, 3, 28, 1, 30)
    assert at("in 2 Stunden", spring) == local(2027, 3, 28, 4, 30)
    assert at("morgen 8:00", spring).astimezone(UTC) == utc(2027, 3, 29, 6)


def test_gap_shift_is_shown_with_the_time() -> None:
    rule = parse("täglich 2:30", now=local(2027, 3, 27, 12))
    assert describe(rule).endswith("(nächstes Mal: Sonntag, 28. März 2027, 03:30 Uhr)")


# Properties


@settings(max_examples=150, deadline=None)
@example(datetime(2027, 3, 28, 2, 30))  # does not exist: 03:30 CEST
@example(datetime(2027, 10, 31, 2, 30))  # exists twice: the first, CEST
@given(st.datetimes(min_value=datetime(2026, 11, 21, 9, 1), max_value=datetime(2028, 11, 20, 23, 59)))
def test_typed_date_round_trip(wall: datetime) -> None:
    wall = wall.replace(second=0, microsecond=0)
    parsed = parse(wall.strftime("%d.%m.%Y %H:%M"))
    assert isinstance(parsed, OneOff)
    assert parsed.at == localize(wall, BERLIN)
    if localize(wall, BERLIN).replace(tzinfo=None) == wall:  # not in the spring gap
        assert parsed.at.replace(tzinfo=None) == wall
    assert parse(describe(parsed)) == parsed  # shown text reads back as the same moment
    assert parse(describe(parsed, "en"), "en") == parsed


_DST_NIGHTS = st.sampled_from([local(2027, 3, 27, 3), local(2027, 10, 30, 3), local(2028, 3, 25, 22)])
_ANY_NOW = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2029, 12, 31)).map(
    lambda d: localize(d, BERLIN)
)


@st.composite
def recurring_specs(draw: st.DrawFn) -> tuple[str, str, str, int, int, int | None]:
    """(text, lang, kind, hour, minute, weekday) of a daily, weekly or monthly-nth rule."""
    lang = draw(st.sampled_from(["de", "en"]))
    kind = draw(st.sampled_from(["daily", "weekly", "nth"]))
    hour = draw(st.one_of(st.just(2), st.integers(0, 23)))  # 2 o'clock meets the DST nights
    minute = draw(st.integers(0, 59))
    weekday = draw(st.integers(0, 6))
    nth = draw(st.sampled_from([1, 2, 3, 4, -1]))
    clock = f"{hour}:{minute:02d}"
    days = (DE_DAYS if lang == "de" else EN_DAYS)[weekday]
    if kind == "daily":
        return (f"täglich {clock}" if lang == "de" else f"every day {clock}"), lang, kind, hour, minute, None
    if kind == "weekly":
        return (
            (f"jeden {days} {clock}" if lang == "de" else f"every {days} {clock}"),
            lang,
            kind,
            hour,
            minute,
            weekday,
        )
    ordinal = {"de": {-1: "letzten"}, "en": {-1: "last", 1: "1st", 2: "2nd", 3: "3rd", 4: "4th"}}[lang]
    word = ordinal.get(nth, f"{nth}.")
    text = (
        f"jeden {word} {days} im Monat {clock}"
        if lang == "de"
        else f"every {word} {days} of the month {clock}"
    )
    return text, lang, f"nth{nth}", hour, minute, weekday


@settings(max_examples=150, deadline=None)
@given(recurring_specs(), st.one_of(_DST_NIGHTS, _ANY_NOW))
def test_recurring_occurrences(spec: tuple[str, str, str, int, int, int | None], now: datetime) -> None:
    text, lang, kind, hour, minute, weekday = spec
    rule = parse(text, lang, now=now)
    assert isinstance(rule, Recurring)
    fired = next_occurrences(rule, after=now, count=6)
    assert len(fired) == 6 and fired[0] == rule.first > now
    assert all(a < b for a, b in pairwise(fired))
    for moment in fired:
        wall = moment.replace(tzinfo=None)
        stated = wall.replace(hour=hour, minute=minute)
        assert moment == localize(stated, BERLIN)  # the stated wall time, or it moved by the gap
        if (wall.hour, wall.minute) != (hour, minute):
            assert localize(stated, BERLIN).replace(tzinfo=None) != stated  # only a missing time moves
        if weekday is not None:
            assert moment.weekday() == weekday
        if kind.startswith("nth"):
            nth = int(kind[3:])
            last_day = calendar.monthrange(moment.year, moment.month)[1]
            assert (moment.day - 1) // 7 + 1 == nth if nth > 0 else moment.day + 7 > last_day
    assert f"{hour:02d}:{minute:02d}" in describe(rule, lang)
    again = parse(describe(rule, lang), lang, now=now)
    assert isinstance(again, Recurring) and again.rrule == rule.rrule


@st.composite
def stored_rules(draw: st.DrawFn) -> Rule:
    """Any rule of the subset the parser writes, with an interval."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    hour, minute = draw(st.sampled_from([2, 8, 23])), draw(st.sampled_from([0, 30, 59]))
    interval = draw(st.integers(1, 4))
    if freq == "WEEKLY":
        days = draw(st.sets(st.integers(0, 6), min_size=1, max_size=3))
        return Rule(freq, interval, tuple(sorted(days)), hour=hour, minute=minute)
    if freq == "MONTHLY":
        if draw(st.booleans()):
            nth = draw(st.sampled_from([1, 2, 4, -1]))
            return Rule(freq, interval, (draw(st.integers(0, 6)),), nth, hour=hour, minute=minute)
        return Rule(freq, interval, monthday=draw(st.sampled_from([1, 15, 31, -1])), hour=hour, minute=minute)
    if freq == "YEARLY":
        return Rule(
            freq, interval, month=draw(st.integers(1, 12)), monthday=draw(st.integers(1, 28)), hour=hour
        )
    return Rule(freq, interval, hour=hour, minute=minute)


@settings(max_examples=100, deadline=None)
@given(stored_rules(), _ANY_NOW, st.integers(0, 2000))
def test_skipping_ahead_matches_walking_from_the_anchor(rule: Rule, anchor_time: datetime, days: int) -> None:
    anchor = anchor_time.date()
    after = anchor_time + timedelta(days=days, hours=5)
    text = rule.to_rrule()
    walked = rrulestr(text, dtstart=datetime.combine(anchor, datetime.min.time()))
    expected = [
        moment
        for moment in (
            localize(wall, BERLIN)
            for wall in walked.xafter(after.replace(tzinfo=None) - timedelta(days=1), 10)
        )
        if moment > after
    ][:3]
    assert occurrences(text, BERLIN, anchor, after, 3) == expected


# Words and forms the grammar knows, so random texts reach deep into it.
_VOCABULARY = (
    "morgen heute übermorgen 18:00 9 Uhr um am im Monat jeden jede alle 2. zweiten letzten Dienstag Di. "
    "dienstags täglich werktags wöchentlich monatlich jährlich Wochen Tage in 10 Minuten Stunden einer "
    "halben 3.12. 31.02. 2026 2026-12-03 25:00 18.30 h every day tomorrow 6pm 12am the of on at month "
    "last 1st weekdays other Dec 3 , : . - ( 0 00 99999 9999 Mo-Fr"
)
_FRAGMENTS = st.sampled_from(_VOCABULARY.split())


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_FRAGMENTS, max_size=8).map(" ".join)), st.sampled_from(["de", "en"]))
def test_parse_only_raises_time_parse_error(text: str, lang: str) -> None:
    try:
        parsed = parse(text, lang)
    except TimeParseError:
        return
    moment = parsed.at if isinstance(parsed, OneOff) else parsed.first
    assert moment > NOW
    assert describe(parsed, lang)
    assert len(next_occurrences(parsed, after=NOW, count=2)) >= 1


def test_large_counts_do_not_overflow() -> None:
    far = parse("in 9999 Wochen")
    assert isinstance(far, OneOff) and far.at > NOW + timedelta(days=365 * 190)


@pytest.mark.parametrize(
    "text", ["Kuchen backen", "31.02.2027 9:00", "25:00", "morgen Kreistag", "Dienstag, 3.12.2026 18:00"]
)
def test_every_refusal_has_a_text_in_both_languages(text: str) -> None:
    from lag_bot.i18n import Catalog

    catalog = Catalog.load()
    with pytest.raises(TimeParseError) as refusal:
        parse_when(text, now=NOW, tz=BERLIN, lang="de")
    for lang in ("de", "en"):
        assert catalog.has(refusal.value.key)
        rendered = catalog.t(lang, refusal.value.key, **refusal.value.params)
        assert str(refusal.value.params["text"]) in rendered and "{" not in rendered


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # Parts of the day with a clock time (issue 14); NOW is Saturday 21 November 2026, 09:00.
        ("heute Abend 20 Uhr", "de", local(2026, 11, 21, 20)),
        ("heute abend um 8", "de", local(2026, 11, 21, 20)),
        ("morgen früh 8 Uhr", "de", local(2026, 11, 22, 8)),
        ("morgen Abend 19 Uhr", "de", local(2026, 11, 22, 19)),
        ("morgen Nachmittag um 3", "de", local(2026, 11, 22, 15)),
        ("8 Uhr abends", "de", local(2026, 11, 21, 20)),
        ("Dienstag Abend 19:30", "de", local(2026, 11, 24, 19, 30)),
        ("tonight 8pm", "en", local(2026, 11, 21, 20)),
        ("tonight at 8", "en", local(2026, 11, 21, 20)),
        ("tomorrow morning 8am", "en", local(2026, 11, 22, 8)),
        ("tomorrow evening 7pm", "en", local(2026, 11, 22, 19)),
        ("tomorrow evening at 7", "en", local(2026, 11, 22, 19)),
        # Clocks in words: bare, the next of the two readings (after 09:00: this evening).
        ("um halb acht", "de", local(2026, 11, 21, 19, 30)),
        ("halb 8", "de", local(2026, 11, 21, 19, 30)),
        ("viertel nach sieben", "de", local(2026, 11, 21, 19, 15)),
        ("viertel vor zehn", "de", local(2026, 11, 21, 9, 45)),
        ("dreiviertel acht", "de", local(2026, 11, 21, 19, 45)),
        ("morgen früh um halb acht", "de", local(2026, 11, 22, 7, 30)),
        ("morgen um halb drei", "de", local(2026, 11, 22, 14, 30)),  # a named day: before 7 is afternoon
        ("morgen um acht", "de", local(2026, 11, 22, 8)),
        ("at half past seven", "en", local(2026, 11, 21, 19, 30)),
        ("quarter past seven", "en", local(2026, 11, 21, 19, 15)),
        ("tomorrow at a quarter to eight", "en", local(2026, 11, 22, 7, 45)),
        # Next week's weekday: the calendar week after this one (Monday 23 November onwards).
        ("nächste Woche Dienstag 18 Uhr", "de", local(2026, 11, 24, 18)),
        ("Dienstag nächste Woche 18 Uhr", "de", local(2026, 11, 24, 18)),
        ("kommende Woche am Freitag 9:00", "de", local(2026, 11, 27, 9)),
        ("next week Tuesday 6pm", "en", local(2026, 11, 24, 18)),
        ("Tuesday next week at 6 pm", "en", local(2026, 11, 24, 18)),
        ("in 90 Minuten", "de", local(2026, 11, 21, 10, 30)),
        ("in 90 minutes", "en", local(2026, 11, 21, 10, 30)),
    ],
)
def test_how_people_talk(text: str, lang: str, expected: datetime) -> None:
    parsed = parse(f"{text} Kreistag vorbereiten", lang)
    assert parsed == OneOff(expected, "Kreistag vorbereiten")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("gestern 10:00", "de"),
        ("vorgestern", "de"),
        ("gestern Abend 20 Uhr", "de"),
        ("yesterday 10:00", "en"),
        ("the day before yesterday", "en"),
    ],
)
def test_yesterday_is_in_the_past(text: str, lang: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse(text, lang)
    assert caught.value.key == "time-past"


def test_a_part_of_the_day_without_a_time_still_lacks_the_time() -> None:
    with pytest.raises(TimeParseError) as caught:
        parse("heute Abend Kochen")
    assert (caught.value.key, caught.value.params) == ("time-no-clock", {"text": "heute Abend"})


def test_the_echo_of_the_input_is_short() -> None:
    """A refusal quotes at most ECHO_MAX characters of what was typed, whatever its length."""
    for text in ("x" * 5000, "Kreistag " * 600, "morgen " + "y" * 5000):
        with pytest.raises(TimeParseError) as caught:
            parse(text)
        quoted = str(caught.value.params["text"])
        assert len(quoted) <= ECHO_MAX + 1 and text.startswith(quoted.rstrip("…"))


@pytest.mark.parametrize(
    ("start", "lang", "key"),
    [
        ("", "de", "time-unknown"),
        ("gestern 10:00 ", "de", "time-past"),
        ("31.02. 10:00 ", "de", "time-impossible-date"),
        ("25:00 ", "de", "time-impossible-time"),
        ("morgen ", "de", "time-no-clock"),
        ("Dienstag, 3.12.2026 18:00 ", "de", "time-weekday-mismatch"),
        ("", "en", "time-unknown"),
        ("yesterday 10:00 ", "en", "time-past"),
        ("31.02. 10:00 ", "en", "time-impossible-date"),
        ("13 pm ", "en", "time-impossible-time"),
        ("tomorrow ", "en", "time-no-clock"),
        ("Tuesday, 3.12.2026 18:00 ", "en", "time-weekday-mismatch"),
    ],
)
def test_every_refusal_of_a_long_input_fits_a_message(start: str, lang: str, key: str) -> None:
    """Each text that quotes the input, fed 5000 characters, stays far below Telegram's 4096."""
    with pytest.raises(TimeParseError) as caught:
        parse(start + "Kreistagsvorbereitung " * 230, lang)
    assert caught.value.key == key
    assert len(Catalog.load().t(lang, key, **caught.value.params)) < 600

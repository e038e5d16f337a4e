"""Numbers, dates and times as the member's language writes them (Babel), and CSV times as German
Excel reads them."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from lag_bot.formats import clock, day, decimal, moment, number, weekday
from lag_bot.spreadsheet import csv_bytes, csv_time
from lag_bot.timeparse.describe import describe_date, describe_moment

BERLIN = ZoneInfo("Europe/Berlin")


def test_numbers_in_the_member_s_language() -> None:
    assert number(1234, "de") == "1.234" and number(1234, "en") == "1,234"
    assert decimal(0.0, "de", 1) == "0,0"  # "Median 0.0 Tage" was the bug
    assert decimal(0.0, "en", 1) == "0.0"
    assert decimal(2.25, "de", 1) == "2,2" and decimal(66.7, "de", 0) == "67"
    assert number(3, "fr") == "3"  # an unknown language: German, like the catalog


def test_days_and_clock_times() -> None:
    thursday = date(2026, 12, 3)  # the README's example day
    assert day(thursday, "de") == "Donnerstag, 3. Dezember 2026"
    assert day(thursday, "en") == "Thursday, 3 December 2026"
    assert day(date(2027, 3, 27), "de") == "Samstag, 27. März 2027"
    assert weekday(date(2027, 3, 27), "de") == "Samstag" and weekday(date(2027, 3, 27), "en") == "Saturday"
    assert clock(time(8, 5), "de") == "08:05" and clock(time(18, 0), "en") == "18:00"
    at = datetime(2026, 12, 3, 18, 0, tzinfo=BERLIN)
    assert describe_date(at, "de") == "Donnerstag, 3. Dezember 2026"
    assert describe_moment(at, "de") == "Donnerstag, 3. Dezember 2026, 18:00 Uhr"
    assert describe_moment(at, "en") == "Thursday, 3 December 2026, 18:00"
    assert moment(at, "de") == "03.12.2026 18:00" and moment(at, "en") == "3 Dec 2026, 18:00"


def test_csv_times_in_the_bot_s_time_zone_as_excel_reads_them() -> None:
    assert csv_time("2026-12-03T14:40:00+00:00", BERLIN) == "03.12.2026 15:40"
    assert csv_time("2026-07-03T14:40:00.123+00:00", BERLIN) == "03.07.2026 16:40"  # summer time
    assert csv_time("2026-12-03T14:40:00", BERLIN) == "03.12.2026 15:40"  # stored without a zone: UTC
    assert csv_time(None, BERLIN) == "" and csv_time("", BERLIN) == ""


def test_csv_keeps_semicolons_the_bom_and_crlf() -> None:
    data = csv_bytes(["Name", "Geantwortet am"], [["Anke", csv_time("2026-12-03T14:40:00+00:00", BERLIN)]])
    assert data == "\ufeffName;Geantwortet am\r\nAnke;03.12.2026 15:40\r\n".encode()

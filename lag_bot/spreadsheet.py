"""CSV files for coordinators, written one way: semicolon-separated, UTF-8 with a BOM and CRLF line
ends (so German Excel opens them as they are), every cell guarded against formula injection, and
times in the bot's time zone as German Excel reads a date and time (`03.12.2026 15:40`).

    data = csv_bytes(("Name", "Kreis"), [("Erika Beispiel", "Landkreis Rostock")])
    cell = csv_time("2026-12-03T14:40:00+00:00", ZoneInfo("Europe/Berlin"))   # "03.12.2026 15:40"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TIME_FORMAT = "%d.%m.%Y %H:%M"  # the form German Excel takes as a date and time, in any language


def csv_time(stamp: str | None, tz: tzinfo) -> str:
    """A stored ISO time (UTC) as a cell in the bot's time zone; "" for none."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).strftime(TIME_FORMAT)


def safe_cell(value: object) -> str:
    """The cell as text; one starting like a formula is quoted, so a spreadsheet never runs it."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The whole file: the header row, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

"""The member list as CSV for coordinators (semicolon-separated, UTF-8 with BOM for spreadsheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

HEADER = ("name", "status", "role", "district", "municipality", "mandates", "topics", "since")


def _safe(cell: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def render(rows: Iterable[Sequence[str]]) -> bytes:
    """CSV bytes with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([_safe(str(cell)) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")

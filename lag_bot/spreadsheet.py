"""CSV files for coordinators, written one way: semicolon-separated, UTF-8 with a BOM and CRLF line
ends (so German Excel opens them as they are), every cell guarded against formula injection.

    data = csv_bytes(("name", "district"), [("Erika Beispiel", "Landkreis Rostock")])
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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

"""The member list as CSV for coordinators (written by `lag_bot.spreadsheet`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lag_bot.spreadsheet import csv_bytes

HEADER = ("name", "status", "role", "district", "municipality", "mandates", "topics", "since")


def render(rows: Iterable[Sequence[str]]) -> bytes:
    """CSV bytes with a header row."""
    return csv_bytes(HEADER, rows)

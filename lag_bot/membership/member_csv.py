"""The member list as CSV for coordinators (written by `lag_bot.spreadsheet`): the header and the
status, role and mandate functions in the coordinator's language, from the catalog; "member since"
in the bot's time zone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import tzinfo

from lag_bot.i18n import Catalog
from lag_bot.models import Member
from lag_bot.spreadsheet import csv_bytes, csv_time

COLUMNS = ("name", "status", "role", "district", "municipality", "mandates", "topics", "since")


def row(
    texts: Catalog,
    lang: str,
    member: Member,
    tz: tzinfo,
    *,
    district: str,
    municipality: str,
    mandates: Sequence[tuple[str, str]],
    topics: str,
) -> list[str]:
    """One member's cells; `mandates` as (body name, function)."""
    return [
        member.display_name or "",
        texts.t(lang, f"status-{member.status.value}"),
        texts.t(lang, f"role-{member.role.value}"),
        district,
        municipality,
        "; ".join(f"{body} ({texts.t(lang, f'function-{function}')})" for body, function in mandates),
        topics,
        csv_time(member.created_at, tz),
    ]


def render(texts: Catalog, lang: str, rows: Iterable[Sequence[str]]) -> bytes:
    """CSV bytes with the header row in `lang`."""
    return csv_bytes([texts.t(lang, f"member-csv-{column}") for column in COLUMNS], rows)

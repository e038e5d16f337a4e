"""The per-recipient CSV of a broadcast: who got it, when, whether they read it, what went wrong;
headed in the coordinator's language (the rights check and the audit are `Broadcasts.csv`'s).

    data = report_csv(texts, "de", await deliveries.per_recipient(broadcast_id))
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from lag_bot.i18n import Catalog
from lag_bot.spreadsheet import csv_bytes

CSV_COLUMNS = (  # the catalog keys of the CSV's header
    "broadcast-csv-col-recipient",
    "broadcast-csv-col-kind",
    "broadcast-csv-col-status",
    "broadcast-csv-col-sent-at",
    "broadcast-csv-col-read-at",
    "broadcast-csv-col-duplicate",
    "broadcast-csv-col-error",
)


def report_csv(texts: Catalog, lang: str, rows: Iterable[sqlite3.Row]) -> bytes:
    """The file of `BroadcastDeliveries.per_recipient` rows; a deleted member or group is named
    by the catalog's "(gelöscht)"."""
    t = texts.t
    deleted = t(lang, "broadcast-csv-deleted")
    return csv_bytes(
        [t(lang, key) for key in CSV_COLUMNS],
        (
            (
                r["member"] or r["grp"] or deleted,
                "group" if r["grp"] else "member",
                r["status"],
                r["sent_at"] or "",
                r["read_at"] or "",
                int(r["possible_duplicate"]),
                r["last_error"] or "",
            )
            for r in rows
        ),
    )

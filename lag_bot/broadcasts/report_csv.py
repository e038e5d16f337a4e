"""The per-recipient CSV of a broadcast: who got it, when, whether they read it, what went wrong;
headers and values in the coordinator's language, times in the bot's time zone (the rights check
and the audit are `Broadcasts.csv`'s).

    data = report_csv(texts, "de", tz, await deliveries.per_recipient(broadcast_id))
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import tzinfo

from lag_bot.i18n import Catalog
from lag_bot.spreadsheet import csv_bytes, csv_time

CSV_COLUMNS = (  # the catalog keys of the CSV's header
    "broadcast-csv-col-recipient",
    "broadcast-csv-col-kind",
    "broadcast-csv-col-status",
    "broadcast-csv-col-sent-at",
    "broadcast-csv-col-read-at",
    "broadcast-csv-col-duplicate",
    "broadcast-csv-col-error",
)


def report_csv(texts: Catalog, lang: str, tz: tzinfo, rows: Iterable[sqlite3.Row]) -> bytes:
    """The file of `BroadcastDeliveries.per_recipient` rows; a deleted member or group is named
    by the catalog's "(gelöscht)"."""
    t = texts.t
    deleted = t(lang, "broadcast-csv-deleted")
    return csv_bytes(
        [t(lang, key) for key in CSV_COLUMNS],
        (
            (
                r["member"] or r["grp"] or deleted,
                t(lang, f"broadcast-csv-kind-{'group' if r['grp'] else 'member'}"),
                t(lang, f"broadcast-csv-state-{r['status']}"),
                csv_time(r["sent_at"], tz),
                csv_time(r["read_at"], tz),
                t(lang, "broadcast-csv-yes") if r["possible_duplicate"] else "",
                r["last_error"] or "",
            )
            for r in rows
        ),
    )

"""The `/meinedaten` export: the machine-readable JSON (Art. 20 GDPR, portability) and a readable
HTML document in the member's language, which opens on a phone.

The readable document shows every part of the JSON, each with a title and a short explanation
from the catalog (`export-part-<part>`, `export-about-<part>`), every field with a label
(`export-col-<column>`), times in the bot's time zone, and words instead of codes (a mandate's
function, a level, a status). Everything a member typed is HTML-escaped; nothing of the data is
ever read as markup.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lag_bot.i18n import Catalog
from lag_bot.models import Topic

# The parts in the order a member reads them: who they are, what they do, what the bot keeps.
PARTS = (
    "member",
    "places",
    "mandates",
    "topics",
    "consents",
    "questions_asked",
    "question_routing",
    "answers_received",
    "identity_reveals_about_you",
    "question_answers_written",
    "question_messages",
    "questions_claimed",
    "identity_reveals_by_you",
    "faction_contact_for",
    "event_answers",
    "shift_signups",
    "events_created",
    "reminders",
    "reminders_confirmed",
    "broadcasts_created",
    "deliveries",
    "invites_created",
    "groups_linked",
    "groups_you_are_in",
    "group_removals",
    "approval_cards",
    "open_dialogs",
    "audit_log",
)
# Fields that hold a stored time (UTC ISO 8601), shown as local time.
TIMES = frozenset(
    {
        *("at", "created_at", "updated_at", "decided_at", "sent_at", "read_at", "first_at"),
        *("next_due", "occurrence", "acked_at", "starts_at", "ends_at", "signed_at", "answered_at"),
        *("closed_at", "archived_at", "revealed_at", "claimed_at", "deadline", "expires_at"),
        *("scheduled_at", "finished_at", "status_changed_at", "unreachable_at"),
    }
)
# Fields whose value is a yes or no (0/1).
FLAGS = frozenset({"granted", "directory_opt_in", "asker_archive"})
# Codes whose word is elsewhere in the catalog: (part or "" for every part, field) -> key prefix.
# The export's own words are `export-word-<field>-<code>`.
WORDS: dict[tuple[str, str], str] = {
    ("", "function"): "function-",
    ("mandates", "level"): "level-",
    ("questions_asked", "shown_level"): "question-level-",
    ("member", "status"): "status-",
    ("member", "role"): "role-",
    ("member", "language"): "language-",
    ("questions_asked", "status"): "question-status-",
    ("event_answers", "answer"): "event-answer-",
    ("events_created", "kind"): "event-kind-",
    ("broadcasts_created", "status"): "broadcast-status-",
    ("group_removals", "reason"): "export-word-removal-",
}
# Fields whose name means something else in one part: (part, field) -> the name of its label.
ALIASES = {("mandates", "body"): "mandate_body"}
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1em;max-width:40em;line-height:1.4}"
    "h2{margin-top:1.6em;border-bottom:1px solid #ccc}p.about{color:#444}"
    "table{border-collapse:collapse;width:100%;margin:.6em 0}"
    "th,td{text-align:left;vertical-align:top;padding:.2em .4em;border-bottom:1px solid #eee}"
    "th{width:40%;font-weight:600}td{white-space:pre-wrap;overflow-wrap:anywhere}"
)


@dataclass(frozen=True)
class MemberExport:
    """Everything stored about a member (`data`, the JSON's content), with the names of the topics
    its codes stand for (for the readable document)."""

    data: dict[str, Any]
    topics: tuple[Topic, ...]

    def json_bytes(self) -> bytes:
        """The machine-readable export."""
        return json.dumps(self.data, ensure_ascii=False, indent=2, default=str).encode()


def readable(texts: Catalog, lang: str, tz: ZoneInfo, export: MemberExport) -> bytes:
    """The readable HTML document of `export` in `lang`, times in `tz`."""
    render = _Renderer(texts, lang, tz, {t.code: t.name(lang) for t in export.topics})
    title = html.escape(texts.phrase(lang, "export-title"))
    body = [f"<h1>{title}</h1>", f"<p class=about>{texts.t(lang, 'export-intro', zone=str(tz))}</p>"]
    for part in PARTS:
        body.append(render.part(part, export.data.get(part)))
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
    return page.encode()


class _Renderer:
    """Turns the parts of an export into HTML in one language."""

    def __init__(self, texts: Catalog, lang: str, tz: ZoneInfo, topics: Mapping[str, str]) -> None:
        self.texts, self.lang, self.tz, self.topics = texts, lang, tz, topics

    def t(self, key: str) -> str:
        return self.texts.t(self.lang, key)

    def part(self, part: str, content: object) -> str:
        """One part: its title, what it is, and its rows (or "nothing stored")."""
        title, about = self.t(f"export-part-{part}"), self.t(f"export-about-{part}")
        head = f"<section><h2>{title}</h2><p class=about>{about}</p>"
        if isinstance(content, Mapping):
            rows: list[Mapping[str, object]] = [content] if content else []
        elif isinstance(content, list):
            rows = content
        else:
            rows = []
        if not rows:
            return head + f"<p>{self.t('export-empty')}</p></section>"
        return head + "".join(self.table(part, row) for row in rows) + "</section>"

    def table(self, part: str, row: Mapping[str, object]) -> str:
        """One row as a table of label and value (narrow enough for a phone)."""
        cells = (
            f"<tr><th>{self.t(f'export-col-{ALIASES.get((part, field), field)}')}</th>"
            f"<td>{self.value(part, field, value)}</td></tr>"
            for field, value in row.items()
        )
        return "<table>" + "".join(cells) + "</table>"

    def value(self, part: str, field: str, value: object) -> str:
        """One value as escaped text: a local time, a word for a code, or what was stored."""
        if value is None or value == "":
            return "–"
        shown = self._shown(part, field, value)
        return html.escape(shown, quote=False)

    def _shown(self, part: str, field: str, value: object) -> str:
        if field in TIMES:
            return self._time(str(value))
        if field in FLAGS:
            return self.texts.phrase(self.lang, "export-yes" if value else "export-no")
        prefix = WORDS.get((part, field)) or WORDS.get(("", field))
        if prefix is not None and self.texts.has(f"{prefix}{value}"):
            return self.texts.phrase(self.lang, f"{prefix}{value}")
        if self.texts.has(f"export-word-{field}-{value}"):
            return self.texts.phrase(self.lang, f"export-word-{field}-{value}")
        if field in ("topic", "topics", "code"):
            return ", ".join(self.topics.get(code, code) for code in str(value).split(","))
        return str(value)

    def _time(self, stored: str) -> str:
        try:
            moment = datetime.fromisoformat(stored)
        except ValueError:
            return stored
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.tz).strftime(self.texts.phrase(self.lang, "export-time"))


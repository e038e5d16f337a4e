"""Every catalog key is used by the code (lag_bot/, handlers/, composition/): as a literal string, or
built at run time in one of the documented ways below. A text nobody uses fails this test: delete
it, or name the way it is built here."""

from __future__ import annotations

import ast
from pathlib import Path

from lag_bot.i18n import Catalog

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("lag_bot", "handlers", "composition")

# Keys built from a prefix and a value (an f-string starting with the prefix): every key starting
# with one of these counts as used. Each prefix must still start an f-string in the code.
PREFIXES = (
    "broadcast-btn-groups-",  # the audience picker's buttons (handlers/audience_picker.py)
    "broadcast-btn-members-",
    "broadcast-csv-kind-",  # the broadcast report CSV's values (lag_bot/broadcasts/report_csv.py)
    "broadcast-csv-state-",
    "broadcast-dim-",  # a segment's dimensions
    "broadcast-groups-",
    "broadcast-kind-",  # kinds of linked groups
    "broadcast-members-",
    "broadcast-status-",  # a broadcast's state in its report
    "event-answer-",  # RSVP answers
    "event-csv-",  # the attendee CSV's columns (lag_bot/events/attendees.py)
    "event-button-",
    "event-field-",  # the fields of an event draft
    "event-kind-",
    "event-new-ask-",  # the /neuertermin steps
    "event-new-btn-",
    "export-about-",  # the readable /meinedaten document (lag_bot/membership/export.py)
    "export-col-",
    "export-part-",
    "export-word-",
    "faction-level-",
    "function-",  # a mandate's function
    "groups-link-faction-",
    "language-",
    "level-",
    "member-csv-",  # the member list CSV's columns (lag_bot/membership/member_csv.py)
    "members-filter-",
    "members-make-",
    "menu-",  # the command menus (handlers/menus.py)
    "profile-edit-",
    "question-level-",
    "question-pick-level-",
    "question-pseudonym-",
    "question-status-",
    "reminder-ack-btn-",  # "Erledigt ✓" repeat intervals
    "reminder-ack-every-",
    "reminder-list-btn-",  # ⏸ / ▶ in /erinnerungen
    "role-",
    "status-",  # a member's status
    "when-ordinal-",  # ordinals in time descriptions (lag_bot/timeparse/describe.py)
)
# Keys built from a literal key and a suffix: the refusals of the text cleaning, which takes the
# key of the field (`clean_text(text, maximum, "question-followup")` → "question-followup-empty").
SUFFIXES = ("-empty", "-too-long")


def _strings() -> tuple[set[str], set[str]]:
    """All string literals of the code, and the constant beginnings of its f-strings."""
    literals: set[str] = set()
    f_starts: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text("utf-8"))
            parts = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):
                    parts.update(id(value) for value in node.values)
                    first = node.values[0] if node.values else None
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        f_starts.add(first.value)
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
                    literals.add(node.value)
    return literals, f_starts


def _used(key: str, literals: set[str]) -> bool:
    key = key.split(".")[0]  # a counted text's form (`key.one`) is used with its text
    if key in literals or key.startswith(PREFIXES):
        return True
    return any(key.endswith(suffix) and key.removesuffix(suffix) in literals for suffix in SUFFIXES)


def test_every_catalog_key_is_used() -> None:
    literals, _ = _strings()
    keys = Catalog.load().texts["de"]
    unused = sorted(key for key in keys if not _used(key, literals))
    assert not unused, f"catalog keys nobody uses: {unused}"


def test_every_listed_prefix_is_built_in_the_code() -> None:
    _, f_starts = _strings()
    keys = Catalog.load().texts["de"]
    for prefix in PREFIXES:
        assert prefix in f_starts, f"no f-string starts with {prefix!r}: remove it from PREFIXES"
        assert any(key.startswith(prefix) for key in keys), prefix

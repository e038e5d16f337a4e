"""Cleaning what people type, one way everywhere: whitespace folded, control characters found,
long texts shortened for a preview and echoes kept short.

    one_line("  Kreistag \n vorbereiten ")      # "Kreistag vorbereiten"
    has_control("Erika\u0007")                  # True
    excerpt("Wie geht es mit dem Radweg weiter?", 20)   # "Wie geht es mit dem…"
    echo(typed, 50)                             # at most 50 characters of it, trimmed, for a refusal
"""

from __future__ import annotations

import unicodedata

ZERO_WIDTH_JOINER = "\u200d"  # a format character that joins emoji: allowed in names


def one_line(text: str) -> str:
    """The text on one line: every run of whitespace (line breaks too) one space, none at the ends."""
    return " ".join(text.split())


def has_control(text: str) -> bool:
    """Whether the text holds control or invisible format characters (the emoji joiner aside)."""
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch != ZERO_WIDTH_JOINER for ch in text)


def excerpt(text: str, limit: int) -> str:
    """The start of a text on one line, cut at a word with "…" when longer than `limit`."""
    flat = one_line(text)
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def echo(text: str, limit: int) -> str:
    """A typed text trimmed and cut to `limit` characters, to quote it back (a refusal, a search)."""
    return text.strip()[:limit]

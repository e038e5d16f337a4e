"""Cleaning what people type, one way everywhere: whitespace folded, control characters found,
long texts shortened for a preview and echoes kept short.

    one_line("  Kreistag \n vorbereiten ")      # "Kreistag vorbereiten"
    has_control("Erika\u0007")                  # True
    strip_control("Kreistag\x00\x00Antrag")      # "KreistagAntrag": what is stored
    real_words("Beschwerde über Fragen", 2)     # True; "\u00adqxzt" and "KreistagAntrag" are False
    excerpt("Wie geht es mit dem Radweg weiter?", 20)   # "Wie geht es mit dem…"
    echo(typed, 50)                             # at most 50 characters of it, trimmed, for a refusal
"""

from __future__ import annotations

import unicodedata

ZERO_WIDTH_JOINER = "\u200d"  # a format character that joins emoji: allowed in names
_EMOJI_TAGS = range(0xE0020, 0xE0080)  # format characters of subdivision flags (🏴 England)
_KEPT_CONTROLS = "\n\t"  # line breaks and tabs are layout, not control, in a stored text
_VOWELS = frozenset("aeiouyäöüàáâãåæèéêëìíîïòóôõøùúûýÿœ")


def one_line(text: str) -> str:
    """The text on one line: every run of whitespace (line breaks too) one space, none at the ends."""
    return " ".join(text.split())


def has_control(text: str) -> bool:
    """Whether the text holds control or invisible format characters (the emoji joiner aside)."""
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch != ZERO_WIDTH_JOINER for ch in text)


def strip_control(text: str) -> str:
    """The text without control and invisible format characters (NUL, soft hyphen, zero-width
    space, bidi marks); line breaks, tabs, the emoji joiner and emoji tags stay. Every user text
    passes through this before it is stored. A carriage return becomes a line break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if not _invisible(ch))


def _invisible(ch: str) -> bool:
    if ch in _KEPT_CONTROLS or ch == ZERO_WIDTH_JOINER or ord(ch) in _EMOJI_TAGS:
        return False
    return unicodedata.category(ch) in ("Cc", "Cf")


def real_words(text: str, count: int) -> bool:
    """Whether the text holds at least `count` words of letters (two or more, with a vowel): a
    reason someone wrote, not a key mash or filler."""
    words = ("".join(ch if ch.isalpha() else " " for ch in text)).split()
    return sum(1 for w in words if len(w) >= 2 and _VOWELS & set(w.casefold())) >= count


def excerpt(text: str, limit: int) -> str:
    """The start of a text on one line, cut at a word with "…" when longer than `limit`."""
    flat = one_line(text)
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def echo(text: str, limit: int) -> str:
    """A typed text without control characters, trimmed and cut to `limit` characters, to quote it
    back (a refusal) or keep it (a search in a dialog)."""
    return strip_control(text).strip()[:limit]

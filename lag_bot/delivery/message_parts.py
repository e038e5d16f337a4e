"""Cutting a message into what Telegram accepts: texts under 4096, captions under 1024.

    parts = build_parts("<b>Einladung</b>\\n\\n…", media=None)
    # [Part(kind="text", text="<b>Einladung</b>\\n\\n…")]

Texts are split at paragraph boundaries (blank lines), else at line breaks, else at spaces;
HTML tags open at a cut are closed at the end of one part and opened again in the next.
A caption over the limit moves into text parts after the media. Lengths are counted in UTF-16
code units (as Telegram counts: an emoji is two) on the HTML source, which is never shorter than
the text Telegram measures, so every part fits.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")


@dataclass(frozen=True)
class Part:
    """One message to send: a text, or a photo/document with an optional caption."""

    kind: str  # "text", "photo" or "document"
    text: str = ""
    file_id: str | None = None
    buttons: tuple[tuple[str, str], ...] = ()  # (label, callback data), one row

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Part:
        """Read the stored form."""
        buttons = tuple((str(label), str(value)) for label, value in data.get("buttons", []))
        return cls(str(data["kind"]), str(data.get("text", "")), data.get("file_id"), buttons)


def with_button(parts: list[Part], label: str, data: str) -> list[Part]:
    """The parts with a button under the last one."""
    last = parts[-1]
    return [*parts[:-1], Part(last.kind, last.text, last.file_id, (*last.buttons, (label, data)))]


def build_parts(html: str, media: tuple[str, str] | None = None) -> list[Part]:
    """The parts for a message body with optional media ("photo"/"document", file id)."""
    html = html.strip()
    if media is None:
        return [Part("text", chunk) for chunk in split_html(html, TEXT_LIMIT)]
    kind, file_id = media
    if units(html) <= CAPTION_LIMIT:
        return [Part(kind, html, file_id)]
    return [Part(kind, "", file_id), *(Part("text", chunk) for chunk in split_html(html, TEXT_LIMIT))]


def split_html(html: str, limit: int) -> list[str]:
    """Split HTML into balanced chunks of at most `limit` characters."""
    chunks: list[str] = []
    reopen = ""  # tags still open from the previous chunk
    rest = html
    while rest:
        room = limit - units(reopen)
        if units(rest) + units(_closing(reopen + rest)) <= room:
            chunks.append(reopen + rest)
            break
        cut = _cut_point(rest, _chars_within(rest, room - 64))  # room for the closing tags
        piece = rest[:cut].rstrip()
        rest = rest[cut:].lstrip()
        text = reopen + piece
        open_tags = _open_tags(text)
        chunks.append(text + "".join(f"</{name}>" for name, _ in reversed(open_tags)))
        reopen = "".join(f"<{name}{attrs}>" for name, attrs in open_tags)
    return [c for c in chunks if c.strip()]


def units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _chars_within(text: str, budget: int) -> int:
    """How many characters of `text` fit into `budget` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > budget:
            return index
    return len(text)


def _cut_point(text: str, room: int) -> int:
    """Where to cut: the last blank line, line break or space before `room`, never inside a tag."""
    window = text[:room]
    for separator in ("\n\n", "\n", " "):
        at = window.rfind(separator)
        if at > room // 4 and not _inside_tag(window, at):
            return at + len(separator)
    at = room
    while _inside_tag(text, at) or _inside_entity(text, at):
        at -= 1
    return at


def _inside_tag(text: str, index: int) -> bool:
    return text.rfind("<", 0, index) > text.rfind(">", 0, index)


def _inside_entity(text: str, index: int) -> bool:
    amp = text.rfind("&", 0, index)
    return amp >= 0 and index - amp <= 10 and ";" not in text[amp:index] and ";" in text[index : amp + 11]


def _open_tags(html: str) -> list[tuple[str, str]]:
    stack: list[tuple[str, str]] = []
    for match in _TAG.finditer(html):
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    del stack[i:]
                    break
        else:
            stack.append((name, attrs))
    return stack


def _closing(html: str) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(_open_tags(html)))

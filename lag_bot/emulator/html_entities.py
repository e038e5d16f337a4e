"""Telegram's parse_mode=HTML rules: turn bot HTML into plain text + entities, or fail like Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Tag name -> Telegram entity type. span/blockquote/code/a get refined from their attributes.
_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; str(error) is Telegram's description tail."""


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str]
    byte_offset: int
    utf16_start: int


@dataclass
class ParsedText:
    """Plain text as the user sees it, and the entities Telegram would attach."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and offsets."""
    return len(text.encode("utf-16-le")) // 2


class _Parser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.i = 0
        self.out: list[str] = []
        self.out_len16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def byte_at(self, index: int) -> int:
        # Telegram reports UTF-8 byte offsets into the request text.
        return len(self.src[:index].encode("utf-8"))

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.out_len16 += utf16_len(chunk)

    def run(self) -> ParsedText:
        src = self.src
        while self.i < len(src):
            ch = src[self.i]
            if ch == "&":
                self.emit(self.entity())
            elif ch == "<":
                if src.startswith("</", self.i):
                    self.end_tag()
                else:
                    self.start_tag()
            else:
                # A run of plain text up to the next tag or entity, in one piece.
                stop = len(src)
                for mark in ("<", "&"):
                    found = src.find(mark, self.i)
                    if found != -1 and found < stop:
                        stop = found
                self.emit(src[self.i : stop])
                self.i = stop
        if self.stack:
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def entity(self) -> str:
        """Decode the entity at self.i (which is '&'); strict: anything else is an error."""
        start = self.i
        end = self.src.find(";", start, start + 12)
        body = self.src[start + 1 : end] if end != -1 else ""
        decoded: str | None = None
        if body in _NAMED:
            decoded = _NAMED[body]
        elif body.startswith("#") and len(body) > 1:
            digits, base = (body[2:], 16) if body[1] in "xX" else (body[1:], 10)
            try:
                code = int(digits, base) if digits.isalnum() else -1
            except ValueError:
                code = -1
            if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                decoded = chr(code)
        if decoded is None:
            shown = self.src[start : end + 1] if end != -1 else self.src[start : start + 8]
            raise EntityParseError(f'Unsupported HTML entity "{shown}" at byte offset {self.byte_at(start)}')
        self.i = end + 1
        return decoded

    def read_name(self) -> str:
        begin = self.i
        while self.i < len(self.src) and not self.src[self.i].isspace() and self.src[self.i] not in ">/=":
            self.i += 1
        return self.src[begin : self.i].lower()

    def skip_spaces(self) -> None:
        while self.i < len(self.src) and self.src[self.i].isspace():
            self.i += 1

    def start_tag(self) -> None:
        begin = self.i
        offset = self.byte_at(begin)
        self.i += 1
        tag = self.read_name()
        if tag not in _TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {offset}')
        attrs = self.attributes(tag, offset)
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        if tag == "a" and not attrs.get("href"):
            raise EntityParseError(f'Tag "a" must have attribute "href" at byte offset {offset}')
        if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise EntityParseError(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {offset}')
        self.stack.append(_Open(tag, attrs, offset, self.out_len16))

    def attributes(self, tag: str, offset: int) -> dict[str, str]:
        attrs: dict[str, str] = {}
        while True:
            self.skip_spaces()
            if self.i >= len(self.src):
                raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
            if self.src[self.i] == ">":
                self.i += 1
                return attrs
            name = self.read_name()
            self.skip_spaces()
            if tag == "blockquote" and name == "expandable" and self.src[self.i : self.i + 1] != "=":
                attrs[name] = ""
                continue
            if not name or self.src[self.i : self.i + 1] != "=":
                raise EntityParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {offset}"
                )
            self.i += 1
            self.skip_spaces()
            attrs[name] = self.attribute_value(offset)

    def attribute_value(self, offset: int) -> str:
        if self.i >= len(self.src):
            raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
        quote = self.src[self.i]
        chars: list[str] = []
        if quote in "\"'":
            self.i += 1
            while self.i < len(self.src) and self.src[self.i] != quote:
                if self.src[self.i] == "&":
                    chars.append(self.entity())
                else:
                    chars.append(self.src[self.i])
                    self.i += 1
            if self.i >= len(self.src):
                raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
            self.i += 1
            return "".join(chars)
        begin = self.i
        while self.i < len(self.src) and (self.src[self.i].isalnum() or self.src[self.i] in "-_.:/"):
            self.i += 1
        return self.src[begin : self.i]

    def end_tag(self) -> None:
        begin = self.i
        offset = self.byte_at(begin)
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
        self.i += 2
        name = self.read_name()
        self.skip_spaces()
        if self.i >= len(self.src) or self.src[self.i] != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {offset}")
        self.i += 1
        top = self.stack[-1]
        if name and name != top.tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{top.tag}>", found "</{name}>"'
            )
        self.stack.pop()
        self.close(top)

    def close(self, opened: _Open) -> None:
        length = self.out_len16 - opened.utf16_start
        if length == 0:
            return  # Telegram drops empty entities
        kind = _TAGS[opened.tag]
        entity: dict[str, Any] = {"type": kind, "offset": opened.utf16_start, "length": length}
        if kind == "text_link":
            entity["url"] = opened.attrs["href"]
        elif kind == "custom_emoji":
            entity["custom_emoji_id"] = opened.attrs["emoji-id"]
        elif kind == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        elif kind == "code" and self.stack and self.stack[-1].tag == "pre":
            language = opened.attrs.get("class", "")
            if language.startswith("language-"):
                self.stack[-1].attrs["language"] = language.removeprefix("language-")
            return  # <pre><code class=...> is one pre entity with a language
        elif kind == "pre" and opened.attrs.get("language"):
            entity["language"] = opened.attrs["language"]
        self.entities.append(entity)


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML; raise EntityParseError with Telegram's wording on invalid input."""
    return _Parser(source).run()

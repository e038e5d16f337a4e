"""The body of a broadcast from the coordinator's message: Telegram's formatting as HTML (or the
text as typed HTML), and the photo or document that came with it."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Message, MessageEntity

# Entities that format text; links, mentions and hashtags Telegram finds by itself are not
# formatting, so typed HTML in such a message is still taken as HTML.
_FORMATTING = frozenset(
    {"bold", "italic", "underline", "strikethrough", "spoiler", "code", "pre", "text_link", "text_mention"}
    | {"blockquote", "expandable_blockquote", "custom_emoji"}
)


def body_html(raw: str, rendered: str | None, entities: Sequence[MessageEntity]) -> str:
    """The body as HTML: Telegram's formatting rendered, else the raw text taken as typed HTML."""
    if rendered is not None and any(e.type in _FORMATTING for e in entities):
        return rendered
    return raw


def media_of(message: Message) -> tuple[str, str] | None:
    """The photo (largest size) or document of a message, as (kind, Telegram file id)."""
    if message.photo:
        return "photo", max(message.photo, key=lambda p: p.width * p.height).file_id
    if message.document is not None:
        return "document", message.document.file_id
    return None

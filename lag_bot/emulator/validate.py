"""Request validation with Telegram's limits and error wording: text, keyboards, commands, scopes."""

from __future__ import annotations

import json
import re
from typing import Any

from .html_entities import EntityParseError, ParsedText, parse_html, utf16_len
from .models import Button, bad_request

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "callback_game",
    "pay",
    "web_app",
    "copy_text",
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SCOPES_WITHOUT_CHAT = ("default", "all_private_chats", "all_group_chats", "all_chat_administrators")
_SCOPES_WITH_CHAT = ("chat", "chat_administrators", "chat_member")


def parse_text(text: Any, parse_mode: Any, *, caption: bool = False) -> ParsedText:
    """Apply parse_mode and Telegram's empty/length rules; return plain text and entities."""
    raw = "" if text is None else str(text)
    mode = str(parse_mode).lower() if parse_mode else ""
    if mode == "html":
        try:
            parsed = parse_html(raw)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif mode in ("markdownv2", "markdown"):
        # The bot under test uses HTML only; accepting Markdown unchecked would hide mistakes.
        raise bad_request(f"can't parse entities: {parse_mode} not supported by fake")
    elif mode:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    else:
        parsed = ParsedText(raw)
    if caption:
        if utf16_len(parsed.text) > CAPTION_LIMIT:
            raise bad_request("message caption is too long")
    else:
        if not parsed.text.strip():
            raise bad_request("message text is empty")
        if utf16_len(parsed.text) > TEXT_LIMIT:
            raise bad_request("message is too long")
    return parsed


def parse_keyboard(markup: Any) -> tuple[dict[str, Any] | None, list[list[Button]]]:
    """Validate reply_markup; return it (canonical JSON) and the inline buttons it holds."""
    if markup is None or markup == "":
        return None, []
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        # Reply keyboards / ReplyKeyboardRemove / ForceReply: accepted, no inline buttons.
        return markup, []
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard button: field "inline_keyboard" must be an Array')
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    return markup, [[_button(raw) for raw in row] for row in rows if row]


def _button(raw: Any) -> Button:
    if not isinstance(raw, dict):
        raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [name for name in _ACTIONS if name in raw]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request("can't parse inline keyboard button: only one of the optional fields must be used")
    data = raw.get("callback_data")
    valid_data = isinstance(data, str) and 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_BYTES
    if "callback_data" in raw and not valid_data:
        raise bad_request("BUTTON_DATA_INVALID")
    url = raw.get("url")
    valid_url = isinstance(url, str) and re.match(r"(https?://[^\s/]+|tg://\S+)", url) is not None
    if "url" in raw and not valid_url:
        raise bad_request("BUTTON_URL_INVALID")
    return Button(text=text, callback_data=data, url=url)


def validate_commands(commands: Any) -> list[dict[str, str]]:
    """setMyCommands' list: 1..100 commands, names [a-z0-9_]{1,32}, descriptions 1..256 chars."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    if not commands:
        raise bad_request("BOT_COMMANDS_EMPTY")
    result: list[dict[str, str]] = []
    for item in commands:
        if not isinstance(item, dict) or not _COMMAND.fullmatch(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = item.get("description")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        result.append({"command": item["command"], "description": description})
    return result


def canonical_scope(scope: Any) -> str:
    """A stable key for a BotCommandScope ({"type": "default"} when absent)."""
    if scope is None or scope == "":
        scope = {"type": "default"}
    if not isinstance(scope, dict):
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = scope.get("type")
    if kind in _SCOPES_WITHOUT_CHAT:
        return json.dumps({"type": kind})
    if kind in _SCOPES_WITH_CHAT:
        if "chat_id" not in scope:
            raise bad_request("chat_id is required for this scope")
        key: dict[str, Any] = {"type": kind, "chat_id": _as_chat_id(scope["chat_id"])}
        if kind == "chat_member":
            key["user_id"] = int(scope.get("user_id", 0))
        return json.dumps(key, sort_keys=True)
    raise bad_request("Wrong scope type specified")


def validate_language(language_code: Any) -> str:
    """ "" or a two-letter ISO 639-1 code."""
    code = "" if language_code is None else str(language_code)
    if code and not re.fullmatch(r"[a-z]{2}", code):
        raise bad_request("invalid language code specified")
    return code


def _as_chat_id(value: Any) -> int | str:
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)

"""Message methods: send, edit, delete, files, callback answers; each takes (fake, params)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .access import readable_chat, writable_chat
from .chats import ChatLog
from .html_entities import ParsedText
from .models import Document, SimMessage, bad_request
from .payloads import message_json, now
from .request_params import as_bool, as_int
from .sim_group import SimGroup
from .validate import parse_keyboard, parse_text

if TYPE_CHECKING:
    from .server import FakeTelegram

Params = dict[str, Any]
_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _parsed(params: Params, key: str, caption: bool) -> ParsedText:
    parsed = parse_text(params.get(key), params.get("parse_mode"), caption=caption)
    given = params.get("caption_entities" if caption else "entities")
    if not params.get("parse_mode") and isinstance(given, list):
        parsed.entities = given  # explicit entities instead of a parse_mode
    return parsed


def _reply_and_thread(chat: ChatLog, params: Params) -> tuple[int | None, int | None]:
    reply = params.get("reply_parameters")
    reply_id = reply.get("message_id") if isinstance(reply, dict) else params.get("reply_to_message_id")
    reply_to = int(reply_id) if reply_id not in (None, "") else None
    lenient = as_bool(params, "allow_sending_without_reply") or (
        isinstance(reply, dict) and bool(reply.get("allow_sending_without_reply"))
    )
    if reply_to is not None and chat.find(reply_to) is None:
        if not lenient:
            raise bad_request("message to be replied not found")
        reply_to = None
    thread = params.get("message_thread_id")
    thread_id = int(thread) if thread not in (None, "") else None
    # Only existing forum topics; the General topic is addressed by leaving the id out (1 fails).
    if thread_id is not None and not (isinstance(chat, SimGroup) and thread_id in chat.topics):
        raise bad_request("message thread not found")
    return reply_to, thread_id


def _new_message(fake: FakeTelegram, params: Params, parsed: ParsedText, key: str, **media: Any) -> Any:
    chat = writable_chat(fake, params)
    markup, buttons = parse_keyboard(params.get("reply_markup"))
    reply_to, thread_id = _reply_and_thread(chat, params)
    message = SimMessage(
        message_id=chat.new_message_id(),
        chat_id=fake.chat_id_of(chat),
        text=parsed.text,
        html=str(params[key]) if params.get(key) is not None else None,
        parse_mode=params.get("parse_mode") or None,
        buttons=buttons,
        entities=parsed.entities,
        reply_markup=markup,
        reply_to_message_id=reply_to,
        message_thread_id=thread_id,
        date=now(),
        **media,
    )
    chat.record_bot_message(message)
    return message_json(fake, message)


async def send_message(fake: FakeTelegram, params: Params) -> Any:
    """sendMessage."""
    writable_chat(fake, params)
    return _new_message(fake, params, _parsed(params, "text", caption=False), "text")


def _upload(fake: FakeTelegram, value: Any, default_name: str) -> Document:
    if isinstance(value, Document):
        return fake.store_file(value.file_name or default_name, value.mime_type, value.content)
    if isinstance(value, str) and value in fake.files:
        return fake.files[value]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return fake.store_file(value.rsplit("/", 1)[-1] or default_name, None, b"")
    raise bad_request("wrong file identifier/HTTP URL specified")


async def send_document(fake: FakeTelegram, params: Params) -> Any:
    """sendDocument (multipart upload, file_id or URL)."""
    writable_chat(fake, params)
    parsed = _parsed(params, "caption", caption=True)
    document = _upload(fake, params.get("document"), "document")
    return _new_message(fake, params, parsed, "caption", document=document)


async def send_photo(fake: FakeTelegram, params: Params) -> Any:
    """sendPhoto: keeps a flag, the bytes and the caption."""
    writable_chat(fake, params)
    parsed = _parsed(params, "caption", caption=True)
    photo = _upload(fake, params.get("photo"), "photo.jpg")
    return _new_message(fake, params, parsed, "caption", photo=True, photo_file=photo)


def _editable(fake: FakeTelegram, params: Params) -> tuple[ChatLog, SimMessage]:
    if params.get("inline_message_id"):
        raise bad_request("inline messages are not supported by fake")
    chat = writable_chat(fake, params)
    message_id = as_int(params, "message_id")
    current = chat.find(message_id)
    if current is None:
        raise bad_request("message to edit not found")
    if not current.from_bot:
        raise bad_request("message can't be edited")
    return chat, current


async def edit_message_text(fake: FakeTelegram, params: Params) -> Any:
    """editMessageText: same rules as sendMessage, plus 'not modified'."""
    chat, current = _editable(fake, params)
    if current.document is not None or current.photo:
        raise bad_request("there is no text in the message to edit")
    parsed = _parsed(params, "text", caption=False)
    markup, buttons = parse_keyboard(params.get("reply_markup"))
    same_text = parsed.text == current.text and parsed.entities == current.entities
    if same_text and markup == current.reply_markup:
        raise bad_request(_NOT_MODIFIED)
    edited = replace(
        current,
        text=parsed.text,
        html=str(params["text"]),
        entities=parsed.entities,
        parse_mode=params.get("parse_mode") or None,
        buttons=buttons,
        reply_markup=markup,
        edits=current.edits + 1,
    )
    chat.record_edit(edited, text_changed=not same_text)
    return message_json(fake, edited)


async def edit_message_reply_markup(fake: FakeTelegram, params: Params) -> Any:
    """editMessageReplyMarkup (absent markup removes the keyboard)."""
    chat, current = _editable(fake, params)
    markup, buttons = parse_keyboard(params.get("reply_markup"))
    if markup == current.reply_markup:
        raise bad_request(_NOT_MODIFIED)
    edited = replace(current, buttons=buttons, reply_markup=markup, edits=current.edits + 1)
    chat.record_edit(edited, text_changed=False)
    return message_json(fake, edited)


async def delete_message(fake: FakeTelegram, params: Params) -> Any:
    """deleteMessage."""
    chat = writable_chat(fake, params)
    message_id = as_int(params, "message_id")
    if chat.find(message_id) is None:
        raise bad_request("message to delete not found")
    chat.record_delete(message_id)
    return True


async def copy_message(fake: FakeTelegram, params: Params) -> Any:
    """copyMessage: a copy of a message the fake knows, as a new bot message."""
    source = readable_chat(fake, params.get("from_chat_id"))
    original = source.find(as_int(params, "message_id"))
    if original is None:
        raise bad_request("message to copy not found")
    chat = writable_chat(fake, params)
    markup, buttons = (
        parse_keyboard(params.get("reply_markup"))
        if "reply_markup" in params
        else (original.reply_markup, original.buttons)
    )
    copy = replace(
        original,
        message_id=chat.new_message_id(),
        chat_id=fake.chat_id_of(chat),
        from_bot=True,
        edits=0,
        buttons=buttons,
        reply_markup=markup,
        date=now(),
        reply_to_message_id=None,
    )
    chat.record_bot_message(copy)
    return {"message_id": copy.message_id}


async def answer_callback_query(fake: FakeTelegram, params: Params) -> Any:
    """answerCallbackQuery: once per query, text up to 200 characters."""
    query_id = str(params.get("callback_query_id", ""))
    text = str(params.get("text") or "")
    if query_id in fake.open_queries and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    if not fake.take_callback_query(query_id):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    fake.callback_answers[query_id] = {
        "text": text,
        "show_alert": as_bool(params, "show_alert"),
        "url": params.get("url"),
    }
    return True


async def send_chat_action(fake: FakeTelegram, params: Params) -> Any:
    """sendChatAction."""
    writable_chat(fake, params)
    if params.get("action") not in _ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def get_file(fake: FakeTelegram, params: Params) -> Any:
    """getFile: a file_path served under base_file_url."""
    document = fake.files.get(str(params.get("file_id", "")))
    if document is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": document.file_id,
        "file_unique_id": "u" + document.file_id,
        "file_size": len(document.content),
        "file_path": f"documents/{document.file_id}",
    }

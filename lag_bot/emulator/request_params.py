"""Reading Bot API parameters the way PTB sends them: form, multipart (files) or JSON."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from aiohttp import web

from .models import Document, bad_request

# Free-text parameters are never JSON-decoded, even if they look like "[1, 2]".
_TEXT_KEYS = frozenset(
    {
        "text",
        "caption",
        "title",
        "description",
        "short_description",
        "name",
        "url",
        "callback_query_id",
        "data",
        "question",
        "explanation",
        "first_name",
        "last_name",
    }
)


async def read_params(request: web.Request) -> dict[str, Any]:
    """Query string + body; uploaded files become Document; JSON-encoded non-scalars are decoded."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    elif request.body_exists:
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[key] = Document(value.filename, value.content_type, value.file.read())
            else:
                params[key] = value
    for key, value in params.items():
        # PTB JSON-encodes every non-scalar parameter (reply_markup, scope, commands, ...).
        if isinstance(value, str) and key not in _TEXT_KEYS and value.lstrip()[:1] in ("{", "["):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params


def loggable(params: dict[str, Any]) -> dict[str, Any]:
    """Params for fake.calls: uploaded bytes summarised so the list stays printable."""
    return {
        key: {"file_name": v.file_name, "mime_type": v.mime_type, "size": len(v.content)}
        if isinstance(v, Document)
        else v
        for key, v in params.items()
    }


def as_int(params: dict[str, Any], key: str) -> int:
    """A required integer parameter (PTB sends numbers as strings in form data)."""
    value = params.get(key)
    if value is None or value == "":
        raise bad_request(f"{key} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {key} specified") from None


def as_bool(params: dict[str, Any], key: str) -> bool:
    """An optional boolean ("true"/"false" in form data)."""
    value = params.get(key, False)
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1")

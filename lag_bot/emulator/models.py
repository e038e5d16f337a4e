"""Plain records the fake hands to tests: messages as the user sees them, API calls, API errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ApiError(Exception):
    """A Telegram error response: HTTP status == error_code, like the real API."""

    def __init__(self, error_code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(f"{error_code} {description}")
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would send."""
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str, parameters: dict[str, Any] | None = None) -> ApiError:
    """A 400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}", parameters)


def forbidden(detail: str) -> ApiError:
    """A 403 with Telegram's "Forbidden: " prefix."""
    return ApiError(403, f"Forbidden: {detail}")


@dataclass(frozen=True)
class ApiCall:
    """One API request the bot made, and how the fake answered it."""

    method: str
    params: dict[str, Any]
    ok: bool
    error_code: int | None
    description: str | None
    at: float
    content_type: str = ""  # how the parameters came: application/json, a form, or multipart


@dataclass(frozen=True)
class Button:
    """One inline keyboard button."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Document:
    """A file the bot sent, with its bytes."""

    file_name: str
    mime_type: str | None
    content: bytes
    file_id: str = ""


@dataclass(frozen=True)
class SimMessage:
    """A message as the user sees it; a snapshot (an edit makes a new SimMessage with edits + 1)."""

    message_id: int
    chat_id: int
    text: str
    html: str | None = None
    parse_mode: str | None = None
    buttons: list[list[Button]] = field(default_factory=list)
    document: Document | None = None
    photo: bool = False
    photo_file: Document | None = None  # the photo's bytes (document stays None for photos)
    edits: int = 0
    from_bot: bool = True
    reply_to_message_id: int | None = None
    message_thread_id: int | None = None
    date: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    from_user_id: int | None = None

    def button_texts(self) -> list[str]:
        """All button labels, row by row."""
        return [button.text for row in self.buttons for button in row]

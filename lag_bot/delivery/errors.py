"""What can happen to one send, as the sender sees it (the transport maps Telegram's errors).

DeliveryError
├── RetryLater      429: wait `seconds` (the whole bot), then send again; not an attempt
├── Migrated        the group became a supergroup: send again to `new_chat_id`
├── Unreachable     403 or "chat not found": blocked, left, deactivated, never started
├── ThreadGone      the forum topic was deleted: send to the group's General topic instead
├── Transient       5xx or a connection error: retry with backoff, a bounded number of times
├── OutcomeUnknown  a timeout after the request left: it may have arrived; retried at most once
└── Rejected        400 for the message itself (e.g. HTML): retrying cannot help
"""

from __future__ import annotations


class DeliveryError(Exception):
    """A send did not (certainly) arrive."""

    def __init__(self, reason: str = "") -> None:
        super().__init__(reason)
        self.reason = reason


class RetryLater(DeliveryError):
    """Flood control: wait before any further send."""

    def __init__(self, seconds: float, reason: str = "") -> None:
        super().__init__(reason or f"retry after {seconds}")
        self.seconds = seconds


class Migrated(DeliveryError):
    """The chat moved to a supergroup."""

    def __init__(self, new_chat_id: int) -> None:
        super().__init__(f"migrated to {new_chat_id}")
        self.new_chat_id = new_chat_id


class Unreachable(DeliveryError):
    """The chat cannot be written to."""


class ThreadGone(DeliveryError):
    """The forum topic the message was for no longer exists."""


class Transient(DeliveryError):
    """A server or network failure before the request arrived."""


class OutcomeUnknown(DeliveryError):
    """The request may have arrived."""


class Rejected(DeliveryError):
    """Telegram refused the message itself."""

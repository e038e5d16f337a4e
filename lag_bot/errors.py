"""The exceptions the core raises for the handlers to turn into a user's message.

    UserError                 something the user entered or chose cannot be accepted
    ├── InvalidInput          malformed or out-of-range input (text says what is right)
    ├── NotFound              the thing chosen does not exist (any more)
    └── NotAllowed            the user's role does not permit this
    Stale                     a button from an earlier state was pressed; nothing changed

Every `UserError` carries a catalog key and its parameters, never a finished text.
"""

from __future__ import annotations


class UserError(Exception):
    """A refusal the user is told about in their language."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class InvalidInput(UserError):
    """Input the bot cannot accept."""


class NotFound(UserError):
    """The thing referred to does not exist."""


class NotAllowed(UserError):
    """The role of the user does not permit the action."""

    def __init__(self, key: str = "auth-not-allowed", **params: object) -> None:
        super().__init__(key, **params)


class Stale(UserError):
    """A button from an earlier state of a dialog or card."""

    def __init__(self, key: str = "common-stale", **params: object) -> None:
        super().__init__(key, **params)

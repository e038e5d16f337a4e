"""The typed callback context: `context.services` instead of `context.bot_data["…"]`."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from handlers.delivery.rate_limits import Slot
from lag_bot.services import Services


class BotData:
    """What the application keeps for its whole life."""

    def __init__(self) -> None:
        self.services: Services | None = None


class LagContext(CallbackContext[ExtBot[Slot], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler receives."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        """The services opened in `post_init`."""
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are not open yet")
        return services

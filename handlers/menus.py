"""Command menus (setMyCommands): per language, for private chats and groups, and for each
member's private chat the commands of their role; built from the command table the application
registered (composition/commands.py), so a menu lists exactly what is registered."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    Update,
)
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CommandHandler, filters

from handlers.context import LagContext
from lag_bot.i18n import LANGUAGES, Catalog
from lag_bot.models import Member, Role
from lag_bot.settings import Settings

log = logging.getLogger(__name__)

Handler = Callable[[Update, LagContext], Coroutine[Any, Any, None]]


class Scope(StrEnum):
    """Where a command belongs."""

    PRIVATE = "private"  # private chats only; typed in a group it gets the "private chats only" hint
    GROUP = "group"  # the groups' menu; a private chat is answered by the handler itself
    ANYWHERE = "anywhere"  # private chats and groups alike


@dataclass(frozen=True)
class Command:
    """One row of the command table (composition/commands.py): it is registered as a
    `TableCommandHandler`, and the menus list the registered rows."""

    de: str
    en: str  # the English alias; the menu shows the name of the user's language
    handler: Handler
    scope: Scope
    role: Role | None = None  # the least role whose private menu lists it; None: everyone

    @property
    def names(self) -> tuple[str, ...]:
        """The names it answers to."""
        return (self.de,) if self.de == self.en else (self.de, self.en)

    def in_private_menu(self, role: Role) -> bool:
        """Whether the private menu of someone with `role` lists it."""
        return self.scope is not Scope.GROUP and (self.role is None or self.role.rank <= role.rank)


class TableCommandHandler(CommandHandler[LagContext, None]):
    """The CommandHandler of one row of the command table, which it keeps for the menus."""

    def __init__(self, command: Command) -> None:
        private_only = filters.ChatType.PRIVATE if command.scope is Scope.PRIVATE else None
        super().__init__(command.names, command.handler, filters=private_only)
        self.command = command


def registered(app: Application[Any, Any, Any, Any, Any, Any]) -> list[Command]:
    """The rows of the command table the application registered, in the table's order."""
    return [h.command for h in app.handlers.get(0, []) if isinstance(h, TableCommandHandler)]


def private_menu(table: Sequence[Command], role: Role) -> list[Command]:
    """The private chat menu of someone with `role` (everyone's default menu is a member's)."""
    return [command for command in table if command.in_private_menu(role)]


def group_menu(table: Sequence[Command]) -> list[Command]:
    """The menu in groups."""
    return [command for command in table if command.scope is not Scope.PRIVATE]


def commands(texts: Catalog, lang: str, menu: Sequence[Command]) -> list[BotCommand]:
    """The menu entries for one language."""
    return [
        BotCommand(c.en if lang == "en" else c.de, texts.t(lang, f"menu-{c.de}")) for c in menu
    ]


async def set_default_menus(context: LagContext, settings: Settings) -> None:
    """Set the menus for everyone: private chats and groups, German default and English."""
    texts, table = context.services.texts, registered(context.application)
    for lang in LANGUAGES:
        code = "" if lang == settings.default_language else lang
        await context.bot.set_my_commands(
            commands(texts, lang, private_menu(table, Role.MEMBER)),
            scope=BotCommandScopeAllPrivateChats(),
            language_code=code,
        )
        await context.bot.set_my_commands(
            commands(texts, lang, group_menu(table)), scope=BotCommandScopeAllGroupChats(), language_code=code
        )


async def refresh_for(context: LagContext, member: Member) -> None:
    """Set the member's own menu: their language, and the coordinator commands if they hold the role."""
    role = context.services.authorizer.role_of(member.telegram_id, member)
    await set_chat_menu(context, member.telegram_id, member.language, role)


async def set_chat_menu(context: LagContext, chat_id: int, lang: str, role: Role | None) -> None:
    """Set or delete the per-chat menu of one person."""
    texts, table = context.services.texts, registered(context.application)
    scope = BotCommandScopeChat(chat_id)
    try:
        if role is not None:
            # A chat menu in the member's language, even if their Telegram app speaks another, with
            # the commands of their role.
            await context.bot.set_my_commands(commands(texts, lang, private_menu(table, role)), scope=scope)
        else:
            await context.bot.delete_my_commands(scope=scope)
    except (BadRequest, Forbidden) as exc:  # chat unknown to Telegram yet: set at their /start
        log.info("menu for chat not set: %s", exc.message)

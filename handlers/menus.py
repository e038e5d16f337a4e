"""Command menus (setMyCommands): per language, for private chats and groups, and for each
coordinator's private chat their extra commands."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import BadRequest, Forbidden

from handlers.context import LagContext
from lag_bot.i18n import LANGUAGES, Catalog
from lag_bot.models import Member, Role
from lag_bot.settings import Settings

log = logging.getLogger(__name__)

# (German command, English alias) — the menu shows the one of the user's language.
PRIVATE = [
    ("start", "start"),
    ("hilfe", "help"),
    ("profil", "profile"),
    ("sprache", "language"),
    ("datenschutz", "privacy"),
    ("meinedaten", "mydata"),
    ("austreten", "leave"),
    ("abbrechen", "cancel"),
    ("termine", "events"),
    ("erinnerung", "remind"),
    ("erinnerungen", "reminders"),
    ("frage", "ask"),
    ("meinefragen", "myquestions"),
]
COORDINATOR = [
    ("mitglieder", "members"),
    ("einladen", "invite"),
    ("rundschreiben", "broadcast"),
    ("neuertermin", "newevent"),
    ("fraktionen", "factions"),
    ("statistik", "stats"),
]
# Only for the admins from ADMIN_IDS (the only ones who hold the admin role).
ADMIN = [
    ("status", "status"),
]
GROUP = [
    ("verbinden", "link"),
    ("hilfe", "help"),
    ("termine", "events"),
    ("erinnerung", "remind"),
    ("erinnerungen", "reminders"),
]


def commands(texts: Catalog, lang: str, pairs: list[tuple[str, str]]) -> list[BotCommand]:
    """The menu entries for one language."""
    return [BotCommand(en if lang == "en" else de, texts.t(lang, f"menu-{de}")) for de, en in pairs]


async def set_default_menus(bot: Bot, texts: Catalog, settings: Settings) -> None:
    """Set the menus for everyone: private chats and groups, German default and English."""
    for lang in LANGUAGES:
        code = "" if lang == settings.default_language else lang
        await bot.set_my_commands(
            commands(texts, lang, PRIVATE), scope=BotCommandScopeAllPrivateChats(), language_code=code
        )
        await bot.set_my_commands(
            commands(texts, lang, GROUP), scope=BotCommandScopeAllGroupChats(), language_code=code
        )


async def refresh_for(context: LagContext, member: Member) -> None:
    """Set the member's own menu: their language, and the coordinator commands if they hold the role."""
    role = context.services.authorizer.role_of(member.telegram_id, member)
    await set_chat_menu(context, member.telegram_id, member.language, role)


async def set_chat_menu(context: LagContext, chat_id: int, lang: str, role: Role | None) -> None:
    """Set or delete the per-chat menu of one person."""
    texts = context.services.texts
    scope = BotCommandScopeChat(chat_id)
    try:
        if role is Role.ADMIN:
            await context.bot.set_my_commands(
                commands(texts, lang, PRIVATE + COORDINATOR + ADMIN), scope=scope
            )
        elif role is not None and role.rank >= Role.COORDINATOR.rank:
            await context.bot.set_my_commands(commands(texts, lang, PRIVATE + COORDINATOR), scope=scope)
        elif role is not None:
            # A chat menu in the member's language, even if their Telegram app speaks another.
            await context.bot.set_my_commands(commands(texts, lang, PRIVATE), scope=scope)
        else:
            await context.bot.delete_my_commands(scope=scope)
    except (BadRequest, Forbidden) as exc:  # chat unknown to Telegram yet: set at their /start
        log.info("menu for chat not set: %s", exc.message)

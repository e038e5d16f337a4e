"""The composition of the application: builder, services, and every handler in one ordered block.

One file on purpose (about 270 lines): the start-up sequence (post_init) and the order in which PTB
tries the handlers (`register`) are read together, top to bottom; the command table is in
commands.py."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatJoinRequestHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from composition.commands import COMMANDS
from handlers import dialogs, help, menus
from handlers.bot import LagBot
from handlers.broadcasts import actions as broadcast_actions
from handlers.broadcasts import compose as broadcast
from handlers.broadcasts import report as broadcast_report
from handlers.context import BotData, LagContext
from handlers.delivery.json_request import SpreadRequests
from handlers.delivery.rate_limits import SharedRateLimiter
from handlers.delivery.transport import TelegramTransport
from handlers.errors import on_error
from handlers.events import cards as event_cards
from handlers.events import listing as event_list
from handlers.events import manage as event_manage
from handlers.events import new as event_new
from handlers.events import rsvp as event_rsvp
from handlers.events import shifts as event_shifts
from handlers.membership import (
    approvals,
    factions,
    group_gate,
    group_joins,
    groups,
    invite,
    language,
    members,
    privacy,
    profile,
    start,
    wizard,
)
from handlers.menus import Scope
from handlers.questions import ask as question_ask
from handlers.questions import board as question_board
from handlers.questions import card as question_card
from handlers.questions import mine as question_mine
from handlers.questions import reply as question_reply
from handlers.questions import search as question_search
from handlers.reminders import ack as reminder_ack
from handlers.reminders import create as reminders
from handlers.reminders import listing as reminder_list
from handlers.update_order import OrderedUpdateProcessor
from lag_bot.broadcasts.model import READ_FEATURE
from lag_bot.callbacks import pattern
from lag_bot.clock import Clock, utc_now
from lag_bot.delivery.ratelimit import RateLimiter
from lag_bot.errors import Stale
from lag_bot.models import Role
from lag_bot.reminders.acks import FEATURE as FEATURE_ACK
from lag_bot.services import Services
from lag_bot.settings import Settings

log = logging.getLogger(__name__)
LagApplication = Application[Any, LagContext, dict[Any, Any], dict[Any, Any], BotData, Any]
ALLOWED_UPDATES = [
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
]
MAINTENANCE_FIRST = 60.0  # seconds after the start: the first backup and retention run

PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
BUTTONS = [
    (start.FEATURE, start.on_consent_button),
    (wizard.FEATURE, wizard.on_button),
    ("pf", profile.on_profile_button),
    (language.FEATURE, language.on_language_button),
    (privacy.FEATURE, privacy.on_leave_button),
    (approvals.FEATURE, approvals.on_approval_button),
    (members.FEATURE, members.on_members_button),
    (invite.FEATURE, invite.on_invite_button),
    (groups.FEATURE, groups.on_link_button),
    (group_gate.FEATURE, group_gate.on_button),
    (broadcast_actions.FEATURE, broadcast.on_button),
    (READ_FEATURE, broadcast_report.on_read_button),
    (reminders.FEATURE, reminders.on_button),
    (reminder_list.FEATURE, reminder_list.on_button),
    (FEATURE_ACK, reminder_ack.on_button),
    (event_new.FEATURE, event_new.on_button),
    (question_ask.FEATURE, question_ask.on_button),
    (question_card.FEATURE, question_card.on_button),
    (question_mine.FEATURE, question_mine.on_button),
    (question_search.FEATURE, question_search.on_button),
    (question_board.FEATURE, question_board.on_button),
    (factions.FEATURE, factions.on_button),
    (event_rsvp.FEATURE, event_rsvp.on_rsvp_button),
    (event_list.FEATURE, event_list.on_list_button),
    (event_manage.FEATURE, event_manage.on_manage_button),
    (event_shifts.FEATURE, event_shifts.on_shift_button),
]


def build_bot(settings: Settings, limiter: RateLimiter) -> LagBot:
    """The application's bot: its requests take their send slots from `limiter`, which the outbox
    uses too, so replies and bulk sends together keep Telegram's limits."""
    return LagBot(
        settings.bot_token.get(),
        base_url=settings.api_base_url,
        base_file_url=settings.file_base_url,
        # Enough connections for every update in flight and the jobs beside them.
        request=SpreadRequests(settings.update_concurrency + 8),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        rate_limiter=SharedRateLimiter(limiter, max_retries=2),
    )


def build_application(
    settings: Settings, clock: Clock = utc_now, monotonic: Callable[[], float] = time.monotonic
) -> LagApplication:
    """The PTB application with its services opened in post_init and closed in post_shutdown.
    `monotonic` is what the send limiter and the live cards' 5 s between edits count seconds by
    (the tests' clock moves it forward when a test moves time)."""
    limiter = RateLimiter(settings.send_limits, monotonic)

    async def post_init(app: LagApplication) -> None:
        services = await Services.open(settings, clock, limiter)
        services.events.cards.live.monotonic = monotonic
        services.bot_username = app.bot.username
        app.bot_data.services = services
        transport = TelegramTransport(
            settings.bot_token.get(), settings.api_base_url, settings.file_base_url, settings.send_concurrency
        )
        await transport.start()
        await services.start_sender(transport)
        assert app.job_queue is not None
        # Edits each running broadcast's progress message; `data` remembers what each one shows.
        app.job_queue.run_repeating(
            broadcast_report.update_progress,
            interval=2.0,
            first=2.0,
            data=broadcast_report.Progress(),
            name="broadcast-progress",
        )
        # Reminders live in the database; this job hands the due ones to the outbox 4 times a second, so
        # after any restart the first run fires what came due meanwhile (once: lag_bot/reminders/service.py).
        app.job_queue.run_repeating(_fire_reminders, interval=0.25, first=0.25, name="reminders-due")
        # The daily backup and retention rules: checked every hour, each done once a day (maintenance.py).
        app.job_queue.run_repeating(_maintain, interval=3600, first=MAINTENANCE_FIRST, name="maintenance")
        # Edits the group copies of event announcements whose answers changed (live counts); which
        # events changed is kept in memory, each group message at most every 5 s (event_cards).
        app.job_queue.run_repeating(
            event_cards.refresh_group_cards,
            interval=event_cards.REFRESH_EVERY,
            first=event_cards.REFRESH_EVERY,
            name="event-group-cards",
        )
        context = LagContext(app)
        await menus.set_default_menus(context, settings)
        for coordinator in await services.members.with_role_at_least(Role.COORDINATOR):
            await menus.refresh_for(context, coordinator)
        for admin_id in settings.admin_ids:
            member = await services.members.by_telegram_id(admin_id)
            lang = member.language if member else settings.default_language
            await menus.set_chat_menu(context, admin_id, lang, Role.ADMIN)
        # What exists now lives as long as the bot (services, catalog, territory, PTB's objects):
        # moved out of the garbage collector's sight, a full collection takes a fraction of the
        # time, and the pause it makes no longer holds up sends (a stalled loop can cost a 429).
        gc.freeze()
        log.info("lag-bot ready as @%s", app.bot.username)

    async def post_shutdown(app: LagApplication) -> None:
        if app.bot_data.services is not None:
            await app.bot_data.services.close()
            app.bot_data.services = None

    app: LagApplication = (
        ApplicationBuilder()
        .bot(build_bot(settings, limiter))
        .context_types(ContextTypes(context=LagContext, bot_data=BotData))
        # Updates of different chats run concurrently, each chat's (each person's in a group) in
        # order: see handlers/update_order.py.
        .concurrent_updates(OrderedUpdateProcessor(settings.update_concurrency))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    register(app)
    return app


@asynccontextmanager
async def polling(
    settings: Settings, clock: Clock = utc_now, monotonic: Callable[[], float] = time.monotonic
) -> AsyncIterator[LagApplication]:
    """The application started like `run_polling` does (services, sender, jobs, long polling), in
    the current event loop, and stopped cleanly afterwards: for the sandbox and the tests."""
    app = build_application(settings, clock, monotonic)
    await app.initialize()
    try:
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        yield app
    finally:
        assert app.updater is not None and app.post_shutdown is not None
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.post_shutdown(app)  # closes the services if post_init opened them
        await app.shutdown()


def register(app: LagApplication) -> None:
    """Every handler, in the order PTB tries them (first match in group 0 wins)."""
    # Before anything else (group -1 runs for every update): whoever writes is reachable again.
    app.add_handler(TypeHandler(Update, _heard_from), group=-1)
    # Whoever writes in a group is in it (the group gate remembers members only).
    seen = MessageHandler(GROUPS & ~filters.StatusUpdate.ALL, group_joins.on_group_message)
    app.add_handler(seen, group=-2)
    # Service messages first: a migration or the bot's own membership change is no command.
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups.on_migrate))
    app.add_handler(ChatMemberHandler(groups.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(ChatMemberHandler(group_joins.on_chat_member, ChatMemberHandler.CHAT_MEMBER))
    app.add_handler(ChatJoinRequestHandler(group_joins.on_join_request))
    # The command table (composition/commands.py); the menus are built from these rows.
    for command in COMMANDS:
        app.add_handler(menus.TableCommandHandler(command))
    private_names = [name for command in COMMANDS if command.scope is Scope.PRIVATE for name in command.names]
    app.add_handler(CommandHandler(private_names, help.on_private_only, filters=GROUPS))
    for feature, on_press in BUTTONS:
        app.add_handler(CallbackQueryHandler(on_press, pattern=pattern(feature)))
    # A press no pattern matched is forged or from an old version: answered as stale.
    app.add_handler(CallbackQueryHandler(_unknown_button))
    # Typed text goes to the open dialog; anything else in private gets a hint. Groups get no
    # answer to ordinary messages: the bot is not a participant there.
    # A reply to one of the bot's question messages is an answer or a follow-up (the link is in the
    # database); any other reply in private goes on to the open dialog. With privacy mode on,
    # Telegram still delivers a group's replies to the bot's messages.
    # (An edited answer is not sent again: only new messages count.)
    reply = filters.UpdateType.MESSAGE & filters.REPLY & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(PRIVATE & reply, question_reply.on_private_reply))
    app.add_handler(MessageHandler(GROUPS & reply, question_reply.on_group_reply))
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, dialogs.on_text))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, help.on_unknown_command))
    # A photo or file is the body of a broadcast being written; in another dialog it is told what
    # the dialog waits for; outside any dialog it gets the hint.
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND & ~filters.TEXT, dialogs.on_other))
    app.add_error_handler(on_error)


async def _fire_reminders(context: LagContext) -> None:
    await context.services.reminders.fire_due()


async def _maintain(context: LagContext) -> None:
    await context.services.maintenance.run()


async def _heard_from(update: Update, context: LagContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is not None and chat is not None and chat.type == "private":
        await context.services.reachability.heard_from(user.id)


async def _unknown_button(update: Update, context: LagContext) -> None:
    raise Stale()

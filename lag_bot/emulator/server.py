"""FakeTelegram: the Bot API over real HTTP on 127.0.0.1, plus the simulated world behind it.

One file on purpose (about 260 lines): `FakeTelegram` is the one object tests, benchmarks and the
sandbox hold, and its methods are the knobs they turn (latency, injected errors, the bot's rights
in a group); the HTTP routes, chats, users and Bot API methods live in their own modules.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from . import bot_methods as bm
from . import group_admin as ga
from . import methods as mm
from . import routes
from .chats import ChatLog
from .limits import Injections, RateLimiter
from .models import ApiCall, ApiError, Document
from .sim import SimUser
from .sim_group import SimGroup
from .updates import UpdateQueue
from .validate import canonical_scope, validate_language
from .webhook import WebhookPush

log = logging.getLogger(__name__)
Handler = Callable[["FakeTelegram", dict[str, Any]], Awaitable[Any]]
_HANDLERS: dict[str, Handler] = {
    "getme": bm.get_me,
    "getupdates": bm.get_updates,
    "deletewebhook": bm.delete_webhook,
    "setwebhook": bm.set_webhook,
    "getwebhookinfo": bm.get_webhook_info,
    "logout": bm.no_op,
    "close": bm.no_op,
    "setchatmenubutton": bm.no_op,
    "setmycommands": bm.set_my_commands,
    "getmycommands": bm.get_my_commands,
    "deletemycommands": bm.delete_my_commands,
    "getchat": bm.get_chat,
    "getchatmember": bm.get_chat_member,
    "getchatadministrators": bm.get_chat_administrators,
    "leavechat": bm.leave_chat,
    "createchatinvitelink": ga.create_chat_invite_link,
    "approvechatjoinrequest": ga.approve_chat_join_request,
    "declinechatjoinrequest": ga.decline_chat_join_request,
    "banchatmember": ga.ban_chat_member,
    "unbanchatmember": ga.unban_chat_member,
    "sendmessage": mm.send_message,
    "editmessagetext": mm.edit_message_text,
    "editmessagereplymarkup": mm.edit_message_reply_markup,
    "deletemessage": mm.delete_message,
    "answercallbackquery": mm.answer_callback_query,
    "senddocument": mm.send_document,
    "sendphoto": mm.send_photo,
    "sendchataction": mm.send_chat_action,
    "copymessage": mm.copy_message,
    "getfile": mm.get_file,
}


class FakeTelegram:
    """A strict fake Telegram Bot API server; see the package docstring for usage."""

    def __init__(
        self,
        token: str,
        bot_username: str = "lag_test_bot",
        rate_limits: bool = False,
        bot_first_name: str = "LAG Test Bot",
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.rate_limits = rate_limits  # may be switched on/off by a test at any time
        # The network: every call waits `latency` seconds (plus up to `jitter`) before Telegram
        # handles it, like a round trip from a server to Telegram. Off (0) by default.
        self.latency = 0.0
        self.jitter = 0.0
        # A callback query answered later than this after the press is "too old", as on Telegram.
        self.callback_query_timeout = 15.0
        self.limiter = RateLimiter()
        self.methods = _HANDLERS  # the Bot API methods it answers (a test may wrap one)
        self.calls: list[ApiCall] = []
        self.handling = 0  # requests being handled now, long polls (getUpdates) aside
        # The time recorded with each call (`ApiCall.at`); a test may put the bot's clock here.
        self.call_clock: Callable[[], float] = time.time
        self.updates = UpdateQueue()
        self.users: dict[int, SimUser] = {}
        self.groups: dict[int, SimGroup] = {}
        self.migrated: dict[int, int] = {}
        self.files: dict[str, Document] = {}
        self.stored_commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.open_queries: dict[str, float] = {}  # query id -> monotonic time of the press
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.webhook_url = ""
        self.webhook_proxy = ""  # the bot's local address standing in for the TLS proxy (webhook.py)
        self.webhook = WebhookPush(self)
        self.injections = Injections()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._port = 0

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])  # port 0 asked the OS; this is the real one

    async def stop(self) -> None:
        """Release long polls, stop webhook deliveries and shut the server down."""
        self.updates.close()
        await self.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder.base_url: PTB appends token and method."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder.base_file_url."""
        return f"http://127.0.0.1:{self._port}/file/bot"

    # --- the simulated world ---------------------------------------------------------------------

    def bot_json(self) -> dict[str, Any]:
        """The bot's User object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "de",
    ) -> SimUser:
        """A simulated user (the same object again for a known id)."""
        if user_id not in self.users:
            self.users[user_id] = SimUser(self, user_id, first_name, last_name, username, language_code)
        return self.users[user_id]

    def group(self, chat_id: int, title: str, supergroup: bool = False, forum: bool = False) -> SimGroup:
        """A simulated group the bot is not yet in (the same object again for a known id)."""
        if chat_id not in self.groups:
            self.groups[chat_id] = SimGroup(self, chat_id, title, supergroup, forum)
        return self.groups[chat_id]

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, str]]:
        """What setMyCommands stored for exactly this scope and language."""
        return list(self.stored_commands.get((canonical_scope(scope), validate_language(language_code)), []))

    def calls_of(self, method: str) -> list[ApiCall]:
        """The recorded calls of one method."""
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next `count` calls of `method` (for `chat_id` only, if given) with this error."""
        parameters: dict[str, Any] = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        error = ApiError(error_code, description, parameters or None)
        self.injections.add(method.lower(), error, count, chat_id)

    def invite_link_json(self, link: str, creates_join_request: bool, name: str = "") -> dict[str, Any]:
        """A ChatInviteLink the bot created."""
        data: dict[str, Any] = {
            "invite_link": link,
            "creator": self.bot_json(),
            "creates_join_request": creates_join_request,
            "is_primary": False,
            "is_revoked": False,
        }
        if name:
            data["name"] = name
        return data

    def group_of_link(self, link: str) -> SimGroup:
        """The group an invite link belongs to (for a test following a link button)."""
        for group in self.groups.values():
            if link in group.invite_links:
                return group
        raise AssertionError(f"no group has the invite link {link!r}")

    def chat_of(self, chat_id: int) -> SimUser | SimGroup | None:
        """The chat with this id (a migrated group is also found under its old id)."""
        chat_id = self.migrated.get(chat_id, chat_id)
        return self.users.get(chat_id) or self.groups.get(chat_id)

    def chat_id_of(self, chat: ChatLog) -> int:
        """The chat's current id."""
        assert isinstance(chat, SimUser | SimGroup)
        return chat.id

    def migrate_group(self, group: SimGroup, new_id: int) -> None:
        """Register the group under its supergroup id; the old id becomes an error."""
        self.groups.pop(group.id, None)
        self.migrated[group.id] = new_id
        self.groups[new_id] = group

    def store_file(self, file_name: str, mime_type: str | None, content: bytes) -> Document:
        """Keep a file for getFile and downloads."""
        file_id = f"F{next(self._ids)}"
        self.files[file_id] = Document(file_name, mime_type, content, file_id)
        return self.files[file_id]

    def new_callback_query(self) -> str:
        """A fresh callback query id, open for one answer within `callback_query_timeout`."""
        query_id = str(10**12 + next(self._ids))
        self.open_queries[query_id] = time.monotonic()
        return query_id

    def take_callback_query(self, query_id: str) -> bool:
        """Close the query for its one answer; False if it is unknown, answered or expired."""
        pressed = self.open_queries.pop(query_id, None)
        return pressed is not None and time.monotonic() - pressed <= self.callback_query_timeout

    def set_latency(self, ms: float, jitter_ms: float = 0.0) -> None:
        """Delay every call by `ms` milliseconds plus up to `jitter_ms` (0: loopback speed)."""
        self.latency, self.jitter = ms / 1000.0, jitter_ms / 1000.0

    async def _handle(self, request: web.Request) -> web.Response:
        return await routes.handle(self, request)

    async def _serve_file(self, request: web.Request) -> web.Response:
        return await routes.serve_file(self, request)

"""The sandbox's web page and its small JSON API over the emulator's simulated people and groups.

    GET  /                      the messenger page
    GET  /page.js               the page's script
    GET  /favicon.ico           the page's icon
    GET  /emoji.ttf             Noto Emoji, for machines without an emoji font (static/OFL.txt)
    GET  /api/world             who one can be, the groups, the sandbox time
    GET  /api/messages?as=&chat= one chat as that person sees it (their messages and the bot's)
    POST /api/send              {"as", "chat", "text", "reply_to"?}: type a message or command
    POST /api/press             {"as", "chat", "message", "data"}: press an inline button
    GET  /api/file/{id}         a document the bot sent (.ics, CSV)
    POST /api/time              {"minutes"}: fast-forward the bot's clock through each due moment

Only 127.0.0.1 is served. Everything typed goes to the bot exactly as a Telegram client would
send it; nothing here writes to the bot's database.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from lag_bot.emulator import FakeTelegram, SimGroup, SimMessage, SimUser
from lag_bot.sandbox.clock import FastForwardClock, NextDue, fast_forward

ANSWER_WAIT = 3.0  # seconds to wait for the bot's answer to a pressed button


@dataclass
class Person:
    """Someone the visitor can be."""

    user: SimUser
    about: str


@dataclass
class World:
    """The simulated people and groups the page offers."""

    fake: FakeTelegram
    clock: FastForwardClock
    next_due: NextDue  # when the bot's scheduler must look next (fast-forward stops there)
    zone: ZoneInfo  # the bot's time zone: the page shows the bot's clock
    people: list[Person] = field(default_factory=list)
    # What a person's label says now, where it changes (the newcomer after joining); None: `about`.
    label: Callable[[int], Awaitable[str | None]] | None = None
    groups: list[tuple[SimGroup, str]] = field(default_factory=list)

    def person(self, user_id: int) -> SimUser:
        """A person by id, or 404."""
        for person in self.people:
            if person.user.id == user_id:
                return person.user
        raise web.HTTPNotFound(text="unknown person")

    def chat(self, user: SimUser, chat_id: int) -> SimUser | SimGroup:
        """The person's private chat with the bot, or a group they are in; else 404."""
        if chat_id == user.id:
            return user
        for group, _ in self.groups:
            if group.id == chat_id and user.id in group.members:
                return group
        raise web.HTTPNotFound(text="unknown chat")


WORLD = web.AppKey("world", World)


def build_web_app(world: World) -> web.Application:
    """The aiohttp application serving the page and the API."""
    app = web.Application()
    app[WORLD] = world
    app.router.add_get("/", _index)
    app.router.add_get("/page.js", _script)
    app.router.add_get("/favicon.ico", _favicon)
    app.router.add_get("/emoji.ttf", _emoji_font)
    app.router.add_get("/api/world", _world)
    app.router.add_get("/api/messages", _messages)
    app.router.add_post("/api/send", _send)
    app.router.add_post("/api/press", _press)
    app.router.add_get("/api/file/{file_id}", _file)
    app.router.add_post("/api/time", _time)
    return app


def _of(request: web.Request) -> World:
    return request.app[WORLD]


async def _index(request: web.Request) -> web.Response:
    page = resources.files("lag_bot.sandbox").joinpath("static/index.html").read_text("utf-8")
    return web.Response(text=page, content_type="text/html")


def _static(name: str) -> bytes:
    return resources.files("lag_bot.sandbox").joinpath(f"static/{name}").read_bytes()


async def _script(request: web.Request) -> web.Response:
    return web.Response(body=_static("page.js"), content_type="text/javascript", charset="utf-8")


async def _favicon(request: web.Request) -> web.Response:
    return web.Response(body=_static("favicon.svg"), content_type="image/svg+xml")


async def _emoji_font(request: web.Request) -> web.Response:
    headers = {"Cache-Control": "max-age=86400"}
    return web.Response(body=_static("NotoEmoji.ttf"), content_type="font/ttf", headers=headers)


async def _world(request: web.Request) -> web.Response:
    world = _of(request)
    now = world.clock().astimezone(world.zone)
    people = []
    for p in world.people:
        about = (await world.label(p.user.id) if world.label else None) or p.about
        people.append({"id": p.user.id, "name": _name(p.user), "about": about})
    return web.json_response(
        {
            "now": now.strftime("%d.%m.%Y %H:%M"),
            "zone": world.zone.key,
            "people": people,
            "groups": [
                {"id": g.id, "title": g.title, "about": about, "members": sorted(g.members)}
                for g, about in world.groups
            ],
        }
    )


async def _messages(request: web.Request) -> web.Response:
    world = _of(request)
    user = world.person(_int(request.query.get("as")))
    chat = world.chat(user, _int(request.query.get("chat")))
    shown = [_message_json(world, user, m) for m in chat.history()]
    return web.json_response({"messages": shown})


async def _send(request: web.Request) -> web.Response:
    world = _of(request)
    body = await _body(request)
    user = world.person(_int(body.get("as")))
    chat = world.chat(user, _int(body.get("chat")))
    text = str(body.get("text", "")).strip()[:4096]
    if not text:
        raise web.HTTPBadRequest(text="empty message")
    reply_to = chat.find(_int(body["reply_to"])) if body.get("reply_to") else None
    if isinstance(chat, SimGroup):
        await user.send_in(chat, text, reply_to=reply_to)
    else:
        await user.send(text, reply_to=reply_to)
    return web.json_response({"ok": True})


async def _press(request: web.Request) -> web.Response:
    world = _of(request)
    body = await _body(request)
    user = world.person(_int(body.get("as")))
    chat = world.chat(user, _int(body.get("chat")))
    message = chat.find(_int(body.get("message")))
    data = str(body.get("data", ""))
    if message is None or not message.from_bot or data not in _callback_data(message):
        raise web.HTTPNotFound(text="no such button")
    query_id = await user.press_data(message, data)
    answer: dict[str, Any] = {}
    with contextlib.suppress(TimeoutError, AssertionError):
        answer = await user.callback_answer(query_id, timeout=ANSWER_WAIT)
    return web.json_response({"answer": answer.get("text") or ""})


async def _file(request: web.Request) -> web.Response:
    document = _of(request).fake.files.get(request.match_info["file_id"])
    if document is None:
        raise web.HTTPNotFound(text="no such file")
    headers = {"Content-Disposition": f'attachment; filename="{document.file_name}"'}
    return web.Response(
        body=document.content, content_type=document.mime_type or "application/octet-stream", headers=headers
    )


async def _time(request: web.Request) -> web.Response:
    body = await _body(request)
    world = _of(request)
    try:
        steps = await fast_forward(world.clock, _int(body.get("minutes")), world.next_due)
    except ValueError:
        raise web.HTTPBadRequest(text="minutes out of range") from None
    await asyncio.sleep(0.3)  # the sender delivers what the last moment handed to the outbox
    return web.json_response({"ok": True, "moments": steps})


def _message_json(world: World, viewer: SimUser, message: SimMessage) -> dict[str, Any]:
    author = world.fake.users.get(message.from_user_id or 0)
    document = message.document
    return {
        "id": message.message_id,
        "mine": not message.from_bot and message.from_user_id == viewer.id,
        "from": "🤖 Bot" if message.from_bot else (_name(author) if author else "?"),
        "text": message.text,
        "entities": message.entities,  # bold, italics, links …: the page renders them, escaped
        "edited": message.edits > 0,
        "buttons": [
            [{"text": b.text, "data": b.callback_data} for b in row if b.callback_data]
            for row in message.buttons
        ],
        "document": {"id": document.file_id, "name": document.file_name} if document else None,
    }


def _callback_data(message: SimMessage) -> set[str]:
    return {b.callback_data for row in message.buttons for b in row if b.callback_data}


def _name(user: SimUser) -> str:
    return f"{user.first_name} {user.last_name or ''}".strip()


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise web.HTTPBadRequest(text="not a number") from None


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="not JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="not an object")
    return body

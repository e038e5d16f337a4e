"""The fake's HTTP side: each Bot API request checked (token, method, injected errors, Telegram's
limits), answered by its method, and recorded; and the file downloads."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .models import ApiCall, ApiError
from .request_params import loggable, read_params

if TYPE_CHECKING:
    from .server import FakeTelegram

log = logging.getLogger(__name__)


def _rate_limited(method: str) -> bool:
    return (
        (method.startswith("send") and method != "sendchataction")
        or method.startswith("edit")
        or method == "copymessage"
    )


async def handle(fake: FakeTelegram, request: web.Request) -> web.Response:
    """One Bot API request, counted in `fake.handling` while it is handled (long polls aside)."""
    long_poll = request.match_info["method"].lower() == "getupdates"
    fake.handling += not long_poll
    try:
        return await _answer(fake, request)
    finally:
        fake.handling -= not long_poll


async def _answer(fake: FakeTelegram, request: web.Request) -> web.Response:
    method = request.match_info["method"]
    params: dict[str, Any] = {}
    try:
        params = await read_params(request)
        if fake.latency or fake.jitter:
            await asyncio.sleep(fake.latency + random.uniform(0.0, fake.jitter))
        result = await _dispatch(fake, request.match_info["token"], method, params)
        body: dict[str, Any] = {"ok": True, "result": result}
    except ApiError as error:
        body = error.payload()
    except Exception as error:  # a bug in the fake: make it loud in the bot's logs and the test
        log.exception("fake Telegram failed on %s", method)
        body = ApiError(500, f"Internal Server Error: fake failed: {error!r}").payload()
    fake.calls.append(
        ApiCall(
            method,
            loggable(params),
            body["ok"],
            body.get("error_code"),
            body.get("description"),
            fake.call_clock(),
            request.content_type,
        )
    )
    return web.json_response(body, status=body.get("error_code", 200))


async def _dispatch(fake: FakeTelegram, token: str, method: str, params: dict[str, Any]) -> Any:
    if token != fake.token:
        raise ApiError(401, "Unauthorized")
    handler = fake.methods.get(method.lower())
    if handler is None:
        raise ApiError(404, "Not Found")
    injected = fake.injections.take(method.lower(), params)
    if injected is not None:
        raise injected
    if fake.rate_limits and _rate_limited(method.lower()):
        chat_id = params.get("chat_id")
        numeric = int(str(chat_id)) if str(chat_id).lstrip("-").isdigit() else None
        fake.limiter.check(numeric, numeric is not None and numeric > 0)
    return await handler(fake, params)


async def serve_file(fake: FakeTelegram, request: web.Request) -> web.Response:
    """A download of a file the bot sent or got (getFile's path)."""
    if request.match_info["token"] != fake.token:
        return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
    document = fake.files.get(request.match_info["path"].rsplit("/", 1)[-1])
    if document is None:
        return web.json_response(ApiError(404, "Not Found").payload(), status=404)
    return web.Response(body=document.content, content_type="application/octet-stream")

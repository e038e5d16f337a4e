"""Bot API requests with a JSON body instead of a form, for every call that uploads no file.

python-telegram-bot posts its parameters form-encoded, and httpx encodes a form in Python one
byte at a time: for a reply with an inline keyboard (a profile, an event card) that was the single
largest piece of the bot's own work per request. The Bot API takes `application/json` for every
method; a body with a file still goes as multipart through PTB's own path.

    request = JsonHTTPXRequest(connection_pool_size=16)   # in place of HTTPXRequest
"""

from __future__ import annotations

import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

_JSON = {"Content-Type": "application/json"}


class JsonHTTPXRequest(HTTPXRequest):
    """PTB's httpx request, sending parameters as JSON when there is no file among them."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """POST the parameters as JSON; anything with files goes PTB's multipart way."""
        if request_data is None or request_data.contains_files:
            return await super().do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout  # type: ignore[arg-type]
            )
        client = self._client
        timeout = httpx.Timeout(
            connect=_or(connect_timeout, client.timeout.connect),
            read=_or(read_timeout, client.timeout.read),
            write=_or(write_timeout, client.timeout.write),
            pool=_or(pool_timeout, client.timeout.pool),
        )
        try:
            response = await client.request(
                method=method,
                url=url,
                headers={"User-Agent": self.USER_AGENT, **_JSON},
                timeout=timeout,
                content=request_data.json_payload,
            )
        except httpx.PoolTimeout as exc:
            raise TimedOut("Pool timeout: every connection of the pool is busy; not sent") from exc
        except httpx.TimeoutException as exc:
            raise TimedOut from exc
        except httpx.HTTPError as exc:  # the base of httpx's errors: last
            raise NetworkError(f"httpx.{exc.__class__.__name__}: {exc}") from exc
        return response.status_code, response.content


def _or(value: object, default: float | None) -> float | None:
    """A timeout given for this call, or the client's own (a PTB default value means 'not given')."""
    if isinstance(value, DefaultValue):
        return default
    return value  # type: ignore[return-value]

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


class SpreadRequests(BaseRequest):
    """Requests spread over several small connection pools, each to the least busy one.

    httpx's pool looks at every one of its connections (and, for each idle one, at all of them
    again) whenever a request comes or goes: with 16 connections that bookkeeping costs more than
    the request. Small pools of `per_pool` keep it short. When Telegram answers quickly, the first
    pool carries nearly everything on one or two connections; when it is far away, the requests in
    flight spread over all pools, up to `connections` at once.
    """

    def __init__(self, connections: int, per_pool: int = 2) -> None:
        count = max(1, -(-connections // per_pool))
        self._pools = [JsonHTTPXRequest(connection_pool_size=per_pool) for _ in range(count)]
        self._busy = [0] * count

    @property
    def read_timeout(self) -> float | None:
        """The read timeout every pool uses."""
        return self._pools[0].read_timeout

    async def initialize(self) -> None:
        """Open every pool."""
        for pool in self._pools:
            await pool.initialize()

    async def shutdown(self) -> None:
        """Close every pool."""
        for pool in self._pools:
            await pool.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send through the pool with the fewest requests under way."""
        index = min(range(len(self._busy)), key=self._busy.__getitem__)
        self._busy[index] += 1
        try:
            return await self._pools[index].do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
        finally:
            self._busy[index] -= 1

"""The application bot's HTTP side: JSON bodies, and requests spread over small connection pools."""

from __future__ import annotations

import asyncio

from telegram import Bot

from handlers.delivery.json_request import JsonHTTPXRequest, SpreadRequests
from lag_bot.emulator import FakeTelegram
from tests.harness import TOKEN


def counting(requests: SpreadRequests) -> list[int]:
    """How many requests each pool of `requests` has carried (counted from now on)."""
    counts = [0] * len(requests._pools)
    for index, pool in enumerate(requests._pools):
        original = pool.do_request

        async def counted(*args: object, _i: int = index, _f: object = original, **kwargs: object) -> object:
            counts[_i] += 1
            return await _f(*args, **kwargs)  # type: ignore[operator]

        pool.do_request = counted  # type: ignore[method-assign]
    return counts


async def test_quick_answers_stay_on_one_pool_and_slow_ones_spread(fake: FakeTelegram) -> None:
    requests = SpreadRequests(connections=6, per_pool=2)
    bot = Bot(TOKEN, base_url=fake.base_url, request=requests)
    async with bot:
        counts = counting(requests)
        member = fake.user(4711, "Testperson")
        await member.send("/start")  # the chat exists, so the bot may write to it
        for n in range(5):  # one after the other: the first pool carries all
            await bot.send_message(member.id, f"Nachricht {n}")
        assert counts == [5, 0, 0]
        fake.set_latency(50)  # Telegram far away: six at once go out over all three pools
        await asyncio.gather(*(bot.send_message(member.id, f"parallel {n}") for n in range(6)))
        assert counts == [7, 2, 2]
    assert len([c for c in fake.calls_of("sendMessage") if c.ok]) == 11


async def test_calls_without_a_file_go_as_json_and_files_still_upload(fake: FakeTelegram) -> None:
    bot = Bot(TOKEN, base_url=fake.base_url, request=JsonHTTPXRequest(connection_pool_size=2))
    async with bot:
        member = fake.user(4712, "Testperson")
        await member.send("/start")
        sent = await bot.send_message(member.id, "<b>fett</b> &amp; klar", parse_mode="HTML")
        assert sent.text == "fett & klar" and sent.entities[0].type == "bold"
        document = await bot.send_document(member.id, b"a;b\r\n", filename="liste.csv", caption="Liste")
        assert document.document is not None and document.document.file_name == "liste.csv"
    kinds = {c.method: c.content_type for c in fake.calls if c.method in ("sendMessage", "sendDocument")}
    assert kinds == {"sendMessage": "application/json", "sendDocument": "multipart/form-data"}

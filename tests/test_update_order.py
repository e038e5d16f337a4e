"""The update processor: concurrent across conversations, in order within one."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Update

from handlers.update_order import OrderedUpdateProcessor, order_key

BOT = {"id": 1, "is_bot": True, "first_name": "Bot"}


def message_update(update_id: int, chat_id: int, user_id: int, text: str = "hi") -> Update:
    """A real Update parsed from Telegram's JSON, in a private chat or a group."""
    chat: dict[str, Any] = (
        {"id": chat_id, "type": "private", "first_name": "P"}
        if chat_id > 0
        else {"id": chat_id, "type": "supergroup", "title": "G"}
    )
    data = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "P"},
            "text": text,
        },
    }
    return Update.de_json(data, None)  # type: ignore[arg-type]


def test_the_key_is_the_private_chat_or_the_person_in_a_group() -> None:
    assert order_key(message_update(1, 501, 501)) == (501, None)
    assert order_key(message_update(2, -100, 501)) == (-100, 501)
    assert order_key(message_update(3, -100, 502)) != order_key(message_update(4, -100, 501))
    assert order_key(object()) is None


async def _run(processor: OrderedUpdateProcessor, updates: list[Update], work: Any) -> None:
    # As PTB's fetcher does: one task per update, started in the order of the updates.
    tasks = [asyncio.create_task(processor.process_update(u, work(u))) for u in updates]
    await asyncio.gather(*tasks)


@pytest.mark.timeout(10)
async def test_one_chat_keeps_its_order_while_others_run_beside_it() -> None:
    processor = OrderedUpdateProcessor(in_flight=8)
    running: set[int] = set()
    most = 0
    seen: dict[tuple[int | None, int | None] | None, list[int]] = {}

    async def work(update: Update) -> None:
        nonlocal most
        key = order_key(update)
        assert update.update_id not in running
        running.add(update.update_id)
        most = max(most, len(running))
        # Later updates of a chat finish sooner: only the processor keeps them in order.
        await asyncio.sleep(0.02 / (1 + update.update_id % 5))
        seen.setdefault(key, []).append(update.update_id)
        running.discard(update.update_id)

    updates = [message_update(i, 500 + i % 4, 500 + i % 4) for i in range(40)]
    updates += [message_update(100 + i, -7, 900 + i % 2) for i in range(10)]
    async with processor:
        await _run(processor, updates, work)
    for key, ids in seen.items():
        assert ids == sorted(ids), key
    assert sum(len(ids) for ids in seen.values()) == 50
    assert most > 1  # different chats really ran together
    assert most <= 8
    assert processor.waiting_keys == 0  # nothing is kept once a chat is quiet


@pytest.mark.timeout(10)
async def test_a_flooding_chat_does_not_take_the_places_of_others() -> None:
    processor = OrderedUpdateProcessor(in_flight=2)
    release = asyncio.Event()
    done: list[int] = []

    async def work(update: Update) -> None:
        if update.effective_chat is not None and update.effective_chat.id == 501:
            await release.wait()
        done.append(update.update_id)

    flood = [message_update(i, 501, 501) for i in range(20)]
    other = message_update(99, 502, 502)
    async with processor:
        tasks = [asyncio.create_task(processor.process_update(u, work(u))) for u in [*flood, other]]
        # The flooding chat holds one place; its 19 waiting updates hold none, so the other runs.
        for _ in range(50):
            if 99 in done:
                break
            await asyncio.sleep(0.01)
        assert done == [99]
        release.set()
        await asyncio.gather(*tasks)
    assert done[1:] == list(range(20))

"""Per-chat ordering: one chat's updates never overtake each other; other chats run meanwhile."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from handlers.update_order import PerChatUpdateProcessor


def _update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "X", False)
    message = Message(update_id, None, Chat(chat_id, "private"), from_user=user)  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_same_chat_in_order_other_chats_concurrently() -> None:
    processor = PerChatUpdateProcessor(8)
    events: list[str] = []
    gate = asyncio.Event()

    async def slow(name: str) -> None:
        events.append(f"start {name}")
        await gate.wait()
        events.append(f"end {name}")

    async def quick(name: str) -> None:
        events.append(f"run {name}")

    tasks = [
        asyncio.create_task(processor.process_update(_update(1, 10), slow("a1"))),
        asyncio.create_task(processor.process_update(_update(2, 10), quick("a2"))),
        asyncio.create_task(processor.process_update(_update(3, 20), quick("b1"))),
    ]
    await asyncio.sleep(0.05)
    # b1 (another chat) ran while a1 waits; a2 (same chat as a1) has not overtaken it.
    assert events == ["start a1", "run b1"]
    gate.set()
    await asyncio.gather(*tasks)
    assert events == ["start a1", "run b1", "end a1", "run a2"]
    assert processor._locks == {} and processor._users == {}

"""Helpers for the stories in which many people act at the same moment: members who joined earlier,
and a witness that the bot really handled their updates side by side.

    people = await joined(bot, fake, ["Person 1", "Person 2"], first_id=7001)
    async with InFlight(bot) as seen:
        await asyncio.gather(*(p.press(card, YES) for p in people))   # a press only enqueues
        ...wait for the answers...
    assert seen.conversations > 1                                     # handled side by side
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from types import TracebackType

import pytest

from handlers.update_order import OrderedUpdateProcessor
from lag_bot.clock import iso
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.models import Role, Status
from tests.harness import RunningBot

ROSTOCK = "Landkreis Rostock"


async def joined(
    bot: RunningBot,
    fake: FakeTelegram,
    names: Sequence[str],
    first_id: int,
    role: Role = Role.MEMBER,
    district: str = ROSTOCK,
) -> list[SimUser]:
    """Active members who joined before the story begins (each has a chat with the bot)."""
    svc = bot.services
    district_id = await svc.db.fetchval("SELECT id FROM territories WHERE name = ?", (district,))
    people = []
    for offset, name in enumerate(names):
        user = fake.user(first_id + offset, name)
        user.started = True  # they talked to the bot when they joined
        async with svc.db.transaction():
            member = await svc.members.create(user.id, "de", iso(bot.clock()), role)
            await svc.members.update_fields(member.id, display_name=name, district_id=district_id)
            await svc.members.set_status(member.id, Status.ACTIVE, iso(bot.clock()))
        people.append(user)
    return people


class InFlight:
    """While a story runs: the most updates the bot held at once (running or waiting for their
    conversation's turn) and the most conversations it had under way at once."""

    def __init__(self, bot: RunningBot) -> None:
        processor = bot.app.update_processor
        assert isinstance(processor, OrderedUpdateProcessor)
        self.processor = processor
        self.updates = 0
        self.conversations = 0
        self._task: asyncio.Task[None] | None = None

    async def _sample(self) -> None:
        while True:
            self.updates = max(self.updates, self.processor.current_concurrent_updates)
            self.conversations = max(self.conversations, self.processor.waiting_keys)
            await asyncio.sleep(0.001)

    async def __aenter__(self) -> InFlight:
        self._task = asyncio.create_task(self._sample())
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        assert self._task is not None
        self._task.cancel()


def assert_never_locked(caplog: pytest.LogCaptureFixture) -> None:
    """No log line (of any logger, any level) says SQLite refused with "database is locked"."""
    locked = [r.getMessage() for r in caplog.records if "database is locked" in r.getMessage().lower()]
    locked += [
        str(r.exc_info[1])
        for r in caplog.records
        if r.exc_info and "database is locked" in str(r.exc_info[1])
    ]
    assert not locked, locked

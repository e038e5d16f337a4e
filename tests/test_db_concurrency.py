"""The database under concurrent tasks: one writer, isolated reads, decisions inside transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from lag_bot.db import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "c.sqlite3")
    await database.execute("CREATE TABLE seats (id INTEGER PRIMARY KEY, free INTEGER NOT NULL)")
    await database.execute("CREATE TABLE taken (who INTEGER NOT NULL)")
    await database.execute("INSERT INTO seats (id, free) VALUES (1, 5)")
    yield database
    await database.close()


async def test_other_tasks_never_see_a_transaction_half_done(db: Database) -> None:
    inside = asyncio.Event()
    go_on = asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as tx:
            await tx.execute("UPDATE seats SET free = 0 WHERE id = 1")
            assert await tx.fetchval("SELECT free FROM seats WHERE id = 1") == 0  # its own write
            inside.set()
            await go_on.wait()
            raise RuntimeError("rolled back")

    task = asyncio.create_task(writer())
    await inside.wait()
    assert await db.fetchval("SELECT free FROM seats WHERE id = 1") == 5  # not the uncommitted 0
    go_on.set()
    with pytest.raises(RuntimeError):
        await task
    assert await db.fetchval("SELECT free FROM seats WHERE id = 1") == 5


async def test_a_write_outside_a_transaction_waits_for_it(db: Database) -> None:
    inside = asyncio.Event()
    go_on = asyncio.Event()

    async def transaction() -> None:
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO taken (who) VALUES (1)")
            inside.set()
            await go_on.wait()

    task = asyncio.create_task(transaction())
    await inside.wait()
    single = asyncio.create_task(db.execute("INSERT INTO taken (who) VALUES (2)"))
    await asyncio.sleep(0.05)
    assert not single.done()  # it waits for the lock instead of joining the open transaction
    go_on.set()
    await asyncio.gather(task, single)
    assert [r[0] for r in await db.fetchall("SELECT who FROM taken ORDER BY rowid")] == [1, 2]


async def test_many_tasks_deciding_on_the_last_seats_take_each_once(db: Database) -> None:
    async def take(who: int) -> bool:
        async with db.transaction() as tx:
            free = await tx.fetchval("SELECT free FROM seats WHERE id = 1")
            await asyncio.sleep(0.001)  # other tasks run meanwhile
            if free <= 0:
                return False
            await tx.execute("UPDATE seats SET free = free - 1 WHERE id = 1")
            await tx.execute("INSERT INTO taken (who) VALUES (?)", (who,))
            return True

    results = await asyncio.gather(*(take(i) for i in range(40)))
    assert sum(results) == 5
    assert await db.fetchval("SELECT COUNT(*) FROM taken") == 5
    assert await db.fetchval("SELECT free FROM seats WHERE id = 1") == 0


async def test_a_transaction_opened_inside_one_is_part_of_it(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as outer:
            await outer.execute("INSERT INTO taken (who) VALUES (7)")
            async with db.transaction() as inner:
                await inner.execute("INSERT INTO taken (who) VALUES (8)")
            raise RuntimeError("both go")
    assert await db.fetchval("SELECT COUNT(*) FROM taken") == 0

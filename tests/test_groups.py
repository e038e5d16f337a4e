"""Groups: added, linked by a coordinator, refused for others, removed, migrated."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import RunningBot
from tests.story import approve, join
from tests.texts import fragment, said


async def test_group_lifecycle(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    group = fake.group(-5001, "Kreistagsfraktion Rostock")
    await group.add_bot(by=admin)
    hello = await group.wait_for(lambda m: "/verbinden" in m.text)
    assert hello.text == said("groups-hello")
    stored = await bot.services.groups.get(-5001)
    assert stored is not None and stored.active and stored.link_kind is None

    stranger = fake.user(1401, "Rudi")
    await stranger.send_in(group, "/verbinden")
    refusal = await group.wait_for(lambda m: said("groups-not-member") in m.text)
    assert refusal.chat_id == -5001

    await admin.send("/hilfe")
    sara = fake.user(1402, "Sara")
    await join(sara)
    await approve(admin, "Sara")
    await sara.send_in(group, "/verbinden")
    await group.wait_for(lambda m: said("groups-link-coordinators-only") in m.text)

    await admin.send_in(group, "/verbinden")
    choice = await group.wait_for(lambda m: said("groups-link-choose") in m.text)
    # A member pressing the coordinator's button is refused and nothing is linked.
    query = await sara.press(choice, said("groups-link-faction-kreis"))
    assert (await sara.callback_answer(query))["text"] == said("groups-link-coordinators-only")
    await admin.press(choice, said("groups-link-faction-kreis"))
    bodies = await group.wait_for(lambda m: said("groups-link-choose-body") in m.text)
    await admin.press(bodies, "Kreistag Rostock")
    await group.wait_for(lambda m: fragment("groups-linked") in m.text and "Kreistag Rostock" in m.text)
    linked = await bot.services.groups.get(-5001)
    assert linked is not None and linked.link_kind == "faction" and linked.faction_id is not None

    new = await group.migrate(-1005001)
    await _until(lambda: bot.services.groups.get(-1005001))
    moved = await bot.services.groups.get(-1005001)
    assert moved is not None and moved.kind == "supergroup" and moved.link_kind == "faction"
    assert await bot.services.groups.get(-5001) is None

    await new.remove_bot(by=admin)
    await _until_inactive(bot, -1005001)


async def test_plain_group_messages_get_no_answer(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = fake.group(-5002, "Stadtfraktion Test")
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: "/verbinden" in m.text)
    tim = fake.user(1403, "Tim")
    await tim.send_in(group, "Guten Morgen zusammen!")
    await group.no_message(within=0.3)


async def _until(probe: Callable[[], Awaitable[object]], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if await probe():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


async def _until_inactive(bot: RunningBot, chat_id: int) -> None:
    async def inactive() -> bool:
        group = await bot.services.groups.get(chat_id)
        return group is not None and not group.active

    await _until(inactive)


async def test_unlinked_group_migrates(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    group = fake.group(-5003, "Ortsfraktion Test")
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: "/verbinden" in m.text)
    await group.migrate(-1005003)
    await _until(lambda: bot.services.groups.get(-1005003))
    await asyncio.sleep(0.2)  # both service messages handled
    moved = await bot.services.groups.get(-1005003)
    assert moved is not None and moved.active and moved.title == "Ortsfraktion Test"


async def test_private_commands_in_a_group_get_a_hint(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = fake.group(-5004, "Kreisgruppe Test")
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: "/verbinden" in m.text)
    await admin.send_in(group, "/profil")
    await group.wait_for(lambda m: said("common-private-only") in m.text)

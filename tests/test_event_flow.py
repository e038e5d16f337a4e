"""Events end to end through the fake Telegram: the announcement with its buttons in private chats
and a linked group, answers with live counts, capacity and the waitlist, the last seat pressed twice
at once, and every refused press leaving the data as it was."""

from __future__ import annotations

import asyncio
from itertools import pairwise

import pytest

from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.events.models import RsvpCounts
from tests.event_story import (
    MAYBE,
    NO,
    YES,
    answer,
    answer_of,
    card,
    counted,
    counts,
    district,
    latest,
    publish,
    refused,
    saved,
    yours,
)
from tests.event_world import berlin
from tests.harness import RunningBot, fast_forward
from tests.test_broadcast import GREIFSWALD, ROSTOCK, coordinator, link_group, member
from tests.texts import fragment, said

pytestmark = pytest.mark.usefixtures("running_clock")


async def test_announcement_to_a_segment_and_a_group_with_live_counts(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    fake.call_clock = bot.clock.monotonic  # calls stamped in the seconds the live cards count
    await coordinator(admin)
    anke = await member(fake, admin, 2301, "Anke")
    bernd = await member(fake, admin, 2302, "Bernd")
    erik = await member(fake, admin, 2303, "Erik", GREIFSWALD)
    group = await link_group(fake, admin, -6301, "LAG Kommunalpolitik MV")
    event_id = await publish(bot, admin, audience=await district(bot, ROSTOCK))

    mine = await card(anke)
    assert mine.button_texts() == [YES, NO, MAYBE]
    assert "Donnerstag, 3. Dezember 2026, 18:00–20:00 Uhr" in mine.text and counted(0, 0, 0) in mine.text
    on_group = await card(group)
    assert on_group.button_texts() == [YES, NO, MAYBE]
    assert [m for m in erik.messages if "LAG-Sitzung" in m.text] == []  # not in the segment

    toast, mine = await answer(anke, mine, YES)
    assert toast == saved("yes")
    assert counted(1, 0, 0) in mine.text and yours("yes") in mine.text
    toast, theirs = await answer(bernd, await card(bernd), MAYBE)
    assert counted(1, 1, 0) in theirs.text and yours("maybe") in theirs.text
    # Anke's private copy is not touched by Bernd's answer: it refreshes when she presses.
    assert counted(1, 0, 0) in latest(anke, mine).text

    # The group's copy is edited to the new counts and shows nobody's own answer (the clock skips
    # the live cards' 5 s between two edits).
    async with fast_forward(bot.clock):
        on_group = await group.wait_for(lambda m: counted(1, 1, 0) in m.text, timeout=5)
    assert fragment("event-card-mine") not in on_group.text and on_group.button_texts() == [YES, NO, MAYBE]
    # Anyone who is a member may answer in the group (Erik too): the toast tells only him.
    query = await erik.press(on_group, NO)
    assert (await erik.callback_answer(query))["text"] == saved("no")
    async with fast_forward(bot.clock):
        on_group = await group.wait_for(lambda m: counted(1, 1, 1) in m.text, timeout=8)
    assert fragment("event-card-mine") not in on_group.text
    # Someone who never joined is told to /start, and nothing is counted.
    stranger = fake.user(2399, "Fremd")
    assert said("common-not-registered") in await refused(stranger, on_group, YES)
    assert await counts(bot, event_id) == RsvpCounts(yes=1, maybe=1, no=1)

    # At most one edit of the group message every ~5 s, however many answers come in between.
    for user, label in ((anke, MAYBE), (bernd, YES), (anke, YES)):
        query = await user.press(on_group, label)
        await user.callback_answer(query)
    async with fast_forward(bot.clock):
        await group.wait_for(lambda m: counted(2, 0, 1) in m.text, timeout=8)
    edits = [
        c.at
        for c in fake.calls_of("editMessageText")
        if c.ok
        and int(c.params["chat_id"]) == group.id
        and int(c.params["message_id"]) == on_group.message_id
    ]
    assert len(edits) >= 3 and all(later - earlier >= 4.5 for earlier, later in pairwise(edits))


async def test_capacity_waitlist_and_moving_up(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await coordinator(admin)
    people = [
        await member(fake, admin, 2311 + n, name) for n, name in enumerate(("Anke", "Bernd", "Carla", "Dirk"))
    ]
    anke, bernd, carla, dirk = people
    event_id = await publish(bot, admin, capacity=2, audience=await district(bot, ROSTOCK, groups="none"))
    _, ankes = await answer(anke, await card(anke), YES)
    toast, bernds = await answer(bernd, await card(bernd), YES)
    assert said("event-card-full", count=2) in bernds.text  # 0 seats left
    toast, carlas = await answer(carla, await card(carla), YES)
    assert toast == said("event-ui-waitlist", position=1)
    assert yours("waitlist", 1) in carlas.text and said("event-card-counts-waiting", waiting=1) in carlas.text
    toast, dirks = await answer(dirk, await card(dirk), YES)
    assert toast == said("event-ui-waitlist", position=2) and yours("waitlist", 2) in dirks.text
    # Pressing yes again keeps the place.
    query = await dirk.press(dirks, YES)
    kept = said("event-ui-unchanged", answer=said("event-answer-waitlist-at", position=2))
    assert (await dirk.callback_answer(query))["text"] == kept

    toast, ankes = await answer(anke, ankes, NO)
    assert toast == saved("no") and yours("no") in ankes.text
    when = "Donnerstag, 3. Dezember 2026, 18:00–20:00 Uhr"
    promoted = said("event-notice-promoted", title="LAG-Sitzung Dezember", when=when)
    await carla.wait_for(lambda m: promoted in m.text)
    assert await answer_of(bot, carla, event_id) == ("yes", None)
    assert await answer_of(bot, dirk, event_id) == ("waitlist", 1)
    assert await counts(bot, event_id) == RsvpCounts(yes=2, no=1, waitlist=1)
    await dirk.no_message(0.3)  # still waiting: nothing to tell him


async def test_two_members_press_for_the_last_seat_at_the_same_moment(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2321, "Anke")
    bernd = await member(fake, admin, 2322, "Bernd")
    event_id = await publish(bot, admin, capacity=1, audience=await district(bot, ROSTOCK, groups="none"))
    ankes, bernds = await card(anke), await card(bernd)
    # Both callback updates are in the queue before the bot polls again: one batch, no order given.
    queries = await asyncio.gather(anke.press(ankes, YES), bernd.press(bernds, YES))
    toasts = sorted(
        [(await anke.callback_answer(queries[0]))["text"], (await bernd.callback_answer(queries[1]))["text"]]
    )
    assert toasts == sorted([said("event-ui-waitlist", position=1), saved("yes")])
    assert await counts(bot, event_id) == RsvpCounts(yes=1, waitlist=1)
    answers = sorted([(await answer_of(bot, anke, event_id))[0], (await answer_of(bot, bernd, event_id))[0]])
    assert answers == ["waitlist", "yes"]


async def test_after_the_deadline_the_buttons_refuse_and_nothing_changes(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2331, "Anke")
    bernd = await member(fake, admin, 2332, "Bernd")
    event_id = await publish(bot, admin, deadline=berlin(2026, 11, 30, 23, 59))
    ankes, bernds = await card(anke), await card(bernd)
    assert said("event-card-deadline", deadline="Montag, 30. November 2026, 23:59 Uhr") in ankes.text
    _, ankes = await answer(anke, ankes, YES)
    bot.clock.now = berlin(2026, 12, 1, 0, 0)
    assert said("event-closed") in await refused(anke, ankes, NO)
    assert said("event-closed") in await refused(bernd, bernds, YES)
    assert await counts(bot, event_id) == RsvpCounts(yes=1)
    assert latest(bernd, bernds).edits == 0
    # /termine shows it closed, without answer buttons.
    await bernd.send("/termine")
    listing = await bernd.wait_for(lambda m: said("event-list-head") in m.text)
    assert said("event-list-closed") in listing.text and "✅ 1" not in listing.button_texts()


async def test_forged_answers_are_refused_and_change_nothing(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2341, "Anke")
    ours = await publish(bot, admin)
    others = await publish(
        bot, admin, title="Kreistagsfraktion Greifswald", audience=await district(bot, GREIFSWALD[0], "none")
    )
    gone = await publish(bot, admin, title="Fällt aus")
    actor = await bot.services.authorizer.actor(admin.id)
    await bot.services.events.admin.cancel(actor, gone)
    mine = await card(anke)
    assert said("event-not-invited") in await refused(anke, mine, f"v1:ev:a:{others}:y", forged=True)
    assert said("event-unknown") in await refused(anke, mine, "v1:ev:a:999999:y", forged=True)
    assert said("event-cancelled") in await refused(anke, mine, f"v1:ev:a:{gone}:y", forged=True)
    assert said("event-bad-answer") in await refused(anke, mine, f"v1:ev:a:{ours}:w", forged=True)
    assert said("common-stale") in await refused(anke, mine, f"v1:ev:a:{ours}", forged=True)
    assert said("common-stale") in await refused(anke, mine, "v1:ev:a:1e3:y", forged=True)
    assert said("event-cancelled") in await refused(anke, mine, f"v1:ev:z:{gone}", forged=True)
    assert await bot.services.db.fetchval("SELECT count(*) FROM rsvps") == 0
    assert latest(anke, mine).edits == 0

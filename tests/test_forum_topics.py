"""Forum groups: a group linked with /verbinden inside a topic gets its reminders and broadcasts in
that topic; one linked in the General topic gets them without a thread id; a deleted topic."""

from __future__ import annotations

import pytest

from lag_bot.emulator import FakeTelegram, SimGroup, SimMessage, SimUser
from tests.harness import RunningBot
from tests.test_broadcast import (
    compose,
    coordinator,
    final_report,
    link_group,
    press,
    preview,
    send_now,
)
from tests.texts import fragment, line, said

REMINDER = said("reminder-message", body="Fraktionssitzung")


async def forum(fake: FakeTelegram, admin: SimUser, chat_id: int, *, in_topic: bool) -> tuple[SimGroup, int]:
    """A forum with a topic "Fraktion", linked to the whole LAG from inside that topic or from the
    General topic; returns the group and the topic's thread id."""
    group = fake.group(chat_id, "Kreistagsfraktion Rostock (Forum)", forum=True)
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: said("groups-hello") in m.text)
    topic = await group.create_topic("Fraktion", by=admin)
    where = topic if in_topic else None
    await admin.send_in(group, "/verbinden", topic=where)
    choice = await group.wait_for(lambda m: fragment("groups-link-choose") in m.text)
    assert choice.message_thread_id == where  # the bot answers where it was asked
    await admin.press(choice, said("groups-link-lag"))
    linked = await group.wait_for(lambda m: fragment("groups-linked") in m.text)
    assert linked.message_thread_id == where
    return group, topic


async def set_group_reminder(admin: SimUser, group: SimGroup, topic: int | None) -> None:
    """The coordinator sets a one-off group reminder from `topic` (None: General) and confirms it
    (where the bot's replies land is test_replies_in_a_topic_stay_in_the_topic's business)."""
    await admin.send_in(group, "/erinnerung morgen 18:00 Fraktionssitzung", topic=topic)
    confirm = await group.wait_for(lambda m: fragment("reminder-confirm") in m.text)
    await admin.press(confirm, said("reminder-btn-yes"))
    await group.wait_for(lambda m: fragment("reminder-created-group") in m.text)


async def fire_next_reminder(bot: RunningBot) -> None:
    """Move the clock to the next due reminder, as the reminder tests do."""
    due = await bot.services.reminders.next_due()
    assert due is not None
    bot.clock.now = max(bot.clock.now, due)


async def broadcast_to_all_groups(admin: SimUser, text: str) -> SimMessage:
    """The coordinator sends `text` to every member and every linked group; returns the final report."""
    screen = await press(admin, await compose(admin, text), said("broadcast-btn-groups-all"))
    return await final_report(admin, await send_now(admin, await preview(admin, screen)))


def copies(group: SimGroup, mark: str) -> list[tuple[str, int | None]]:
    """(text, thread id) of the bot's messages in the group that contain `mark`."""
    return [(m.text, m.message_thread_id) for m in group.messages if mark in m.text]


def sends_to(fake: FakeTelegram, chat_id: int, mark: str) -> list[tuple[object, bool, str | None]]:
    """(message_thread_id as sent, ok, error) of every sendMessage to the chat with `mark`."""
    return [
        (c.params.get("message_thread_id"), c.ok, c.description)
        for c in fake.calls_of("sendMessage")
        if str(c.params.get("chat_id")) == str(chat_id) and mark in str(c.params.get("text"))
    ]


async def test_group_reminder_fires_in_the_topic_the_group_was_linked_in(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group, topic = await forum(fake, admin, -1007001, in_topic=True)
    stored = await bot.services.groups.get(group.id)
    assert stored is not None and stored.is_forum and stored.thread_id == topic

    await set_group_reminder(admin, group, topic)
    await fire_next_reminder(bot)
    fired = await group.wait_for(lambda m: m.text == REMINDER)
    assert (fired.chat_id, fired.message_thread_id) == (group.id, topic)
    assert sends_to(fake, group.id, REMINDER) == [(str(topic), True, None)]


async def test_replies_in_a_topic_stay_in_the_topic(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group, topic = await forum(fake, admin, -1007007, in_topic=True)
    stranger = fake.user(1701, "Rudi")
    await stranger.send_in(group, "/erinnerung morgen 18:00 Kaffee", topic=topic)
    await group.wait_for(lambda m: fragment("groups-not-member") in m.text)
    await admin.send_in(group, "/erinnerung morgen 18:00 Fraktionssitzung", topic=topic)
    await group.wait_for(lambda m: fragment("reminder-confirm") in m.text)
    await admin.send_in(group, "/erinnerungen", topic=topic)
    await group.wait_for(lambda m: fragment("reminder-list-empty-group") in m.text)  # not confirmed
    # Only the greeting on joining belongs in General; the bot answers in the topic it was asked in.
    assert [(m.text[:40], m.message_thread_id) for m in group.messages[1:]] == [
        (m.text[:40], topic) for m in group.messages[1:]
    ]


@pytest.mark.usefixtures("running_clock")
async def test_broadcast_reaches_the_forum_topic_and_a_plain_group_without_thread(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    group, topic = await forum(fake, admin, -1007002, in_topic=True)
    plain = await link_group(fake, admin, -7003, "Ortsgruppe Wismar")

    mark = "Einladung zum Landesparteitag"
    report = await broadcast_to_all_groups(admin, f"{mark} am 5. Dezember.")
    assert line("broadcast-report", sent=3, total=3) in report.text  # the coordinator and both groups
    assert copies(group, mark) == [(f"{mark} am 5. Dezember.", topic)]
    assert copies(plain, mark) == [(f"{mark} am 5. Dezember.", None)]
    assert sends_to(fake, plain.id, mark) == [(None, True, None)]  # no thread id sent at all
    # The outbox keeps Telegram's message id of each delivered message (to edit it later).
    stored = await bot.services.db.fetchall(
        "SELECT chat_id, message_id FROM deliveries WHERE chat_id IN (?, ?)", (group.id, plain.id)
    )
    delivered = {m.chat_id: m.message_id for m in [*group.messages, *plain.messages] if mark in m.text}
    assert {r["chat_id"]: r["message_id"] for r in stored} == delivered


@pytest.mark.usefixtures("running_clock")
async def test_forum_linked_in_general_gets_both_without_thread(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    group, topic = await forum(fake, admin, -1007004, in_topic=False)
    stored = await bot.services.groups.get(group.id)
    assert stored is not None and stored.is_forum and stored.thread_id is None

    # Set from inside a topic: the group still gets it where it was linked, the General topic.
    await set_group_reminder(admin, group, topic)
    await fire_next_reminder(bot)
    fired = await group.wait_for(lambda m: m.text == REMINDER)
    assert fired.message_thread_id is None

    mark = "Haushaltsklausur"
    report = await broadcast_to_all_groups(admin, f"{mark} am Samstag.")
    assert line("broadcast-report", sent=2, total=2) in report.text
    assert copies(group, mark) == [(f"{mark} am Samstag.", None)]
    assert sends_to(fake, group.id, REMINDER) == [(None, True, None)]
    assert sends_to(fake, group.id, mark) == [(None, True, None)]


@pytest.mark.usefixtures("running_clock")
async def test_broadcast_to_a_deleted_topic_goes_to_general_and_the_link_forgets_the_topic(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    group, topic = await forum(fake, admin, -1007005, in_topic=True)
    group.delete_topic(topic)  # Telegram tells the bot nothing about it

    mark = "Wahlkampfauftakt"
    report = await broadcast_to_all_groups(admin, f"{mark} in Schwerin.")
    assert line("broadcast-report", sent=2, total=2) in report.text
    assert line("broadcast-report", failed=0) in report.text
    assert copies(group, mark) == [(f"{mark} in Schwerin.", None)]  # in General
    assert sends_to(fake, group.id, mark) == [
        (str(topic), False, "Bad Request: message thread not found"),
        (None, True, None),
    ]
    stored = await bot.services.groups.get(group.id)
    assert stored is not None and stored.active and stored.thread_id is None


async def test_reminder_to_a_deleted_topic_reaches_the_group_in_general(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group, topic = await forum(fake, admin, -1007006, in_topic=True)
    await set_group_reminder(admin, group, topic)
    group.delete_topic(topic)
    await fire_next_reminder(bot)
    fired = await group.wait_for(lambda m: m.text == REMINDER)
    assert fired.message_thread_id is None
    assert bot.services.sender is not None and await bot.services.sender.drained(5)
    assert sends_to(fake, group.id, REMINDER) == [
        (str(topic), False, "Bad Request: message thread not found"),
        (None, True, None),
    ]
    stored = await bot.services.groups.get(group.id)
    assert stored is not None and stored.thread_id is None  # later messages go to General at once
    assert await bot.services.reminders.next_due() is None  # the one-off fired once

"""Reminders end to end: typed in plain German, confirmed, listed, paused, fired in the right chat.

The bot's texts are looked up by key; the time descriptions ("Sonntag, 22. November 2026, 18:00 Uhr")
stay pinned on purpose: they show what the parser understood.
"""

from __future__ import annotations

from pathlib import Path

from lag_bot.callbacks import encode
from lag_bot.emulator import FakeTelegram, SimGroup, SimUser
from tests.harness import RunningBot, TestClock, running_bot
from tests.story import approve, expect, join
from tests.texts import fragment, opening, said


async def _member(fake: FakeTelegram, admin: SimUser, user_id: int, name: str) -> SimUser:
    """A member who joined and was approved."""
    await admin.send("/hilfe")  # the admin's chat is open, so the approval card can reach it
    person = fake.user(user_id, name)
    await join(person, name=name)
    await approve(admin, name)
    return person


async def _set(user: SimUser, command: str) -> None:
    """Send `/erinnerung …` and confirm what the bot understood."""
    await user.send(command)
    confirm = await expect(user, fragment("reminder-confirm"))
    await user.press(confirm, said("reminder-btn-yes"))
    await expect(user, fragment("reminder-created"))


def reminder_text(body: str, lang: str = "de") -> str:
    """A reminder as it fires: "⏰ <body>"."""
    return said("reminder-message", lang, body=body)


def _item(n: int, body: str, due: str) -> str:
    """One line of /erinnerungen (the times are the time parser's descriptions, pinned on purpose)."""
    return said("reminder-list-item", n=n, body=body, due=due)


async def _linked_group(fake: FakeTelegram, admin: SimUser, chat_id: int) -> SimGroup:
    group = fake.group(chat_id, "Kreistagsfraktion Rostock")
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: said("groups-hello") in m.text)
    await admin.send_in(group, "/verbinden")
    await admin.press(
        await group.wait_for(lambda m: fragment("groups-link-choose") in m.text), "Kreistagsfraktion"
    )
    body = await group.wait_for(lambda m: said("groups-link-choose-body") in m.text)
    await admin.press(body, "Kreistag Rostock")
    await group.wait_for(lambda m: fragment("groups-linked") in m.text)
    return group


async def test_personal_reminder_fires_in_the_members_chat(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    olga = await _member(fake, admin, 1601, "Olga")
    await olga.send("/erinnerung in 10 Minuten Kreistag vorbereiten")
    confirm = await expect(olga, fragment("reminder-confirm"))
    assert "„Kreistag vorbereiten“" in confirm.text and confirm.text.startswith(opening("reminder-confirm"))
    assert await bot.services.reminders.next_due() is None  # nothing stored before ✅
    query = await olga.press(confirm, said("reminder-btn-yes"))
    await expect(olga, fragment("reminder-created"))
    # A second press on the same proposal is stale: nothing is stored twice.
    again = await olga.press_data(confirm, encode("rm", "ok", olga.id))
    assert fragment("common-stale") in (await olga.callback_answer(again))["text"]
    assert (await olga.callback_answer(query))["text"] in (None, "")
    member = await bot.services.members.by_telegram_id(olga.id)
    assert member is not None and len(await bot.services.reminders.repo.of_member(member.id)) == 1

    bot.clock.advance(minutes=10)
    fired = await olga.wait_for(lambda m: m.text.startswith(reminder_text("Kreistag")), timeout=5)
    assert fired.text == reminder_text("Kreistag vorbereiten")


async def test_without_arguments_the_bot_asks_and_nochmal_asks_again(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    paul = await _member(fake, admin, 1602, "Paul")
    await paul.send("/erinnerung")
    await expect(paul, fragment("reminder-ask"))
    await paul.send("morgen 18:00 Fraktion anrufen")
    confirm = await expect(paul, fragment("reminder-confirm"))
    assert "Sonntag, 22. November 2026, 18:00 Uhr" in confirm.text
    await paul.press(confirm, said("reminder-btn-again"))
    await expect(paul, fragment("reminder-ask"))
    await paul.send("übermorgen 9 Uhr Fraktion anrufen")
    await paul.press(await expect(paul, "Montag, 23. November"), said("reminder-btn-yes"))
    await expect(paul, fragment("reminder-created"))


async def test_bad_input_changes_nothing(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    rita = await _member(fake, admin, 1603, "Rita")
    await rita.send("/erinnerung Kreistag vorbereiten")
    await expect(rita, fragment("time-unknown"))
    await rita.send("/erinnerung heute 8:00 Frühstück")  # it is 10:00 in Berlin
    await expect(rita, fragment("time-past"))
    await rita.send("/erinnerung morgen 18:00")
    await expect(rita, fragment("reminder-empty"))
    member = await bot.services.members.by_telegram_id(rita.id)
    assert member is not None
    assert await bot.services.reminders.repo.of_member(member.id) == []
    assert await bot.services.dialogs.get(rita.id) is None
    stranger = fake.user(1604, "Rudi")
    await stranger.send("/erinnerung morgen 18:00 Kreistag")
    await expect(stranger, said("common-not-registered"))


async def test_pause_resume_delete_from_the_list(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    uwe = await _member(fake, admin, 1605, "Uwe")
    await _set(uwe, "/erinnerung täglich 8:00 Zeitung lesen")
    await _set(uwe, "/erinnerung morgen 18:00 Kreistag")
    await uwe.send("/erinnerungen")
    listing = await expect(uwe, fragment("reminder-list-head"))
    assert _item(1, "Zeitung lesen", "Sonntag, 22. November 2026, 08:00 Uhr") in listing.text
    assert _item(2, "Kreistag", "Sonntag, 22. November 2026, 18:00 Uhr") in listing.text
    member = await bot.services.members.by_telegram_id(uwe.id)
    assert member is not None
    repo = bot.services.reminders.repo

    await uwe.press(listing, said("reminder-list-btn-pause", n=1))
    listing = await uwe.wait_edit(listing, timeout=5)
    assert _item(1, "Zeitung lesen", said("reminder-list-paused")) in listing.text
    assert [r.status for r in await repo.of_member(member.id)] == ["paused", "active"]

    bot.clock.advance(days=1)  # Sunday 10:00 in Berlin: the paused 08:00 has passed meanwhile
    await uwe.press(listing, said("reminder-list-btn-resume", n=1))
    listing = await uwe.wait_edit(listing, timeout=5)
    assert _item(1, "Kreistag", "Sonntag, 22. November 2026, 18:00 Uhr") in listing.text
    assert _item(2, "Zeitung lesen", "Montag, 23. November 2026, 08:00 Uhr") in listing.text

    await uwe.press(listing, said("reminder-list-btn-delete", n=1))
    listing = await uwe.wait_edit(listing, timeout=5)
    assert "Kreistag" not in listing.text
    assert [r.body for r in await repo.of_member(member.id)] == ["Zeitung lesen"]


async def test_a_past_one_off_is_not_resumed(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    vera = await _member(fake, admin, 1606, "Vera")
    await _set(vera, "/erinnerung morgen 18:00 Kreistag")
    await vera.send("/erinnerungen")
    listing = await expect(vera, fragment("reminder-list-head"))
    await vera.press(listing, said("reminder-list-btn-pause", n=1))
    listing = await vera.wait_edit(listing, timeout=5)
    bot.clock.advance(days=2)
    query = await vera.press(listing, said("reminder-list-btn-resume", n=1))
    assert (await vera.callback_answer(query))["text"] == said("reminder-resume-past")
    member = await bot.services.members.by_telegram_id(vera.id)
    assert member is not None
    assert [r.status for r in await bot.services.reminders.repo.of_member(member.id)] == ["paused"]


async def test_someone_elses_buttons_are_refused(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    olga = await _member(fake, admin, 1607, "Olga")
    tom = await _member(fake, admin, 1608, "Tom")
    await _set(olga, "/erinnerung morgen 18:00 Kreistag")
    member = await bot.services.members.by_telegram_id(olga.id)
    assert member is not None
    (reminder,) = await bot.services.reminders.repo.of_member(member.id)
    await tom.send("/erinnerungen")
    own = await expect(tom, fragment("reminder-list-empty"))
    for action in ("p", "d"):
        query = await tom.press_data(own, encode("rl", action, reminder.id))
        assert fragment("reminder-not-yours") in (await tom.callback_answer(query))["text"]
    await olga.send("/erinnerung übermorgen 9 Uhr Post")
    await expect(olga, fragment("reminder-confirm"))
    query = await tom.press_data(own, encode("rm", "ok", olga.id))
    assert fragment("reminder-not-yours") in (await tom.callback_answer(query))["text"]
    assert [r.status for r in await bot.services.reminders.repo.of_member(member.id)] == ["active"]


async def test_group_reminder_fires_in_the_group(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    sara = await _member(fake, admin, 1609, "Sara")
    group = await _linked_group(fake, admin, -5101)
    stranger = fake.user(1610, "Rudi")
    await stranger.send_in(group, "/erinnerung morgen 18:00 Kaffee")
    await group.wait_for(lambda m: fragment("groups-not-member") in m.text)
    await sara.send_in(group, "/erinnerung morgen 18:00 Kaffee")  # a member, not a group admin
    await group.wait_for(lambda m: fragment("reminder-group-not-allowed") in m.text)

    await admin.send_in(group, "/erinnerung jeden 2. Dienstag 18:00 Fraktionssitzung")
    confirm = await group.wait_for(lambda m: fragment("reminder-confirm") in m.text)
    assert "Fraktionssitzung" in confirm.text
    query = await sara.press(confirm, said("reminder-btn-yes"))  # only the creator's press counts
    assert fragment("reminder-not-yours") in (await sara.callback_answer(query))["text"]
    await admin.press(confirm, said("reminder-btn-yes"))
    await group.wait_for(lambda m: fragment("reminder-created-group") in m.text)

    await sara.send_in(group, "/erinnerungen")
    listing = await group.wait_for(lambda m: fragment("reminder-list-head-group") in m.text)
    assert "Dienstag, 8. Dezember 2026, 18:00 Uhr" in listing.text
    due = await bot.services.reminders.next_due()
    assert due is not None
    bot.clock.now = due
    fired = await group.wait_for(lambda m: m.text == reminder_text("Fraktionssitzung"))
    assert fired.chat_id == -5101


async def test_a_group_admin_who_is_a_member_may_set_one(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    sara = await _member(fake, admin, 1611, "Sara")
    group = await _linked_group(fake, admin, -5102)
    group.set_admin(sara)
    await sara.send_in(group, "/erinnerung täglich 8:00 Presseschau")
    proposal = await group.wait_for(lambda m: fragment("reminder-confirm") in m.text)
    await sara.press(proposal, said("reminder-btn-yes"))
    await group.wait_for(lambda m: fragment("reminder-created-group") in m.text)
    stored = await bot.services.groups.get(-5102)
    assert stored is not None
    assert [r.body for r in await bot.services.reminders.repo.of_group(stored.id)] == ["Presseschau"]


async def test_due_while_down_arrives_once_marked_late(
    fake: FakeTelegram, tmp_path: Path, clock: TestClock, admin: SimUser
) -> None:
    async with running_bot(fake, tmp_path, clock):
        olga = await _member(fake, admin, 1612, "Olga")
        await _set(olga, "/erinnerung in 10 Minuten Kreistag vorbereiten")
    clock.advance(minutes=40)  # the bot was down; the reminder is 30 minutes overdue
    async with running_bot(fake, tmp_path, clock):
        late = await olga.wait_for(lambda m: fragment("reminder-message-late") in m.text, timeout=5)
        assert late.text.startswith(reminder_text("Kreistag vorbereiten"))
        await olga.no_message(within=2.0)
    assert sum(fragment("reminder-message-late") in m.text for m in olga.messages) == 1

"""Reminders beyond the basics, end to end: "Erledigt ✓" with repeats (personal, group, segment),
a coordinator's reminder to a segment of members, editing from the list, and all of it in English.
Texts by catalog key; the time descriptions stay pinned on purpose (what the parser understood).
"""

from __future__ import annotations

import pytest

from lag_bot.callbacks import encode
from lag_bot.emulator import FakeTelegram, SimGroup, SimMessage, SimUser
from tests.harness import RunningBot
from tests.story import expect
from tests.test_broadcast import ROSTOCK, coordinator, member, press
from tests.test_reminder_flow import _linked_group, _member, reminder_text
from tests.texts import fragment, line, opening, reached, said

DONE = said("reminder-btn-done")


def repeated(body: str) -> str:
    """The first line of a repeated firing: "🔁 <body>"."""
    return line("reminder-message-repeat", body=body)


# The sender spaces messages to one chat by the bot's clock: let it run.
pytestmark = pytest.mark.usefixtures("running_clock")


async def _confirm_with_ack(
    user: SimUser, confirm: SimMessage, interval: str, chat: SimUser | SimGroup | None = None
) -> SimMessage:
    """On the confirmation screen (in `chat`, else the user's own), ask for "Erledigt ✓" repeated
    every `interval`."""
    where = chat or user
    await user.press(confirm, said("reminder-btn-ack"))
    choose = await where.wait_edit(confirm)
    assert fragment("reminder-ack-choose") in choose.text
    await user.press(choose, interval)
    return await where.wait_edit(choose)


async def test_personal_reminder_repeats_until_done(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    olga = await _member(fake, admin, 1701, "Olga")
    await olga.send("/erinnerung in 10 Minuten Akten lesen")
    proposal = await expect(olga, fragment("reminder-confirm"))
    confirm = await _confirm_with_ack(olga, proposal, said("reminder-ack-btn-15"))
    assert _repeats("reminder-confirm-ack-member", 15) in confirm.text
    await olga.press(confirm, said("reminder-btn-yes"))
    await expect(olga, fragment("reminder-created"))

    bot.clock.advance(minutes=10)
    first = await olga.wait_for(lambda m: m.text == reminder_text("Akten lesen"), timeout=5)
    assert first.button_texts() == [DONE]
    bot.clock.advance(minutes=15)
    repeat = await olga.wait_for(lambda m: m.text.startswith(repeated("Akten lesen")), timeout=5)
    assert fragment("reminder-message-repeat") in repeat.text and repeat.button_texts() == [DONE]

    query = await olga.press(repeat, DONE)
    assert (await olga.callback_answer(query))["text"] == said("reminder-acked")
    edited = await olga.wait_edit(repeat, timeout=5)
    assert edited.text.endswith(said("reminder-acked-by-someone")) and edited.button_texts() == []
    query = await olga.press(first, DONE)  # the older copy still has its button
    assert (await olga.callback_answer(query))["text"] == said("reminder-acked-self-already")
    rid, _ = _ids(first)
    forged = await olga.press_data(first, encode("rk", "ok", rid, 999_999_999_999_999_999))  # year 31 million
    assert fragment("common-stale") in (await olga.callback_answer(forged))["text"]

    bot.clock.advance(minutes=45)
    await olga.no_message(within=1.5)
    assert sum(m.text.startswith(repeated("Akten lesen")) for m in olga.messages) == 1


async def test_group_reminder_is_done_when_one_member_confirms(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    sara = await _member(fake, admin, 1702, "Sara")
    tom = await _member(fake, admin, 1703, "Tom")
    group = await _linked_group(fake, admin, -5201)
    await admin.send_in(group, "/erinnerung morgen 18:00 Protokoll verschicken")
    confirm = await group.wait_for(lambda m: fragment("reminder-confirm") in m.text)
    query = await sara.press(confirm, said("reminder-btn-ack"))  # only the creator's press counts
    assert fragment("reminder-not-yours") in (await sara.callback_answer(query))["text"]
    confirm = await _confirm_with_ack(admin, confirm, said("reminder-ack-btn-60"), group)
    assert _repeats("reminder-confirm-ack", 60) in confirm.text
    await admin.press(confirm, said("reminder-btn-yes"))
    await group.wait_for(lambda m: fragment("reminder-created-group") in m.text)

    due = await bot.services.reminders.next_due()
    assert due is not None
    bot.clock.now = due
    fired = await group.wait_for(lambda m: m.text == reminder_text("Protokoll verschicken"), timeout=5)
    assert fired.button_texts() == [DONE]

    stranger = fake.user(1704, "Rudi")
    query = await stranger.press(fired, DONE)
    assert (await stranger.callback_answer(query))["text"] == said("common-not-registered")
    query = await sara.press(fired, DONE)
    assert (await sara.callback_answer(query))["text"] == said("reminder-acked")
    edited = await group.wait_edit(fired, timeout=5)
    assert edited.text.endswith(said("reminder-acked-by", name="Sara")) and edited.button_texts() == []
    query = await tom.press_data(edited, encode("rk", "ok", *_ids(fired)))
    assert (await tom.callback_answer(query))["text"] == said("reminder-acked-already", name="Sara")

    bot.clock.advance(hours=3)
    await group.no_message(within=1.5)
    assert not any(m.text.startswith(opening("reminder-message-repeat")) for m in group.messages)


def _repeats(key: str, minutes: int, lang: str = "de") -> str:
    """The confirmation screen's line about "Erledigt ✓" repeated every `minutes`."""
    return said(key, lang, every=said(f"reminder-ack-every-{minutes}", lang))


def _ids(message: SimMessage) -> tuple[int, int]:
    """The reminder id and firing of an "Erledigt ✓" button."""
    data = message.buttons[0][0].callback_data
    _, _, _, reminder_id, key = data.split(":")
    return int(reminder_id), int(key)


async def test_segment_reminder_reaches_only_the_segment_and_repeats_for_those_not_done(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    jana = await member(fake, admin, 1705, "Jana")
    lea = await member(fake, admin, 1706, "Lea")
    kai = await member(fake, admin, 1707, "Kai", place=("Landkreis Ludwigslust-Parchim", "Parchim"))
    jule = await member(fake, admin, 1708, "Jule")
    await admin.send("/erinnerung morgen 9:00 Haushaltsrede lesen")
    confirm = await expect(admin, fragment("reminder-confirm"))
    screen = await press(admin, confirm, said("reminder-btn-segment"))
    buttons = " ".join(screen.button_texts())
    assert fragment("reminder-segment-head") in screen.text
    assert all(said(f"broadcast-btn-{kind}-none") not in buttons for kind in ("members", "groups"))
    screen = await press(admin, screen, said("broadcast-btn-members-segment"))
    screen = await press(admin, screen, said("broadcast-dim-d"))
    screen = await press(admin, screen, ROSTOCK)
    screen = await press(admin, screen, said("broadcast-btn-back"))
    assert said("reminder-segment-head", members="", **reached(3)).split("\n")[-1] in screen.text
    confirm = await press(admin, screen, said("reminder-btn-segment-done"))
    assert opening("reminder-confirm-segment") in confirm.text and ROSTOCK in confirm.text
    confirm = await _confirm_with_ack(admin, confirm, said("reminder-ack-btn-30"))
    assert fragment("reminder-confirm-ack-segment") in confirm.text
    await admin.press(confirm, said("reminder-btn-yes"))
    await expect(admin, said("reminder-created-segment", count=3, when="").split(": ")[0])
    await admin.send("/erinnerungen")
    listing = await expect(admin, fragment("reminder-list-head"))
    assert said("reminder-list-item-segment", n=1, body="Haushaltsrede lesen", due="") in listing.text

    due = await bot.services.reminders.next_due()
    assert due is not None
    bot.clock.now = due
    got = {
        u.first_name: await u.wait_for(lambda m: m.text == reminder_text("Haushaltsrede lesen"), timeout=5)
        for u in (jana, lea, jule)
    }
    await kai.no_message(within=1.0)
    query = await jana.press(got["Jana"], DONE)
    assert (await jana.callback_answer(query))["text"] == said("reminder-acked")
    forged = encode("rk", "ok", *_ids(got["Jana"]))
    query = await kai.press_data(kai.messages[-1], forged)  # Kai is not in the segment
    assert fragment("reminder-not-yours") in (await kai.callback_answer(query))["text"]
    await lea.press(got["Lea"], DONE)
    await lea.wait_edit(got["Lea"], timeout=5)

    bot.clock.advance(minutes=30)
    await jule.wait_for(lambda m: m.text.startswith(repeated("Haushaltsrede lesen")), timeout=5)
    await jana.no_message(within=1.0)
    others = jana.messages + lea.messages + kai.messages
    assert not any(m.text.startswith(opening("reminder-message-repeat")) for m in others)


async def test_edit_from_the_list_moves_time_and_text(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    uwe = await _member(fake, admin, 1709, "Uwe")
    tom = await _member(fake, admin, 1710, "Tom")
    await uwe.send("/erinnerung morgen 18:00 Kreistag")
    await uwe.press(await expect(uwe, fragment("reminder-confirm")), said("reminder-btn-yes"))
    await expect(uwe, fragment("reminder-created"))
    member = await bot.services.members.by_telegram_id(uwe.id)
    assert member is not None
    (row,) = await bot.services.reminders.repo.of_member(member.id)

    await tom.send("/erinnerungen")
    own = await expect(tom, fragment("reminder-list-empty"))
    query = await tom.press_data(own, encode("rl", "e", row.id))
    assert fragment("reminder-not-yours") in (await tom.callback_answer(query))["text"]

    await uwe.send("/erinnerungen")
    await uwe.press(await expect(uwe, fragment("reminder-list-head")), said("reminder-list-btn-edit", n=1))
    ask = await expect(uwe, fragment("reminder-edit-ask"))
    before = said("reminder-edit-ask", due="Sonntag, 22. November 2026, 18:00 Uhr", body="Kreistag")
    assert ask.text == before
    await uwe.send("übermorgen 9 Uhr Kreistag Rostock")
    confirm = await expect(uwe, fragment("reminder-confirm"))
    new = said("reminder-confirm-edit", when="Montag, 23. November 2026, 09:00 Uhr", body="Kreistag Rostock")
    assert confirm.text == new
    await uwe.press(confirm, said("reminder-btn-yes"))
    await expect(uwe, fragment("reminder-updated"))
    (edited,) = await bot.services.reminders.repo.of_member(member.id)
    assert (edited.id, edited.body) == (row.id, "Kreistag Rostock")

    bot.clock.advance(days=1)  # past the old time: nothing
    await uwe.no_message(within=1.0)
    bot.clock.advance(hours=23)
    fired = await uwe.wait_for(lambda m: m.text.startswith(reminder_text("Kreistag")), timeout=5)
    assert fired.text == reminder_text("Kreistag Rostock")


async def test_in_english(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    ella = await _member(fake, admin, 1711, "Ella")
    await ella.send("/sprache")
    await ella.press(await expect(ella, fragment("language-choose")), said("language-en"))
    await expect(ella, said("language-set", "en"))
    await ella.send("/remind tomorrow 9am call the mayor")
    confirm = await expect(ella, fragment("reminder-confirm", "en"))
    assert "“call the mayor”" in confirm.text and "Sunday, 22 November 2026, 09:00" in confirm.text
    choose = await press(ella, confirm, said("reminder-btn-ack", "en"))
    assert said("reminder-ack-choose", "en") in choose.text
    confirm = await press(ella, choose, said("reminder-ack-btn-60", "en"))
    assert _repeats("reminder-confirm-ack-member", 60, "en") in confirm.text
    await ella.press(confirm, said("reminder-btn-yes", "en"))
    await expect(ella, fragment("reminder-created", "en"))
    await ella.send("/reminders")
    assert "1. call the mayor" in (await expect(ella, said("reminder-list-head", "en"))).text

    due = await bot.services.reminders.next_due()
    assert due is not None
    bot.clock.now = due
    fired = await ella.wait_for(lambda m: m.text == reminder_text("call the mayor", "en"), timeout=5)
    assert fired.button_texts() == [said("reminder-btn-done", "en")]
    await ella.press(fired, said("reminder-btn-done", "en"))
    assert (await ella.wait_edit(fired, timeout=5)).text.endswith(said("reminder-acked-by-someone", "en"))


async def test_a_group_reminder_is_edited_with_the_next_command(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = await _linked_group(fake, admin, -5202)
    await admin.send_in(group, "/erinnerung täglich 8:00 Presseschau")
    proposal = await group.wait_for(lambda m: fragment("reminder-confirm") in m.text)
    await admin.press(proposal, said("reminder-btn-yes"))
    await group.wait_for(lambda m: fragment("reminder-created-group") in m.text)
    await admin.send_in(group, "/erinnerungen")
    listing = await group.wait_for(lambda m: fragment("reminder-list-head-group") in m.text)
    await admin.press(listing, said("reminder-list-btn-edit", n=1))
    await group.wait_for(lambda m: fragment("reminder-edit-ask-group") in m.text)
    await admin.send_in(group, "/erinnerung werktags 7:30 Presseschau und Termine")
    confirm = await group.wait_for(lambda m: fragment("reminder-confirm") in m.text)
    assert confirm.text.startswith(opening("reminder-confirm-edit"))
    await admin.press(confirm, said("reminder-btn-yes"))
    await group.wait_for(lambda m: m.text.startswith(fragment("reminder-updated")))
    stored = await bot.services.groups.get(-5202)
    assert stored is not None
    (row,) = await bot.services.reminders.repo.of_group(stored.id)
    assert (
        row.body == "Presseschau und Termine"
        and row.rrule is not None
        and "BYDAY=MO,TU,WE,TH,FR" in row.rrule
    )

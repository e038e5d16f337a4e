"""Broadcasts: a coordinator writes, chooses the audience, previews and sends; the outbox delivers
each copy once within Telegram's limits; the progress message turns into the report."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers.broadcasts.audience import parse_when
from lag_bot.audience import AudienceSpec
from lag_bot.delivery.ratelimit import SendLimits
from lag_bot.emulator import FakeTelegram, SimGroup, SimMessage, SimUser
from lag_bot.emulator.payloads import message_json, now
from lag_bot.errors import InvalidInput
from tests.harness import RunningBot, TestClock, running_bot
from tests.story import TIMEOUT, approve, expect, join
from tests.texts import fragment, line, opening, reached, said

ROSTOCK = "Landkreis Rostock"
GREIFSWALD = ("Landkreis Vorpommern-Greifswald", "Pasewalk")
BERLIN = ZoneInfo("Europe/Berlin")
NEW = said("broadcast-new")
AUDIENCE = fragment("broadcast-audience")  # the audience screen
PROGRESS = (fragment("broadcast-progress"), fragment("broadcast-progress-scheduled"))
BOLD_FIRST_WORD = {"type": "bold", "offset": 0, "length": 5}


pytestmark = pytest.mark.usefixtures("running_clock")


async def until(probe: Callable[[], Awaitable[object]], seconds: float = 5.0) -> None:
    """Wait until `probe()` is truthy."""
    for _ in range(int(seconds / 0.02)):
        if await probe():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


def copies(chat: SimUser | SimGroup, mark: str) -> list[SimMessage]:
    """The bot's messages in a chat that contain `mark`."""
    return [m for m in chat.messages if mark in m.text]


async def coordinator(admin: SimUser) -> None:
    """The admin from ADMIN_IDS fills in a profile (active at once) so they can type into dialogs."""
    await join(
        admin,
        name="Ada Admin",
        district="Landkreis Nordwestmecklenburg",
        municipality="Gadebusch",
        mandate=None,
        topics=(),
    )


async def member(
    fake: FakeTelegram,
    admin: SimUser,
    user_id: int,
    name: str,
    place: tuple[str, str | None] = (ROSTOCK, "Teterow"),
) -> SimUser:
    """A member who joined and was approved."""
    user = fake.user(user_id, name)
    await join(user, name=name, district=place[0], municipality=place[1], mandate=None, topics=())
    await approve(admin, name)
    await expect(user, said("approval-you-approved"))
    return user


def typed(fake: FakeTelegram, user: SimUser, text: str, **fields: Any) -> None:
    """A private message with what SimUser.send cannot add (formatting entities, a photo)."""
    message = SimMessage(
        message_id=user.new_message_id(),
        chat_id=user.id,
        text=text,
        from_bot=False,
        date=now(),
        from_user_id=user.id,
        **fields,
    )
    user.record_user_message(message)
    fake.updates.put("message", message_json(fake, message))


async def press(user: SimUser, message: SimMessage, label: str) -> SimMessage:
    """Press a button of a screen that is edited in place; return the new state."""
    await user.press(message, label)
    return await user.wait_edit(message)


async def start_new(admin: SimUser) -> SimMessage:
    """Open /rundschreiben and press "✍️ Neues Rundschreiben"; return the list."""
    await admin.send("/rundschreiben")
    listing = await admin.wait_for(lambda m: NEW in m.button_texts())
    await admin.press(listing, NEW)
    await expect(admin, fragment("broadcast-ask-text"))
    return listing


async def compose(admin: SimUser, text: str) -> SimMessage:
    """Start a new broadcast and type its text; return the audience screen."""
    await start_new(admin)
    await admin.send(text)
    return await expect(admin, AUDIENCE)


async def only_district(admin: SimUser, screen: SimMessage, district: str) -> SimMessage:
    """Narrow the members to one district in the segment editor; return the audience screen."""
    screen = await press(admin, screen, said("broadcast-btn-members-segment"))
    screen = await press(admin, screen, said("broadcast-dim-d"))
    screen = await press(admin, screen, district)
    assert f"✅ {district}" in screen.button_texts()
    return await press(admin, screen, said("broadcast-btn-back"))


async def preview(admin: SimUser, screen: SimMessage) -> SimMessage:
    """Press Vorschau; return the confirmation under the preview."""
    await admin.press(screen, said("broadcast-btn-preview"))
    return await expect(admin, line("broadcast-confirm"))


async def send_now(admin: SimUser, confirm: SimMessage) -> SimMessage:
    """Press Senden; return the progress message."""
    await admin.press(confirm, said("broadcast-btn-send"))
    return await admin.wait_for(lambda m: m.text.startswith(PROGRESS), timeout=TIMEOUT)


async def final_report(admin: SimUser, progress: SimMessage, seconds: float = 12.0) -> SimMessage:
    """Wait until the progress message has become the final report."""
    return await admin.wait_for(
        lambda m: (
            m.message_id == progress.message_id
            and fragment("broadcast-report") in m.text
            and fragment("broadcast-report-pending") not in m.text
        ),
        timeout=seconds,
    )


async def link_group(
    fake: FakeTelegram, admin: SimUser, chat_id: int, title: str, district: str | None = None
) -> SimGroup:
    """Add the bot to a group and link it to the whole LAG, or to a district."""
    group = fake.group(chat_id, title)
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: said("groups-hello") in m.text)
    await admin.send_in(group, "/verbinden")
    choice = await group.wait_for(lambda m: fragment("groups-link-choose") in m.text)
    if district is None:
        await admin.press(choice, said("groups-link-lag"))
    else:
        await admin.press(choice, said("groups-link-district"))
        districts = await group.wait_for(lambda m: said("groups-link-choose-district") in m.text)
        await admin.press(districts, district)
    await group.wait_for(lambda m: fragment("groups-linked") in m.text)
    return group


async def test_segment_and_groups_under_rate_limits_and_errors(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    rostock = [
        await member(fake, admin, 2001 + i, name) for i, name in enumerate(("Anke", "Bernd", "Carla", "Dirk"))
    ]
    others = [
        await member(fake, admin, 2011 + i, name, GREIFSWALD) for i, name in enumerate(("Erik", "Frida"))
    ]
    blocked = rostock[3]
    blocked.block()
    lag = await link_group(fake, admin, -6001, "LAG Kommunalpolitik MV")
    district = await link_group(fake, admin, -6002, "Kreisgruppe Rostock", ROSTOCK)
    await district.migrate(-1006002)
    await until(lambda: bot.services.groups.get(-1006002))

    mark = "Einladung zur Klausur der Kreistagsfraktionen"
    screen = await compose(admin, f"<b>{mark}</b>\n\nam 5. Dezember in Güstrow.")
    screen = await only_district(admin, screen, ROSTOCK)
    screen = await press(admin, screen, said("broadcast-btn-groups-all"))
    assert line("broadcast-audience", **reached(4, 2)) in screen.text
    confirm = await preview(admin, screen)
    assert line("broadcast-confirm", **reached(4, 2)) in confirm.text
    assert (
        len(copies(admin, mark)) == 1
        and copies(admin, mark)[0].html == f"<b>{mark}</b>\n\nam 5. Dezember in Güstrow."
    )

    bot.services.limiter.limits = SendLimits()  # Telegram's limits, which the fake keeps from here
    fake.rate_limits = True
    fake.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=rostock[0].id
    )
    fake.fail_next("sendMessage", 502, "Bad Gateway", count=2, chat_id=rostock[1].id)
    progress = await send_now(admin, confirm)
    report = await final_report(admin, progress)
    assert line("broadcast-report", sent=5, total=6) in report.text
    assert line("broadcast-report", unreachable=1) in report.text
    assert line("broadcast-report", failed=0) in report.text
    for user in rostock[:3]:
        assert len(copies(user, mark)) == 1, user.first_name
    assert copies(blocked, mark) == [] and all(copies(u, mark) == [] for u in others)
    assert len(copies(lag, mark)) == 1
    assert [m.chat_id for m in copies(district, mark)] == [-1006002]
    await admin.press(report, said("broadcast-csv"))
    document = (await admin.wait_for(lambda m: m.document is not None)).document
    assert document is not None
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Empfänger:in", "Art", "Status"]  # headers in the coordinator's language
    assert sorted(r[2] for r in rows[1:]) == ["nicht erreichbar"] + ["zugestellt"] * 5
    assert {r[1] for r in rows[1:]} == {said("broadcast-csv-kind-member"), said("broadcast-csv-kind-group")}
    sent_at = [r[3] for r in rows[1:] if r[2] == said("broadcast-csv-state-sent")]
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", cell) for cell in sent_at), sent_at
    errors = [c for c in fake.calls_of("sendMessage") if not c.ok]
    assert {c.error_code for c in errors} >= {429, 502, 403}

    db = bot.services.db
    assert await db.fetchval("SELECT unreachable_at FROM members WHERE telegram_id = ?", (blocked.id,))
    fake.rate_limits = False
    everyone = AudienceSpec(members="all")
    assert (await bot.services.broadcasts.count(everyone))[0] == 6  # 7 members, one unreachable
    screen = await compose(admin, "Zweites Rundschreiben")
    assert line("broadcast-audience", **reached(6, 0)) in screen.text
    await blocked.send("/hilfe")  # writing to the bot makes them reachable again
    await expect(blocked, fragment("help-member"))
    assert (await bot.services.broadcasts.count(everyone))[0] == 7


async def test_bad_input_gets_clear_answers_and_sends_nothing_twice(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    paula = await member(fake, admin, 2101, "Paula")
    db = bot.services.db
    assert fragment("broadcast-list-empty") in (await start_new(admin)).text
    await admin.send("   ")
    await expect(admin, fragment("broadcast-empty"))
    await admin.send("Wort " * 2401)
    await expect(admin, said("broadcast-too-long", length=12004, max=12000))
    await admin.send("<b>offen & ehrlich")
    screen = await expect(admin, AUDIENCE)
    await admin.press(screen, said("broadcast-btn-preview"))
    refusal = await expect(admin, opening("broadcast-rejected"))
    assert "parse entities" in refusal.text.lower() and fragment("broadcast-rejected") in refusal.text
    assert (
        await db.fetchval("SELECT count(*) FROM broadcasts") == 0
        and said("approval-you-approved") in paula.messages[-1].text
    )
    # Back in the text step; formatting from the app is rendered, a typed "<" escaped with it.
    typed(fake, admin, "Offen <& ehrlich>: Sommerfest am 4. Juli", entities=[BOLD_FIRST_WORD])
    screen = await expect(admin, line("broadcast-audience", **reached(2, 0)))
    screen = await only_district(admin, screen, "Landeshauptstadt Schwerin")
    assert line("broadcast-audience", **reached(0, 0)) in screen.text
    confirm = await preview(admin, screen)
    query = await admin.press(confirm, said("broadcast-btn-send"))
    assert fragment("broadcast-nobody") in (await admin.callback_answer(query))["text"]
    assert await db.fetchval("SELECT count(*) FROM broadcasts") == 0
    screen = await press(admin, confirm, said("broadcast-btn-change"))  # the draft survived the refusal
    screen = await press(admin, screen, said("broadcast-btn-members-all"))
    confirm = await preview(admin, screen)
    await send_now(admin, confirm)
    query = await admin.press(confirm, said("broadcast-btn-send"))  # pressed twice: the dialog is gone
    assert fragment("common-stale") in (await admin.callback_answer(query))["text"]
    copy = await paula.wait_for(lambda m: "Sommerfest" in m.text)
    assert copy.html == "<b>Offen</b> &lt;&amp; ehrlich&gt;: Sommerfest am 4. Juli"
    assert bot.services.sender is not None and await bot.services.sender.drained(5)  # all sent
    assert len(copies(paula, "Sommerfest")) == 1
    assert await db.fetchval("SELECT count(*) FROM broadcasts") == 1
    assert await db.fetchval("SELECT count(*) FROM deliveries") == 2

    # A member is refused the command and every forged coordinator button; nothing changes.
    await paula.send("/rundschreiben")
    await expect(paula, fragment("auth-not-allowed"))
    last = paula.messages[-1]
    for forged in ("v1:bc:new", "v1:bc:send", "v1:bc:stop:1", "v1:bc:csv:1", "v1:bc:re:1", "v1:bc:rep:1"):
        answer = await paula.callback_answer(await paula.press_data(last, forged))
        assert fragment("auth-not-allowed") in answer["text"], forged
    for forged in ("v1:rd:ok:1", "v1:rd:ok:999", "v1:rd:ok:x'1", "v1:rd:zz"):
        answer = await paula.callback_answer(await paula.press_data(last, forged))
        # Neutral: no copy with a button for her.
        assert answer["text"] == said("broadcast-read-noted"), forged
    await paula.no_message(within=0.3)
    assert await bot.services.dialogs.get(paula.id) is None
    assert await db.fetchval("SELECT count(*) FROM broadcasts") == 1
    assert await db.fetchval("SELECT count(*) FROM deliveries WHERE read_at IS NOT NULL") == 0
    assert await db.fetchval("SELECT count(*) FROM audit_log WHERE action LIKE 'broadcast.%'") == 1


async def test_long_text_and_long_caption_are_split(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    tom = await member(fake, admin, 2201, "Tom")
    paragraphs = [f"Absatz {i}: " + "Haushalt und Wärmeplanung im Kreistag. " * 14 for i in range(11)]
    text = "\n\n".join(paragraphs)
    assert 5500 < len(text) < 6500
    screen = await compose(admin, text)
    await send_now(admin, await preview(admin, screen))
    first = await tom.wait_for(lambda m: "Absatz 0" in m.text)
    second = await tom.wait_for(lambda m: "Absatz 10" in m.text)
    assert first.message_id + 1 == second.message_id
    assert (first.text + "\n\n" + second.text).replace(" \n", "\n") == text.replace(" \n", "\n").strip()

    caption = "Plakat für die Kommunalwahl. " * 54
    assert 1500 <= len(caption) <= 1600
    await start_new(admin)
    photo = fake.store_file("plakat.jpg", "image/jpeg", b"\xff\xd8 Plakat")
    typed(fake, admin, caption, photo=True, photo_file=photo)
    screen = await expect(admin, AUDIENCE)
    await send_now(admin, await preview(admin, screen))
    picture = await tom.wait_for(lambda m: m.photo)
    words = await tom.wait_for(lambda m: "Plakat für die Kommunalwahl" in m.text)
    assert picture.photo_file is not None and picture.photo_file.file_id == photo.file_id
    assert picture.text == "" and words.message_id == picture.message_id + 1
    assert words.text == caption.strip()


async def test_read_button_counts_and_resend_goes_to_the_unread(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    people = [await member(fake, admin, 2301 + i, name) for i, name in enumerate(("Gesa", "Hanno", "Ines"))]
    mark = "Bitte lest den Haushaltsentwurf"
    screen = await compose(admin, f"{mark} bis Freitag.")
    screen = await only_district(admin, screen, ROSTOCK)
    screen = await press(admin, screen, said("broadcast-btn-read-off"))
    assert line("broadcast-audience", read=said("broadcast-on")) in screen.text
    confirm = await preview(admin, screen)
    [shown] = copies(admin, mark)  # the preview is the exact message, button included
    assert shown.button_texts() == [said("broadcast-read-label")]
    progress = await send_now(admin, confirm)
    received = [await p.wait_for(lambda m: mark in m.text) for p in people]
    assert all(copy.button_texts() == [said("broadcast-read-label")] for copy in received)
    for person, copy in zip(people[:2], received[:2], strict=True):
        query = await person.press(copy, said("broadcast-read-label"))
        assert (await person.callback_answer(query))["text"] == said("broadcast-read-thanks")
    again = await people[0].callback_answer(await people[0].press(received[0], said("broadcast-read-label")))
    assert again["text"] == said("broadcast-read-noted")
    await final_report(admin, progress)

    await admin.send("/rundschreiben")
    listing = await admin.wait_for(lambda m: NEW in m.button_texts())
    done = said("broadcast-list-line", id=1, date="\0", status=said("broadcast-status-done"), sent=3, total=3)
    assert all(piece in listing.text for piece in done.split("\0"))  # the date aside
    await admin.press(listing, said("broadcast-list-btn-report", id=1))
    report = await expect(admin, said("broadcast-report-read", read=2))
    assert line("broadcast-report", sent=3, total=3) in report.text
    await admin.press(report, said("broadcast-resend"))
    await expect(admin, said("broadcast-resent", id=1, count=1))
    second = await people[2].wait_for(lambda m: mark in m.text)
    # Counted per person: the re-sent member is one recipient, not two.
    assert bot.services.sender is not None and await bot.services.sender.drained(5)
    after = await bot.services.broadcasts.finish_if_done(1)  # what the progress job does
    assert (after.total, after.sent, after.read) == (3, 3, 2)
    assert [len(copies(p, mark)) for p in people] == [1, 1, 2]
    query = await people[2].press(second, said("broadcast-read-label"))
    assert (await people[2].callback_answer(query))["text"] == said("broadcast-read-thanks")
    query = await admin.press(report, said("broadcast-resend"))
    assert fragment("broadcast-all-read") in (await admin.callback_answer(query))["text"]
    await asyncio.sleep(0.3)
    assert [len(copies(p, mark)) for p in people] == [1, 1, 2]
    confirmed = (
        "SELECT count(DISTINCT chat_id) FROM deliveries WHERE broadcast_id = 1 AND read_at IS NOT NULL"
    )
    assert await bot.services.db.fetchval(confirmed) == 3


async def test_stop_early_sends_nothing_after_the_stop(
    fake: FakeTelegram, tmp_path: Path, clock: TestClock, admin: SimUser
) -> None:
    async with running_bot(fake, tmp_path, clock) as bot:
        await coordinator(admin)
        people = [await member(fake, admin, 2401 + i, f"Person{i:02}") for i in range(30)]
        mark = "Aufruf zur Unterschriftensammlung"
        screen = await only_district(admin, await compose(admin, mark), ROSTOCK)
        confirm = await preview(admin, screen)
        # From here the bot sends 5 per second (the fake still allows 30), so stopping early is easy
        # to time.
        bot.services.limiter.limits = SendLimits(per_second=5.0)
        fake.rate_limits = True
        progress = await send_now(admin, confirm)
        answer = await admin.callback_answer(await admin.press(progress, said("broadcast-stop")))
        assert answer["text"].startswith(opening("broadcast-stopped"))
        at_stop = sum(len(copies(p, mark)) for p in people)
        stopped = line("broadcast-report", id=1, status=said("broadcast-status-stopped"))
        await admin.wait_for(lambda m: m.message_id == progress.message_id and stopped in m.text)
        assert bot.services.sender is not None and await bot.services.sender.drained(15)
        delivered = sum(len(copies(p, mark)) for p in people)
        assert delivered <= at_stop + bot.settings.send_concurrency  # only sends already under way
        report = await bot.services.broadcasts.report(1)
        assert report.stopped > 0 and report.sent == delivered and report.sent + report.stopped == 30
        assert all(len(copies(p, mark)) <= 1 for p in people)


async def test_scheduled_broadcast_waits_for_its_time(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    jana = await member(fake, admin, 2501, "Jana")
    mark = "Erinnerung: Kreistag morgen"
    screen = await compose(admin, mark)
    await admin.press(screen, said("broadcast-btn-when"))
    await expect(admin, fragment("broadcast-ask-time"))
    await admin.send("morgen früh")
    await expect(admin, fragment("broadcast-time-invalid"))
    await admin.send("21.11.2026 09:30")  # the clock says 10:00 in Berlin
    await expect(admin, said("broadcast-time-past", when="21.11.2026 09:30"))
    typed = (bot.clock() + timedelta(hours=1)).astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")
    await admin.send(typed)
    screen = await expect(admin, line("broadcast-audience", when=typed))
    progress = await send_now(admin, await preview(admin, screen))
    assert said("broadcast-status-scheduled", when=typed) in progress.text
    await admin.send("/rundschreiben")
    listing = await admin.wait_for(lambda m: NEW in m.button_texts())
    assert said("broadcast-status-scheduled", when=typed) in listing.text
    await jana.no_message(within=1.5)
    assert copies(jana, mark) == []
    bot.clock.advance(hours=1)
    await jana.wait_for(lambda m: mark in m.text)
    report = await final_report(admin, progress)
    assert line("broadcast-report", sent=2, total=2) in report.text  # Jana and the coordinator


def test_typed_time_is_local_and_in_the_future() -> None:
    current = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    assert parse_when(" 28.03.2026 18:00 ", BERLIN, current) == datetime(2026, 3, 28, 17, 0, tzinfo=UTC)
    # After the change to summer time Berlin is two hours ahead.
    assert parse_when("29.03.2026 03:30", BERLIN, current) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    for bad in ("", "28.03.2026", "31.02.2026 10:00", "28.03.2026 25:00", "morgen 18:00"):
        with pytest.raises(InvalidInput) as refused:
            parse_when(bad, BERLIN, current)
        assert refused.value.key == "broadcast-time-invalid"
    with pytest.raises(InvalidInput) as past:
        parse_when("28.03.2026 12:59", BERLIN, current)
    assert past.value.key == "broadcast-time-past"


async def test_group_that_removed_the_bot_is_marked_inactive(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    await member(fake, admin, 2601, "Kai")
    gone = await link_group(fake, admin, -6101, "Ortsgruppe Wismar")
    stays = await link_group(fake, admin, -6102, "Ortsgruppe Parchim")
    # Telegram answers 403 for a group that removed the bot while it was not looking.
    fake.fail_next("sendMessage", 403, "Forbidden: bot was kicked from the group chat", chat_id=gone.id)
    mark = "Termine der Ortsgruppen"
    screen = await press(admin, await compose(admin, mark), said("broadcast-btn-groups-all"))
    report = await final_report(admin, await send_now(admin, await preview(admin, screen)))
    assert line("broadcast-report", unreachable=1) in report.text
    assert copies(gone, mark) == [] and len(copies(stays, mark)) == 1
    group = await bot.services.groups.get(gone.id)
    assert group is not None and not group.active
    assert (await bot.services.broadcasts.count(AudienceSpec(members="none", groups="all")))[1] == 1


async def test_admin_without_a_profile_can_write_a_broadcast(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await admin.send("/hilfe")  # an ADMIN_IDS admin who never filled in a profile
    await expect(admin, fragment("help-member"))
    assert await bot.services.members.by_telegram_id(admin.id) is None
    screen = await compose(admin, "Rundschreiben ohne Profil")
    assert line("broadcast-audience", **reached(0, 0)) in screen.text

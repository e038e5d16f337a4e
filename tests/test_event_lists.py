"""/termine through the fake Telegram: my answer and buttons to change it, calendar files that parse,
pages, the group's list; shifts of an info stand with sign-up and the understaffed alert; reminders
only to those who said yes; /meinedaten with the answers; a deleted group card."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import icalendar
import pytest

from lag_bot.audience import AudienceSpec
from lag_bot.emulator import FakeTelegram, SimGroup, SimUser
from lag_bot.events.input import ShiftDraft
from tests.event_story import (
    MAYBE,
    NO,
    YES,
    answer,
    card,
    district,
    latest,
    publish,
    refused,
    saved,
    shows,
    yours,
)
from tests.event_world import BERLIN, berlin, draft
from tests.harness import RunningBot
from tests.story import expect
from tests.test_broadcast import GREIFSWALD, ROSTOCK, coordinator, link_group, member, press
from tests.texts import fragment, said

pytestmark = pytest.mark.usefixtures("running_clock")
HEAD = said("event-list-head")
EARLY, LATE = "Samstag 10–12 Uhr", "Samstag 12–14 Uhr"  # the wording of a shift, pinned here


def item(n: int, title: str, kind: str) -> str:
    """An entry's first line in /termine."""
    return said("event-list-item", n=n, title=title, kind=said(f"event-kind-{kind}"))


def reminder_of(title: str) -> str:
    """The start of a reminder of an event."""
    return f"{fragment('event-notice-reminder')} {title}"


def calendar_of(user: SimUser, name: str) -> icalendar.Calendar:
    """The last calendar file the user got under this name, parsed."""
    sent = [m.document for m in user.messages if m.document is not None and m.document.file_name == name]
    assert sent and sent[-1] is not None, [m.document.file_name for m in user.messages if m.document]
    return icalendar.Calendar.from_ical(sent[-1].content)


async def test_termine_lists_my_answers_and_sends_calendar_files(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2501, "Anke")
    session = await publish(bot, admin)
    workshop = await publish(
        bot,
        admin,
        title="Workshop Wärmeplanung",
        kind="workshop",
        starts_at=berlin(2026, 12, 10, 17),
        ends_at=berlin(2026, 12, 10, 19, 30),
        link="https://meet.example.org/waerme",
        place="",
    )
    hidden = await publish(
        bot, admin, title="Nur Greifswald", audience=await district(bot, GREIFSWALD[0], groups="none")
    )
    await answer(anke, await card(anke), YES)

    await anke.send("/termine")
    listing = await anke.wait_for(lambda m: HEAD in m.text)
    assert item(1, "LAG-Sitzung Dezember", "sitzung") in listing.text
    assert yours("yes", on="list") in listing.text
    assert item(2, "Workshop Wärmeplanung", "workshop") in listing.text
    assert "Donnerstag, 10. Dezember 2026, 17:00–19:30 Uhr" in listing.text
    assert said("event-list-mine-none") in listing.text and "Nur Greifswald" not in listing.text
    assert listing.button_texts() == [
        *("✅ 1", "❌ 1", "❔ 1", "📅 1"),
        *("✅ 2", "❌ 2", "❔ 2", "📅 2"),
        said("event-list-all-ics"),
    ]
    query = await anke.press(listing, "❌ 2")
    assert (await anke.callback_answer(query))["text"] == saved("no")
    listing = await anke.wait_edit(listing)
    assert listing.text.count(fragment("event-list-mine")) == 2 and yours("no", on="list") in listing.text
    assert await bot.services.events.rsvp.answer_of(
        (await bot.services.members.by_telegram_id(anke.id)).id,  # type: ignore[union-attr]
        workshop,
    ) == ("no", None)

    await anke.press(listing, "📅 1")
    await anke.wait_for(lambda m: m.document is not None)
    one = calendar_of(anke, f"lag-termin-{session}.ics")
    (vevent,) = one.walk("VEVENT")
    stored = await bot.services.events.records.get(session)
    assert str(vevent["UID"]) == stored.uid and str(vevent["SUMMARY"]) == "LAG-Sitzung Dezember"
    assert vevent.decoded("DTSTART") == berlin(2026, 12, 3, 18)
    assert (
        vevent.decoded("DTSTART").tzinfo is not None and vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    )
    await anke.press(listing, said("event-list-all-ics"))
    await anke.wait_for(lambda m: m.document is not None and m.document.file_name == "lag-termine.ics")
    everything = calendar_of(anke, "lag-termine.ics")
    assert [str(e["SUMMARY"]) for e in everything.walk("VEVENT")] == [
        "LAG-Sitzung Dezember"
    ]  # not the declined
    # A forged button for an event she was not invited to learns nothing.
    assert said("event-unknown") in await refused(anke, listing, f"v1:et:i:{hidden}", True)
    assert said("event-not-invited") in await refused(anke, listing, f"v1:et:a:{hidden}:y:0", True)
    # Coordinators see every event (also those they are not invited to), with ⚙️.
    await admin.send("/termine")
    theirs = await admin.wait_for(lambda m: HEAD in m.text)
    assert "Nur Greifswald" in theirs.text and "⚙️ 3" in theirs.button_texts()


async def test_a_long_list_has_pages(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2511, "Anke")
    for day in range(1, 8):
        await publish(
            bot,
            admin,
            title=f"Termin {day}",
            starts_at=berlin(2026, 12, day, 18),
            ends_at=berlin(2026, 12, day, 19),
        )
    await anke.send("/termine")
    listing = await anke.wait_for(lambda m: HEAD in m.text)
    assert (
        said("event-list-head-paged", page=1, pages=2) in listing.text
        and "5. Termin 5" in listing.text
        and "Termin 6" not in listing.text
    )
    second = await press(anke, listing, "▶")
    assert said("event-list-head-paged", page=2, pages=2) in second.text
    assert "6. Termin 6" in second.text and "7. Termin 7" in second.text
    query = await anke.press(second, "❔ 7")
    assert (await anke.callback_answer(query))["text"] == saved("maybe")
    again = await anke.wait_edit(second)
    assert said("event-list-head-paged", page=2, pages=2) in again.text
    assert yours("maybe", on="list") in again.text
    assert "◀" in again.button_texts()


async def test_termine_in_a_linked_group(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2521, "Anke")
    group = await link_group(fake, admin, -6521, "Kreisgruppe Rostock", ROSTOCK)
    await publish(bot, admin, audience=await district(bot, ROSTOCK))
    await publish(bot, admin, title="Ohne Gruppe", audience=AudienceSpec(members="all"))
    on_group = await card(group)
    query = await anke.press(on_group, YES)
    await anke.callback_answer(query)
    counted = said("event-card-counts", yes=1, maybe=0, no=0)
    await shows(group, on_group, lambda m: counted in m.text)
    await anke.send_in(group, "/termine")
    listing = await group.wait_for(lambda m: said("event-list-head-group") in m.text)
    assert item(1, "LAG-Sitzung Dezember", "sitzung") in listing.text and counted in listing.text
    assert "Ohne Gruppe" not in listing.text and fragment("event-list-mine") not in listing.text
    unlinked = fake.group(-6522, "Stammtisch")
    await unlinked.add_bot(by=admin)
    await unlinked.wait_for(lambda m: "/verbinden" in m.text)
    await anke.send_in(unlinked, "/events")
    await unlinked.wait_for(lambda m: said("event-ui-group-not-linked") in m.text)


async def test_shifts_sign_up_full_refusal_and_the_understaffed_alert(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2531, "Anke")
    bernd = await member(fake, admin, 2532, "Bernd")
    carla = await member(fake, admin, 2533, "Carla")
    day = (2026, 12, 5)
    title = "Heiße Getränke gegen soziale Kälte"
    stand = await publish(
        bot,
        admin,
        title=title,
        kind="infostand",
        place="Marktplatz Güstrow",
        starts_at=berlin(*day, 10),
        ends_at=berlin(*day, 14),
        shifts=(
            ShiftDraft(berlin(*day, 10), berlin(*day, 12), 2, 2),
            ShiftDraft(berlin(*day, 12), berlin(*day, 14), 2, 3),
        ),
        shift_alert_days=2,
        remind_offsets=(),
    )
    screens = {}
    for person in (anke, bernd, carla):
        await person.send("/termine")
        listing = await person.wait_for(lambda m: HEAD in m.text)
        assert said("event-shift-line", shift=EARLY, signed=0, max=2, min=2) in listing.text
        await person.press(listing, "🙋 1")
        screens[person.id] = await expect(person, said("event-shift-head", title=title))
    join, leave = said("event-shifts-join", shift=EARLY), said("event-shifts-leave", shift=EARLY)
    join_late, leave_late = said("event-shifts-join", shift=LATE), said("event-shifts-leave", shift=LATE)
    assert screens[anke.id].button_texts() == [join, join_late]
    for person in (anke, bernd):
        query = await person.press(screens[person.id], join)
        assert (await person.callback_answer(query))["text"] == said("event-shifts-joined", shift=EARLY)
        screens[person.id] = await person.wait_edit(screens[person.id])
    full_line = said("event-shift-line", shift=EARLY, signed=2, max=2, min=2) + said("event-shift-mine")
    assert full_line in screens[bernd.id].text
    assert screens[bernd.id].button_texts() == [leave, join_late]
    # Carla's screen is older: the shift filled up meanwhile. Her press is refused.
    assert said("event-shift-full") in await refused(carla, screens[carla.id], join)
    carlas = await press(carla, screens[carla.id], join_late)
    assert said("event-shifts-full", shift=EARLY) in carlas.button_texts()
    late_line = said("event-shift-line", shift=LATE, signed=1, max=3, min=2) + said("event-shift-mine")
    assert late_line in carlas.text
    query = await carla.press(carlas, leave_late)
    assert (await carla.callback_answer(query))["text"] == said("event-shifts-left", shift=LATE)
    assert join_late in (await carla.wait_edit(carlas)).button_texts()

    bot.clock.now = berlin(2026, 12, 3, 10)  # two days before: the alert goes to the audience
    for person in (anke, bernd, carla):
        alert = await person.wait_for(lambda m: said("event-notice-shifts", title=title) in m.text, timeout=6)
        assert said("event-notice-shift-missing", shift=LATE, count=2) in alert.text
        assert EARLY not in alert.text
    shifts = await bot.services.events.shifts.of_event(stand)
    assert [s.signed for s in shifts] == [2, 0]


async def test_reminders_reach_only_yes_and_maybe_when_asked(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke, bernd, carla, dirk = [
        await member(fake, admin, 2541 + n, name) for n, name in enumerate(("Anke", "Bernd", "Carla", "Dirk"))
    ]
    seats = await district(bot, ROSTOCK, groups="none")
    session = await publish(bot, admin, capacity=1, remind_offsets=(1440,), audience=seats)
    await publish(
        bot,
        admin,
        title="Workshop Wärmeplanung",
        starts_at=berlin(2026, 12, 3, 10),
        ends_at=berlin(2026, 12, 3, 12),
        remind_offsets=(60,),
        remind_maybe=True,
        audience=seats,
    )
    for person, label in ((anke, YES), (bernd, MAYBE), (carla, NO), (dirk, YES)):
        await answer(person, await card(person), label)
        await answer(person, await card(person, "Workshop Wärmeplanung"), label)
    assert (await bot.services.events.rsvp.counts(session)).waitlist == 1  # Dirk waits for the session

    bot.clock.now = berlin(2026, 12, 2, 18)
    when = "Donnerstag, 3. Dezember 2026, 18:00–20:00 Uhr"
    reminded = said("event-notice-reminder", title="LAG-Sitzung Dezember", when=when, where=draft().place)
    await anke.wait_for(lambda m: reminded in m.text, timeout=6)
    bot.clock.now = berlin(2026, 12, 3, 9)
    for person in (anke, dirk, bernd):
        await person.wait_for(lambda m: reminder_of("Workshop Wärmeplanung") in m.text, timeout=6)
    await anke.no_message(0.5)
    for person in (bernd, carla, dirk):  # maybe, no, waitlist: no reminder of the session
        session_reminders = [m for m in person.messages if reminder_of("LAG-Sitzung Dezember") in m.text]
        assert session_reminders == [], person.first_name
    assert not any(fragment("event-notice-reminder") in m.text for m in carla.messages)


async def test_meinedaten_contains_answers_and_shifts(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2551, "Anke")
    day = (2026, 12, 5)
    stand = await publish(
        bot,
        admin,
        title="Infostand Markt",
        kind="infostand",
        starts_at=berlin(*day, 10),
        ends_at=berlin(*day, 12),
        shifts=(ShiftDraft(berlin(*day, 10), berlin(*day, 12), 1, 2),),
    )
    await answer(anke, await card(anke, "Infostand Markt"), YES)
    member_row = await bot.services.members.by_telegram_id(anke.id)
    assert member_row is not None
    (shift,) = await bot.services.events.shifts.of_event(stand)
    await bot.services.events.shifts.sign_up(member_row, shift.id)
    await anke.send("/meinedaten")
    sent = await anke.wait_for(
        lambda m: m.document is not None and m.document.file_name == "meine-daten.json"
    )
    assert sent.document is not None
    data = json.loads(sent.document.content)
    (answered,) = data["event_answers"]
    assert answered["title"] == "Infostand Markt" and answered["answer"] == "yes"
    assert datetime.fromisoformat(answered["starts_at"]) == berlin(*day, 10).astimezone(UTC)
    (signed,) = data["shift_signups"]
    assert (
        signed["title"] == "Infostand Markt"
        and datetime.fromisoformat(signed["starts_at"]).astimezone(BERLIN).hour == 10
    )


async def test_a_deleted_group_card_is_left_alone(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2561, "Anke")
    group: SimGroup = await link_group(fake, admin, -6561, "LAG Kommunalpolitik MV")
    await publish(bot, admin, audience=AudienceSpec(members="all", groups="all"))
    on_group = await card(group)
    group.record_delete(on_group.message_id)  # a group admin deleted the announcement
    mine = await card(anke)
    await answer(anke, mine, YES)
    await _edit_attempts(fake, group, on_group.message_id, 1)
    _, mine = await answer(anke, latest(anke, mine), NO)  # another change: the lost card is not tried again
    await anke.no_message(1.5)
    assert len(_edits(fake, group, on_group.message_id)) == 1
    assert "Deine Antwort: Absage" in mine.text


def _edits(fake: FakeTelegram, group: SimGroup, message_id: int) -> list[object]:
    return [
        c
        for c in fake.calls_of("editMessageText")
        if int(c.params["chat_id"]) == group.id and int(c.params["message_id"]) == message_id
    ]


async def _edit_attempts(fake: FakeTelegram, group: SimGroup, message_id: int, count: int) -> None:
    for _ in range(300):
        if len(_edits(fake, group, message_id)) >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the bot never tried to edit the group card")

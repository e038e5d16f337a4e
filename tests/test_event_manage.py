"""The coordinators' side of an event through the fake Telegram: the management screen from /termine
with counts, attendee list, CSV and a message to everyone who said yes; change and cancel notices
(the whole event, one date of a series) and live group cards; members refused at every button."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from lag_bot.audience import AudienceSpec
from lag_bot.emulator import FakeTelegram, SimMessage, SimUser
from lag_bot.events.models import RsvpCounts
from lag_bot.timeparse.parse import Recurring, parse_when
from tests.event_story import NO, YES, answer, card, counts, latest, publish, refused, shows
from tests.event_world import BERLIN, ROSTOCK, berlin
from tests.harness import RunningBot, fast_forward
from tests.story import expect
from tests.test_broadcast import coordinator, link_group, member, press
from tests.texts import fragment, said

pytestmark = pytest.mark.usefixtures("running_clock")
TITLE = "LAG-Sitzung Dezember"  # the title `publish` gives an event


async def manage(admin: SimUser, title: str = "LAG-Sitzung Dezember") -> SimMessage:
    """/termine, then ⚙️ on the entry of the event: the management screen."""
    await admin.send("/termine")
    listing = await admin.wait_for(lambda m: said("event-list-head") in m.text)
    number = next(line.split(".")[0] for line in listing.text.splitlines() if f". {title} · " in line)
    await admin.press(listing, f"⚙️ {number}")
    return await expect(admin, said("event-admin-head", title=title))


async def test_management_screen_attendees_csv_and_message_to_yeses(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2401, "Anke")
    bernd = await member(fake, admin, 2402, "Bernd")
    event_id = await publish(bot, admin, capacity=10)
    await answer(anke, await card(anke), YES)
    await answer(bernd, await card(bernd), NO)

    screen = await manage(admin)
    assert said("event-admin-counts", counts=said("event-card-counts", yes=1, maybe=0, no=1)) in screen.text
    assert said("event-admin-seats", yes=1, count=10, waiting=0) in screen.text
    buttons = ("attendees", "csv", "message", "edit", "cancel")
    assert screen.button_texts() == [said(f"event-admin-button-{b}") for b in buttons]
    await admin.press(screen, said("event-admin-button-attendees"))
    listing = await expect(admin, said("event-admin-attendees-head", title=TITLE, count=2))
    for name, answer_key in (("Anke", "event-answer-yes"), ("Bernd", "event-answer-no")):
        line = said(
            "event-admin-attendee", name=name, district=ROSTOCK, answer=said(answer_key), time="21.11.2026"
        )
        assert line in listing.text
    await admin.press(screen, said("event-admin-button-csv"))
    sent = await admin.wait_for(lambda m: m.document is not None)
    assert sent.document is not None and sent.document.file_name == f"teilnehmende-termin-{event_id}.csv"
    rows = list(csv.reader(io.StringIO(sent.document.content.decode("utf-8-sig")), delimiter=";"))
    columns = ("name", "district", "answer", "answered_at", "waitlist_position")
    assert rows[0] == [said(f"event-csv-{c}") for c in columns]
    assert rows[0][:4] == ["Name", "Kreis", "Antwort", "Geantwortet am"]  # in the coordinator's language
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        ("Anke", "Landkreis Rostock", "Zusage"),
        ("Bernd", "Landkreis Rostock", "Absage"),
    ]
    assert all(re.fullmatch(r"21\.11\.2026 \d\d:\d\d", r[3]) for r in rows[1:]), rows  # Excel reads it
    looks = await bot.services.db.fetchval(
        "SELECT count(*) FROM audit_log WHERE action IN ('event.attendees', 'event.export')"
    )
    assert looks == 2

    await admin.press(screen, said("event-admin-button-message"))
    await expect(admin, said("event-admin-message-ask", title=TITLE, count=1))
    await admin.send("Bitte <Unterlagen> & Laptop mitbringen")
    await expect(admin, said("event-admin-message-sent", count=1))
    head = said("event-notice-message", title=TITLE, body="")
    note = await anke.wait_for(lambda m: head in m.text)
    assert "Bitte <Unterlagen> & Laptop mitbringen" in note.text
    await bernd.no_message(0.5)
    assert await bot.services.dialogs.get(admin.id) is None

    await admin.press(screen, said("event-admin-button-edit"))
    await expect(admin, fragment("event-new-edit-head"))
    dialog = await bot.services.dialogs.get(admin.id)
    assert dialog is not None and dialog.data.get("edit") == event_id


async def test_members_are_refused_at_every_management_button(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2411, "Anke")
    event_id = await publish(bot, admin)
    mine = await card(anke)
    await anke.send("/termine")
    listing = await anke.wait_for(lambda m: said("event-list-head") in m.text)
    assert not any(label.startswith("⚙️") for label in listing.button_texts())
    for action in ("m", "l", "c", "w", "e", "x", "xy"):
        assert said("auth-not-allowed") in await refused(
            anke, mine, f"v1:ea:{action}:{event_id}", True
        )
    assert [m for m in anke.messages if m.document is not None] == []
    assert not (await bot.services.events.records.get(event_id)).cancelled
    assert await bot.services.dialogs.get(anke.id) is None


async def test_change_and_cancel_notices_and_the_group_card(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2421, "Anke")
    bernd = await member(fake, admin, 2422, "Bernd")
    carla = await member(fake, admin, 2423, "Carla")
    group = await link_group(fake, admin, -6421, "LAG Kommunalpolitik MV")
    event_id = await publish(bot, admin, audience=AudienceSpec(members="all", groups="all"))
    _, ankes = await answer(anke, await card(anke), YES)
    await answer(bernd, await card(bernd), NO)
    on_group = await card(group)
    await card(carla)

    actor = await bot.services.authorizer.actor(admin.id)
    changes = {"place": "Rathaus Güstrow", "starts_at": berlin(2026, 12, 3, 19)}
    assert await bot.services.events.admin.edit(actor, event_id, changes) == ["starts_at", "ends_at", "place"]
    new_time = "Donnerstag, 3. Dezember 2026, 19:00–21:00 Uhr"
    for person in (anke, bernd):
        notice = await person.wait_for(lambda m: said("event-notice-changed", title=TITLE) in m.text)
        # The wording of a time span is pinned here once.
        assert "🕒 Neue Zeit: Donnerstag, 3. Dezember 2026, 19:00–21:00 Uhr" in notice.text
        assert said("event-notice-changed-place", value="Rathaus Güstrow") in notice.text
    await group.wait_for(lambda m: said("event-notice-changed", title=TITLE) in m.text)
    # The group's card shows the new place and time (and the counts): it is edited in place.
    async with fast_forward(bot.clock):  # past the live cards' 5 s since the last edit
        edited = await shows(group, on_group, lambda m: "Rathaus" in m.text)
    assert "19:00–21:00 Uhr" in edited.text and said("event-card-counts", yes=1, maybe=0, no=1) in edited.text
    await carla.no_message(0.5)  # she did not answer: no notice

    screen = await manage(admin)
    await admin.press(screen, said("event-admin-button-cancel"))
    confirm = await expect(admin, said("event-admin-cancel-ask", title=TITLE, count=2))
    done = await press(admin, confirm, said("event-admin-cancel-yes"))
    assert done.text == said("event-admin-cancel-done", title=TITLE) and done.buttons == []
    for person in (anke, bernd):
        await person.wait_for(lambda m: said("event-notice-cancelled", title=TITLE, when=new_time) in m.text)
    async with fast_forward(bot.clock):
        closed = await shows(group, on_group, lambda m: said("event-card-cancelled") in m.text)
    assert closed.button_texts() == [said("event-button-cancelled")]
    assert said("event-cancelled") in await refused(anke, latest(anke, ankes), NO)
    assert said("event-cancelled") in await refused(bernd, closed, said("event-button-cancelled"))
    assert said("event-already-cancelled") in await refused(admin, confirm, f"v1:ea:xy:{event_id}", True)
    assert await counts(bot, event_id) == RsvpCounts(yes=1, no=1)
    await carla.no_message(0.3)


async def test_one_date_of_a_series_is_cancelled_from_the_screen(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    anke = await member(fake, admin, 2431, "Anke")
    when = parse_when("jeden Dienstag 19:00", now=bot.clock(), tz=BERLIN)
    assert isinstance(when, Recurring)
    first = when.first
    title = "Fraktionssitzung Kreistag"
    event_id = await publish(
        bot,
        admin,
        title=title,
        kind="fraktionssitzung",
        starts_at=first,
        ends_at=first + timedelta(hours=2),
        rrule=when.rrule,
    )
    await answer(anke, await card(anke, title), YES)
    screen = await manage(admin, title)
    await admin.press(screen, said("event-admin-button-cancel-date"))
    choice = await expect(admin, said("event-admin-date-choose", title=title))
    assert choice.button_texts()[:2] == [
        "Dienstag, 24. November 2026, 19:00 Uhr",
        "Dienstag, 1. Dezember 2026, 19:00 Uhr",
    ]
    await admin.press(choice, "Dienstag, 1. Dezember 2026, 19:00 Uhr")
    date = "Dienstag, 1. Dezember 2026, 19:00 Uhr"
    confirm = await expect(admin, said("event-admin-date-ask", title=title, when=date))
    done = await press(admin, confirm, said("event-admin-cancel-yes"))
    assert done.text == said("event-admin-date-done", title=title, when=date)
    await anke.wait_for(lambda m: said("event-notice-cancelled-date", title=title, when=date) in m.text)
    starts = [s for s, _ in await bot.services.events.listing.dates(event_id, 2)]
    assert starts == [first, first + timedelta(days=14)]
    # A forged date that is not one of the series changes nothing.
    forged = f"v1:ea:dy:{event_id}:{int((first + timedelta(hours=1)).timestamp())}"
    assert said("event-occurrence-unknown") in await refused(admin, choice, forged, True)
    assert (await bot.services.events.records.get(event_id)).exdates == (first + timedelta(days=7),)

"""`/neuertermin` end to end: a coordinator answers the steps (typed and with buttons), sees the
exact invitation, publishes it to a segment and a group; bad answers are refused one by one and
change nothing.
"""

from __future__ import annotations

import pytest

from lag_bot.callbacks import encode
from lag_bot.emulator import FakeTelegram, SimMessage, SimUser
from tests.event_story import MAYBE, NO, YES, answer, card, publish
from tests.harness import RunningBot
from tests.story import expect
from tests.test_broadcast import ROSTOCK, coordinator, link_group, member, press
from tests.texts import fragment, reached, said

pytestmark = pytest.mark.usefixtures("running_clock")
NO_LINK, NO_DESCRIPTION = said("event-new-btn-no-link"), said("event-new-btn-no-description")
NEXT = said("event-new-btn-next")
PUBLISH, PUBLISHED = said("event-new-btn-publish"), fragment("event-new-published")
STALE = said("common-stale")


def ask(step: str) -> str:
    """A step's question, as a fragment to wait for."""
    return fragment(f"event-new-ask-{step}")


async def _answer(admin: SimUser, text: str, question: str) -> SimMessage:
    """Type an answer; return the next question."""
    await admin.send(text)
    return await expect(admin, question)


async def _events(bot: RunningBot) -> list[tuple[object, ...]]:
    rows = await bot.services.db.fetchall(
        "SELECT title, kind, place, capacity, rrule FROM events ORDER BY id"
    )
    return [tuple(r) for r in rows]


async def test_create_and_publish_to_a_segment_and_a_group(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    jana = await member(fake, admin, 1801, "Jana")
    kai = await member(fake, admin, 1802, "Kai", place=("Landkreis Ludwigslust-Parchim", "Parchim"))
    group = await link_group(fake, admin, -6001, "Kreistagsfraktion Rostock")

    await admin.send("/neuertermin")
    await expect(admin, ask("title"))
    kinds = await _answer(admin, "LAG-Sitzung Dezember", ask("kind"))
    assert said("event-kind-infostand") in kinds.button_texts()
    await admin.press(kinds, said("event-kind-sitzung"))
    await expect(admin, ask("start"))
    # The end comes with the start, so the next question is the place.
    await _answer(admin, "3.12. 18:00 bis 20:00", ask("place"))
    link = await _answer(admin, "Rathaus Güstrow, Raum 3", ask("link"))
    await admin.press(link, NO_LINK)
    await _answer(admin, "Tagesordnung: Haushalt 2027", ask("audience"))
    audience = admin.messages[-1]
    audience = await press(admin, audience, said("broadcast-btn-members-segment"))
    audience = await press(admin, audience, said("broadcast-dim-d"))
    audience = await press(admin, audience, ROSTOCK)
    audience = await press(admin, audience, said("broadcast-btn-back"))
    audience = await press(admin, audience, said("broadcast-btn-groups-all"))
    assert "Erreicht jetzt: 1 Mitglied, 1 Gruppe" in audience.text  # the count's wording, pinned once
    await admin.press(audience, NEXT)
    await _answer(admin, "25", ask("deadline"))
    remind = await _answer(admin, "01.12.2026 12:00", ask("remind"))
    day, hours = said("event-new-btn-remind-1440"), said("event-new-btn-remind-120")
    assert f"{day}, {hours}" in remind.text
    remind = await press(admin, remind, f"✅ {hours}")  # off again: only the day before
    await admin.press(remind, NEXT)

    card = await expect(admin, "LAG-Sitzung Dezember")
    assert "Donnerstag, 3. Dezember 2026, 18:00–20:00 Uhr" in card.text
    assert said("event-card-place", place="Rathaus Güstrow, Raum 3") in card.text
    assert said("event-card-seats", free=25, count=25) in card.text
    assert said("event-card-deadline", deadline="Dienstag, 1. Dezember 2026, 12:00 Uhr") in card.text
    assert card.button_texts() == [YES, NO, MAYBE]
    question = await expect(admin, fragment("event-new-preview-ask"))
    extras = said("event-new-preview-remind", offsets=day)
    assert said("event-new-preview-ask", **reached(1, 1), extras=extras) in question.text
    assert await _events(bot) == []  # nothing stored before "Veröffentlichen"
    await admin.press(question, PUBLISH)
    await expect(admin, PUBLISHED)
    again = await admin.press_data(question, encode("en", "pub"))  # a second press publishes nothing
    assert STALE in (await admin.callback_answer(again))["text"]

    invitation = await jana.wait_for(lambda m: "LAG-Sitzung Dezember" in m.text, timeout=5)
    assert invitation.button_texts() == [YES, NO, MAYBE]
    in_group = await group.wait_for(lambda m: "LAG-Sitzung Dezember" in m.text, timeout=5)
    assert "Tagesordnung: Haushalt 2027" in in_group.text
    await kai.no_message(within=1.0)  # not in the segment
    assert await _events(bot) == [("LAG-Sitzung Dezember", "sitzung", "Rathaus Güstrow, Raum 3", 25, None)]
    offsets = await bot.services.db.fetchall("SELECT body FROM reminders WHERE target_kind = 'event'")
    assert [r["body"] for r in offsets] == ["remind:1440"]


async def test_a_series_and_an_info_stand_with_shifts(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    await admin.send("/neuertermin")
    await expect(admin, ask("title"))
    kinds = await _answer(admin, "Fraktionssitzung", ask("kind"))
    await admin.press(kinds, said("event-kind-fraktionssitzung"))
    await expect(admin, ask("start"))
    end = await _answer(admin, "jeden 2. Dienstag 18:00", ask("end"))
    await admin.press(end, said("event-new-btn-hours", n=2))
    link = await _answer(admin, "Kreishaus Güstrow", ask("link"))
    await admin.press(link, NO_LINK)
    description = await expect(admin, ask("description"))
    await admin.press(description, NO_DESCRIPTION)
    await admin.press(await expect(admin, ask("audience")), NEXT)
    capacity = await expect(admin, ask("capacity"))
    await admin.press(capacity, said("event-new-btn-no-capacity"))
    await admin.press(await expect(admin, ask("remind")), NEXT)  # a series asks no deadline
    card = await expect(admin, f"Fraktionssitzung · {said('event-kind-fraktionssitzung')}")
    assert "🔁" in card.text and "Dienstag, 8. Dezember 2026, 18:00–20:00 Uhr" in card.text
    await admin.press(await expect(admin, fragment("event-new-preview-ask")), PUBLISH)
    await expect(admin, PUBLISHED)

    await admin.send("/neuertermin")
    await expect(admin, ask("title"))
    await admin.press(
        await _answer(admin, "Heiße Getränke gegen soziale Kälte", ask("kind")), said("event-kind-infostand")
    )
    await expect(admin, ask("start"))
    await _answer(admin, "12.12. 10:00 bis 16:00", ask("place"))
    await admin.press(await _answer(admin, "Marktplatz Teterow", ask("link")), NO_LINK)
    await admin.press(await expect(admin, ask("description")), NO_DESCRIPTION)
    await admin.press(await expect(admin, ask("audience")), NEXT)
    await admin.press(await expect(admin, ask("capacity")), said("event-new-btn-no-capacity"))
    await admin.press(await expect(admin, ask("deadline")), said("event-new-btn-no-deadline"))
    await admin.press(await expect(admin, ask("remind")), NEXT)
    shifts = await expect(admin, ask("shifts"))
    assert said("event-new-shifts-none") in shifts.text
    shifts = await _answer(admin, "10-12 2-3", ask("shifts"))
    assert said("event-new-shift-line", shift="Samstag 10–12 Uhr", min=2, max=3) in shifts.text
    await _answer(admin, "9-11 2", fragment("event-shift-outside"))  # starts before the stand: refused
    shifts = await _answer(admin, "12-14 2-3", ask("shifts"))
    shifts = await press(admin, shifts, said("event-new-btn-alert", count=3))
    assert said("event-new-shifts-alert", count=3) in shifts.text and "Samstag 12–14 Uhr" in shifts.text
    await admin.press(shifts, said("event-new-btn-shifts-done"))
    question = await expect(admin, fragment("event-new-preview-ask"))
    assert said("event-new-preview-shifts", count=2) in question.text
    await admin.press(question, PUBLISH)
    await expect(admin, PUBLISHED)
    rows = await bot.services.db.fetchall("SELECT min_people, max_people FROM shifts ORDER BY starts_at")
    assert [tuple(r) for r in rows] == [(2, 3), (2, 3)]
    assert [r[0] for r in await _events(bot)] == ["Fraktionssitzung", "Heiße Getränke gegen soziale Kälte"]


async def test_bad_answers_are_refused_and_nothing_is_stored(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    jana = await member(fake, admin, 1803, "Jana")
    await jana.send("/neuertermin")
    await expect(jana, said("auth-not-allowed"))  # members may not
    forged = await jana.press_data(jana.messages[-1], encode("en", "pub"))
    assert said("auth-not-allowed") in (await jana.callback_answer(forged))["text"]

    await admin.send("/neuertermin")
    await expect(admin, ask("title"))
    await _answer(admin, "x" * 121, said("event-title-too-long", length=121, max=120))
    kinds = await _answer(admin, "<b>Sitzung</b> & Co", ask("kind"))
    assert "„<b>Sitzung</b> & Co“" in kinds.text  # shown as typed, never as markup
    forged = await admin.press_data(kinds, encode("en", "k", "party"))
    assert STALE in (await admin.callback_answer(forged))["text"]
    await admin.press(kinds, said("event-kind-workshop"))
    await expect(admin, ask("start"))
    await _answer(admin, "01.11.2026 18:00", fragment("time-past"))
    await _answer(admin, "irgendwann", fragment("time-unknown"))
    end = await _answer(admin, "morgen 18:00", ask("end"))
    await _answer(admin, "17:00", said("event-end-before-start"))
    await admin.press(end, said("event-new-btn-hours", n=3))
    await expect(admin, ask("place"))
    await _answer(admin, "Online", ask("link"))
    await _answer(admin, "kein-link", said("event-link-invalid", text="kein-link"))
    await _answer(admin, "https://meet.example.org/lag", ask("description"))
    await admin.press(admin.messages[-1], NO_DESCRIPTION)
    await admin.press(await expect(admin, ask("audience")), NEXT)
    await expect(admin, ask("capacity"))
    await _answer(admin, "0", fragment("event-capacity-range"))
    await _answer(admin, "-3", fragment("event-capacity-range"))
    await _answer(admin, "viele", said("event-capacity-invalid", text="viele"))
    await _answer(admin, "12", ask("deadline"))
    await _answer(admin, "übermorgen 9 Uhr", said("event-deadline-after-start"))
    await admin.send("/abbrechen")
    await expect(admin, said("cancel-discarded"))
    assert await _events(bot) == []
    assert await bot.services.dialogs.get(admin.id) is None


async def test_editing_through_the_dialog_notifies_those_who_answered(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    jana = await member(fake, admin, 1804, "Jana")
    event_id = await publish(bot, admin)
    await answer(jana, await card(jana), YES)
    await admin.send("/termine")
    listing = await admin.wait_for(lambda m: said("event-list-head") in m.text)
    gear = next(label for label in listing.button_texts() if label.startswith("⚙️"))
    await admin.press(listing, gear)
    await admin.press(await expect(admin, fragment("event-admin-head")), said("event-admin-button-edit"))
    menu = await expect(admin, fragment("event-new-edit-head"))
    assert said("event-field-audience") not in menu.button_texts()  # the audience stays as announced
    await admin.press(menu, said("event-field-place"))
    await _answer(admin, "Kreishaus Güstrow, Saal 1", fragment("event-new-edit-head"))
    await admin.press(admin.messages[-1], said("event-new-btn-save"))
    await expect(admin, said("event-new-saved", fields=said("event-field-place")))
    changed = said("event-notice-changed", title="LAG-Sitzung Dezember")
    notice = await jana.wait_for(lambda m: changed in m.text)
    assert said("event-notice-changed-place", value="Kreishaus Güstrow, Saal 1") in notice.text
    assert (await bot.services.events.records.get(event_id)).place == "Kreishaus Güstrow, Saal 1"
    stale = await admin.press_data(menu, encode("en", "f", "title"))  # the dialog is closed
    assert STALE in (await admin.callback_answer(stale))["text"]
    assert await bot.services.dialogs.get(admin.id) is None

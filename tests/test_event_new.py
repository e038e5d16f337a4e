"""`/neuertermin` end to end: a coordinator answers the steps (typed and with buttons), sees the
exact invitation, publishes it to a segment and a group; bad answers are refused one by one and
change nothing.
"""

from __future__ import annotations

import pytest

from lag_bot.callbacks import encode
from lag_bot.emulator import FakeTelegram, SimMessage, SimUser
from tests.event_story import YES, answer, card, publish
from tests.harness import RunningBot
from tests.story import expect
from tests.test_broadcast import ROSTOCK, coordinator, link_group, member, press

pytestmark = pytest.mark.usefixtures("running_clock")


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
    await expect(admin, "Wie heißt er?")
    kinds = await _answer(admin, "LAG-Sitzung Dezember", "Was für ein Termin")
    assert "Infostand" in kinds.button_texts()
    await admin.press(kinds, "Sitzung")
    await expect(admin, "Wann beginnt er?")
    # The end comes with the start, so the next question is the place.
    await _answer(admin, "3.12. 18:00 bis 20:00", "Wo findet er statt?")
    link = await _answer(admin, "Rathaus Güstrow, Raum 3", "Link zur Online-Teilnahme")
    await admin.press(link, "Kein Link ➡️")
    await _answer(admin, "Tagesordnung: Haushalt 2027", "Wer wird eingeladen?")
    audience = admin.messages[-1]
    audience = await press(admin, audience, "Auswahl")
    audience = await press(admin, audience, "Kreis")
    audience = await press(admin, audience, ROSTOCK)
    audience = await press(admin, audience, "↩ Zurück")
    audience = await press(admin, audience, "Alle Gruppen")
    assert "Erreicht jetzt: 1 Mitglieder, 1 Gruppen" in audience.text
    await admin.press(audience, "Weiter ➡️")
    await _answer(admin, "25", "Bis wann kann man sich anmelden?")
    remind = await _answer(admin, "01.12.2026 12:00", "Erinnerungen")
    assert "1 Tag, 2 Std." in remind.text
    remind = await press(admin, remind, "✅ 2 Std.")  # off again: only the day before
    await admin.press(remind, "Weiter ➡️")

    card = await expect(admin, "LAG-Sitzung Dezember")
    assert "Donnerstag, 3. Dezember 2026, 18:00–20:00 Uhr" in card.text
    assert "📍 Rathaus Güstrow, Raum 3" in card.text and "👥 25 von 25 Plätzen frei" in card.text
    assert "⏳ Anmeldung bis Dienstag, 1. Dezember 2026, 12:00 Uhr" in card.text
    assert card.button_texts() == ["✅ Zusage", "❌ Absage", "❔ Vielleicht"]
    ask = await expect(admin, "Soll ich sie an")
    assert "1 Mitglieder und 1 Gruppen" in ask.text and "Erinnerungen: 1 Tag" in ask.text
    assert await _events(bot) == []  # nothing stored before "Veröffentlichen"
    await admin.press(ask, "📣 Veröffentlichen")
    await expect(admin, "Veröffentlicht")
    again = await admin.press_data(ask, encode("en", "pub"))  # a second press publishes nothing
    assert "nicht mehr aktuell" in (await admin.callback_answer(again))["text"]

    invitation = await jana.wait_for(lambda m: "LAG-Sitzung Dezember" in m.text, timeout=5)
    assert invitation.button_texts() == ["✅ Zusage", "❌ Absage", "❔ Vielleicht"]
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
    await expect(admin, "Wie heißt er?")
    await admin.press(await _answer(admin, "Fraktionssitzung", "Was für ein Termin"), "Fraktionssitzung")
    await expect(admin, "Wann beginnt er?")
    end = await _answer(admin, "jeden 2. Dienstag 18:00", "Wann endet er?")
    await admin.press(end, "2 Std.")
    link = await _answer(admin, "Kreishaus Güstrow", "Link zur Online-Teilnahme")
    await admin.press(link, "Kein Link ➡️")
    description = await expect(admin, "Beschreibung")
    await admin.press(description, "Ohne Beschreibung ➡️")
    await admin.press(await expect(admin, "Wer wird eingeladen?"), "Weiter ➡️")
    capacity = await expect(admin, "Wie viele Plätze")
    await admin.press(capacity, "Unbegrenzt ➡️")
    await admin.press(await expect(admin, "Erinnerungen"), "Weiter ➡️")  # a series asks no deadline
    card = await expect(admin, "Fraktionssitzung · Fraktionssitzung")
    assert "🔁" in card.text and "Dienstag, 8. Dezember 2026, 18:00–20:00 Uhr" in card.text
    await admin.press(await expect(admin, "Soll ich sie an"), "📣 Veröffentlichen")
    await expect(admin, "Veröffentlicht")

    await admin.send("/neuertermin")
    await expect(admin, "Wie heißt er?")
    await admin.press(
        await _answer(admin, "Heiße Getränke gegen soziale Kälte", "Was für ein Termin"), "Infostand"
    )
    await expect(admin, "Wann beginnt er?")
    await _answer(admin, "12.12. 10:00 bis 16:00", "Wo findet er statt?")
    await admin.press(await _answer(admin, "Marktplatz Teterow", "Link"), "Kein Link ➡️")
    await admin.press(await expect(admin, "Beschreibung"), "Ohne Beschreibung ➡️")
    await admin.press(await expect(admin, "Wer wird eingeladen?"), "Weiter ➡️")
    await admin.press(await expect(admin, "Wie viele Plätze"), "Unbegrenzt ➡️")
    await admin.press(await expect(admin, "Bis wann"), "Kein Anmeldeschluss ➡️")
    await admin.press(await expect(admin, "Erinnerungen"), "Weiter ➡️")
    shifts = await expect(admin, "Schichten")
    assert "Noch keine Schicht" in shifts.text
    shifts = await _answer(admin, "10-12 2-3", "Schichten")
    assert "Samstag 10–12 Uhr: 2–3 Leute" in shifts.text
    await _answer(admin, "9-11 2", "außerhalb")  # starts before the stand: refused, nothing added
    shifts = await _answer(admin, "12-14 2-3", "Schichten")
    shifts = await press(admin, shifts, "Warnung 3 Tage vorher")
    assert "3 Tage vorher" in shifts.text and "Samstag 12–14 Uhr" in shifts.text
    await admin.press(shifts, "Fertig ✔")
    ask = await expect(admin, "Soll ich sie an")
    assert "🙋 2 Schichten" in ask.text
    await admin.press(ask, "📣 Veröffentlichen")
    await expect(admin, "Veröffentlicht")
    rows = await bot.services.db.fetchall("SELECT min_people, max_people FROM shifts ORDER BY starts_at")
    assert [tuple(r) for r in rows] == [(2, 3), (2, 3)]
    assert [r[0] for r in await _events(bot)] == ["Fraktionssitzung", "Heiße Getränke gegen soziale Kälte"]


async def test_bad_answers_are_refused_and_nothing_is_stored(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    jana = await member(fake, admin, 1803, "Jana")
    await jana.send("/neuertermin")
    await expect(jana, "Koordinator")  # members may not
    forged = await jana.press_data(jana.messages[-1], encode("en", "pub"))
    assert "Koordinator" in (await jana.callback_answer(forged))["text"]

    await admin.send("/neuertermin")
    await expect(admin, "Wie heißt er?")
    await _answer(admin, "x" * 121, "höchstens 120")
    kinds = await _answer(admin, "<b>Sitzung</b> & Co", "Was für ein Termin")
    assert "„<b>Sitzung</b> & Co“" in kinds.text  # shown as typed, never as markup
    forged = await admin.press_data(kinds, encode("en", "k", "party"))
    assert "nicht mehr aktuell" in (await admin.callback_answer(forged))["text"]
    await admin.press(kinds, "Workshop")
    await expect(admin, "Wann beginnt er?")
    await _answer(admin, "01.11.2026 18:00", "Vergangenheit")
    await _answer(admin, "irgendwann", "nicht als Zeitangabe")
    end = await _answer(admin, "morgen 18:00", "Wann endet er?")
    await _answer(admin, "17:00", "Ende muss nach dem Beginn")
    await admin.press(end, "3 Std.")
    await expect(admin, "Wo findet er statt?")
    await _answer(admin, "Online", "Link")
    await _answer(admin, "kein-link", "ist kein Link")
    await _answer(admin, "https://meet.example.org/lag", "Beschreibung")
    await admin.press(admin.messages[-1], "Ohne Beschreibung ➡️")
    await admin.press(await expect(admin, "Wer wird eingeladen?"), "Weiter ➡️")
    await expect(admin, "Wie viele Plätze")
    await _answer(admin, "0", "zwischen 1 und")
    await _answer(admin, "-3", "zwischen 1 und")
    await _answer(admin, "viele", "keine Zahl")
    await _answer(admin, "12", "Bis wann")
    await _answer(admin, "übermorgen 9 Uhr", "vor dem Beginn")
    await admin.send("/abbrechen")
    await expect(admin, "Es wurde nichts gespeichert")
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
    listing = await admin.wait_for(lambda m: "Kommende Termine" in m.text)
    gear = next(label for label in listing.button_texts() if label.startswith("⚙️"))
    await admin.press(listing, gear)
    await admin.press(await expect(admin, "Verwalten"), "✏️ Bearbeiten")
    menu = await expect(admin, "Termin bearbeiten")
    assert "Eingeladene" not in menu.button_texts()  # the audience stays as announced
    await admin.press(menu, "Ort")
    await _answer(admin, "Kreishaus Güstrow, Saal 1", "Termin bearbeiten")
    await admin.press(admin.messages[-1], "💾 Speichern")
    saved = await expect(admin, "Gespeichert")
    assert "Geändert: Ort" in saved.text
    notice = await jana.wait_for(lambda m: "Geändert" in m.text and "Kreishaus Güstrow" in m.text)
    assert "📍 Neuer Ort: Kreishaus Güstrow, Saal 1" in notice.text
    assert (await bot.services.events.records.get(event_id)).place == "Kreishaus Güstrow, Saal 1"
    stale = await admin.press_data(menu, encode("en", "f", "title"))  # the dialog is closed
    assert "nicht mehr aktuell" in (await admin.callback_answer(stale))["text"]
    assert await bot.services.dialogs.get(admin.id) is None

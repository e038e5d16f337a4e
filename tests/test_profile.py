"""`/profil`: every stored field shown, each one changeable; stale buttons change nothing."""

from __future__ import annotations

import pytest

from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import RunningBot
from tests.story import choose, expect, join, toggle_and_finish


async def test_profile_shows_and_changes_every_field(fake: FakeTelegram, bot: RunningBot) -> None:
    rita = fake.user(1601, "Rita", last_name="Roth")
    await join(rita)
    await rita.send("/profil")
    profile = await expect(rita, "Dein Profil")
    for shown in (
        "Rita Roth",
        "Deutsch",
        "Landkreis Rostock",
        "Barlachstadt Güstrow",
        "Kreistag Rostock – Fachsprecher:in (Bildung)",
        "Themen: Wohnen",
        "wartet auf Freigabe",
        "Einwilligung: Fassung 2026-11-21, erteilt am 2026-11-21",
    ):
        assert shown in profile.text, shown

    await rita.press(profile, "✏️ Name")
    await expect(rita, "Wie sollen dich")
    await rita.send("<b>Rita</b> & Co 🎉")
    profile = await expect(rita, "Dein Profil")
    assert "Name: <b>Rita</b> & Co 🎉" in profile.text  # shown literally, not as bold markup

    await rita.press(profile, "✏️ Mandate")
    await choose(rita, "Deine Mandate", "🗑 Alle Mandate entfernen")
    await choose(rita, "noch keine", "Weiter ➡️")
    profile = await expect(rita, "Dein Profil")
    assert "Kreistag" not in profile.text

    await rita.press(profile, "✏️ Themen")
    await toggle_and_finish(rita, "Welche Themen interessieren dich", ["✅ Wohnen", "Kultur"], "Fertig ✔")
    profile = await expect(rita, "Dein Profil")
    assert "Themen: Kultur" in profile.text

    await rita.press(profile, "✏️ Kreis")
    await choose(rita, "In welchem Kreis", "Landkreis Vorpommern-Rügen")
    await choose(rita, "in welcher Gemeinde", "Hansestadt Stralsund")  # asked right after the district
    profile = await expect(rita, "Dein Profil")
    assert "Kreis: Landkreis Vorpommern-Rügen" in profile.text
    assert "Gemeinde: Hansestadt Stralsund" in profile.text

    await rita.press(profile, "✏️ Gemeinde")
    await choose(rita, "in welcher Gemeinde", "Keine Angabe")
    profile = await expect(rita, "Dein Profil")
    assert "Gemeinde: keine Angabe" in profile.text

    await rita.press(profile, "✏️ Gemeinde")
    await choose(rita, "in welcher Gemeinde", "Hansestadt Stralsund")
    profile = await expect(rita, "Dein Profil")
    assert "Gemeinde: Hansestadt Stralsund" in profile.text

    await rita.press(profile, "📒 Verzeichnis an/aus")
    profile = await expect(rita, "Dein Profil")
    assert "Im Mitgliederverzeichnis: ja" in profile.text


async def test_stale_wizard_button(fake: FakeTelegram, bot: RunningBot) -> None:
    sven = fake.user(1602, "Sven")
    await join(sven)
    old = next(m for m in sven.messages if "In welchem Kreis" in m.text)
    query = await sven.press(old, "Landkreis Nordwestmecklenburg")
    answer = await sven.callback_answer(query)
    assert "nicht mehr aktuell" in answer["text"]
    member = await bot.services.members.by_telegram_id(1602)
    district = await bot.services.territory.territory(member.district_id or 0) if member else None
    assert district is not None and district.name == "Landkreis Rostock"


async def test_forged_wizard_values(fake: FakeTelegram, bot: RunningBot) -> None:
    tina = fake.user(1603, "Tina")
    await tina.send("/start")
    await choose(tina, "Bist du einverstanden?", "✅ Ich bin einverstanden")
    await tina.send("Tina")
    ask = await expect(tina, "In welchem Kreis")
    for forged in (
        "v1:wz:dist:99999",
        "v1:wz:dist:abc",
        "v1:wz:dist:" + "9" * 40,
        "v1:wz:dist:²",
        "v1:wz:muni:1",
        "v1:zz:x",
    ):
        query = await tina.press_data(ask, forged)
        answer = await tina.callback_answer(query)
        assert answer["text"], forged
    member = await bot.services.members.by_telegram_id(1603)
    assert member is not None and member.district_id is None and member.municipality_id is None


@pytest.mark.expected_errors
async def test_admin_is_told_of_errors_when_configured(fake: FakeTelegram, tmp_path, admin: SimUser) -> None:  # type: ignore[no-untyped-def]
    from tests.harness import running_bot

    async with running_bot(fake, tmp_path, notify_admins_on_error=True) as running:
        await admin.send("/hilfe")
        await expect(admin, "Was ich kann")
        uli = fake.user(1604, "Uli")
        await join(uli)

        async def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("boom")

        running.services.membership.export = broken  # type: ignore[method-assign]
        await uli.send("/meinedaten")
        await expect(uli, "etwas schiefgegangen")
        notice = await expect(admin, "Fehler bei Update")
        assert "RuntimeError" in notice.text and "boom" not in notice.text

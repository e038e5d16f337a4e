"""`/profil`: every stored field shown, each one changeable; stale buttons change nothing."""

from __future__ import annotations

import pytest

from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.membership.service import PRIVACY_VERSION
from tests.harness import RunningBot
from tests.story import choose, expect, join, toggle_and_finish
from tests.texts import fragment, line, said


async def test_profile_shows_and_changes_every_field(fake: FakeTelegram, bot: RunningBot) -> None:
    rita = fake.user(1601, "Rita", last_name="Roth")
    await join(rita)
    await rita.send("/profil")
    profile = await expect(rita, fragment("profile-show"))
    for shown in (
        "Rita Roth",
        "Deutsch",
        "Landkreis Rostock",
        "Barlachstadt Güstrow",
        "Kreistag Rostock – Fachsprecher:in (Bildung)",
        line("profile-show", topics="Wohnen"),
        said("status-pending"),
        line("profile-show", consent_version=PRIVACY_VERSION, consent_at="2026-11-21"),
    ):
        assert shown in profile.text, shown

    await rita.press(profile, said("profile-edit-name"))
    await expect(rita, said("wizard-name"))
    await rita.send("<b>Rita</b> & Co 🎉")
    profile = await expect(rita, fragment("profile-show"))
    assert "Name: <b>Rita</b> & Co 🎉" in profile.text  # shown literally, not as bold markup

    await rita.press(profile, said("profile-edit-mandates"))
    await choose(rita, fragment("wizard-mandates"), said("wizard-mandates-clear"))
    await choose(rita, said("wizard-mandates-none"), said("wizard-mandates-done"))
    profile = await expect(rita, fragment("profile-show"))
    assert "Kreistag" not in profile.text

    await rita.press(profile, said("profile-edit-topics"))
    await toggle_and_finish(rita, said("wizard-topics"), ["✅ Wohnen", "Kultur"], said("wizard-topics-done"))
    profile = await expect(rita, fragment("profile-show"))
    assert "Themen: Kultur" in profile.text

    await rita.press(profile, said("profile-edit-district"))
    await choose(rita, said("wizard-district"), "Landkreis Vorpommern-Rügen")
    await choose(rita, said("wizard-municipality"), "Hansestadt Stralsund")  # asked right after the district
    profile = await expect(rita, fragment("profile-show"))
    assert "Kreis: Landkreis Vorpommern-Rügen" in profile.text
    assert "Gemeinde: Hansestadt Stralsund" in profile.text

    await rita.press(profile, said("profile-edit-municipality"))
    await choose(rita, said("wizard-municipality"), said("wizard-municipality-none"))
    profile = await expect(rita, fragment("profile-show"))
    assert "Gemeinde: keine Angabe" in profile.text

    await rita.press(profile, said("profile-edit-municipality"))
    await choose(rita, said("wizard-municipality"), "Hansestadt Stralsund")
    profile = await expect(rita, fragment("profile-show"))
    assert "Gemeinde: Hansestadt Stralsund" in profile.text

    await rita.press(profile, said("profile-edit-directory"))
    profile = await expect(rita, fragment("profile-show"))
    assert "Im Mitgliederverzeichnis: ja" in profile.text


async def test_stale_wizard_button(fake: FakeTelegram, bot: RunningBot) -> None:
    sven = fake.user(1602, "Sven")
    await join(sven)
    old = next(m for m in sven.messages if said("wizard-district") in m.text)
    query = await sven.press(old, "Landkreis Nordwestmecklenburg")
    answer = await sven.callback_answer(query)
    assert said("common-stale") in answer["text"]
    member = await bot.services.members.by_telegram_id(1602)
    district = await bot.services.territory.territory(member.district_id or 0) if member else None
    assert district is not None and district.name == "Landkreis Rostock"


async def test_forged_wizard_values(fake: FakeTelegram, bot: RunningBot) -> None:
    tina = fake.user(1603, "Tina")
    await tina.send("/start")
    await choose(tina, fragment("start-greeting"), said("consent-accept"))
    await tina.send("Tina")
    ask = await expect(tina, said("wizard-district"))
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
        await expect(admin, fragment("help-member"))
        uli = fake.user(1604, "Uli")
        await join(uli)

        async def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("boom")

        running.services.membership.export = broken  # type: ignore[method-assign]
        await uli.send("/meinedaten")
        await expect(uli, said("error-apology"))
        notice = await expect(admin, fragment("error-admin-notice"))
        assert "RuntimeError" in notice.text and "boom" not in notice.text

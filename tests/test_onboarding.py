"""The member's story: consent, wizard, approval, and the refusals on the way."""

from __future__ import annotations

from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.membership.service import PRIVACY_VERSION
from tests.harness import RunningBot
from tests.story import approve, choose, expect, join
from tests.texts import fragment, said


async def test_join_with_consent_and_approval(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await admin.send("/hilfe")  # the admin has a chat with the bot, so cards can reach them
    await expect(admin, fragment("help-member"))
    alice = fake.user(1001, "Alina", last_name="Beispiel")
    final = await join(alice)
    assert said("onboarding-pending") in final.text

    db = bot.services.db
    row = await db.fetchone("SELECT status, display_name, role FROM members WHERE telegram_id = 1001")
    assert tuple(row) == ("pending", "Alina Beispiel", "member")
    consent = await db.fetchone("SELECT version, granted FROM consents WHERE telegram_id = 1001")
    assert tuple(consent) == (PRIVACY_VERSION, 1)

    await approve(admin, "Alina Beispiel")
    told = await expect(alice, said("approval-you-approved"))
    assert told.chat_id == 1001
    card = [m for m in admin.messages if fragment("approval-card") in m.text][-1]
    closed = said("approval-done-approved", actor=said("approval-actor-admin"))
    assert closed in card.text and "9001" not in card.text
    assert card.buttons == []
    assert await db.fetchval("SELECT status FROM members WHERE telegram_id = 1001") == "active"
    audit = await db.fetchall("SELECT action FROM audit_log")
    assert ("member.approve",) in [tuple(r) for r in audit]


async def test_profile_data_is_stored(fake: FakeTelegram, bot: RunningBot) -> None:
    alice = fake.user(1002, "Alina")
    await join(
        alice,
        name="Alina B.",
        mandate=("Kreistag", "Fachsprecher:in", ("Bildung", "Jugend")),
        topics=("Wohnen", "Kultur"),
    )
    svc = bot.services
    member = await svc.members.by_telegram_id(1002)
    assert member is not None and member.display_name == "Alina B."
    district = await svc.territory.territory(member.district_id or 0)
    place = await svc.territory.territory(member.municipality_id or 0)
    assert district is not None and district.name == "Landkreis Rostock"
    assert place is not None and place.name == "Barlachstadt Güstrow"
    [mandate] = await svc.members.mandates(member.id)
    body = await svc.territory.body(mandate.body_id)
    assert body is not None and body.name == "Kreistag Rostock" and mandate.function == "fachsprecher"
    topics = {t.id: t.name_de for t in await svc.territory.topics()}
    assert {topics[t] for t in mandate.topic_ids} == {"Bildung", "Jugend"}
    assert {topics[t] for t in await svc.members.topic_ids(member.id)} == {"Wohnen", "Kultur"}


async def test_no_mandate_and_kreisfreie_stadt(fake: FakeTelegram, bot: RunningBot) -> None:
    bea = fake.user(1003, "Bea")
    final = await join(bea, district="Landeshauptstadt Schwerin", municipality=None, mandate=None, topics=())
    assert said("onboarding-pending") in final.text
    member = await bot.services.members.by_telegram_id(1003)
    assert member is not None and member.municipality_id is None
    assert await bot.services.members.mandates(member.id) == []


async def test_declining_consent_stores_only_the_refusal(fake: FakeTelegram, bot: RunningBot) -> None:
    bob = fake.user(1010, "Bob")
    await bob.send("/start")
    await choose(bob, fragment("start-greeting"), said("consent-decline"))
    await expect(bob, said("consent-declined"))
    db = bot.services.db
    assert await db.fetchval("SELECT count(*) FROM members") == 0
    assert await db.fetchval("SELECT count(*) FROM dialogs") == 0
    rows = await db.fetchall("SELECT telegram_id, version, granted FROM consents")
    assert [tuple(r) for r in rows] == [(1010, PRIVACY_VERSION, 0)]


async def test_name_too_long_or_with_html(fake: FakeTelegram, bot: RunningBot) -> None:
    carla = fake.user(1020, "Carla")
    await carla.send("/start")
    await choose(carla, fragment("start-greeting"), said("consent-accept"))
    await expect(carla, said("wizard-name"))
    await carla.send("x" * 500)
    refusal = await expect(carla, said("profile-name-too-long", max=64, length=500))
    assert refusal.text == said("profile-name-too-long", max=64, length=500)
    member = await bot.services.members.by_telegram_id(1020)
    assert member is not None and member.display_name is None  # nothing changed
    await carla.send("<b>Carla</b> & Co 🎉")
    await expect(carla, said("wizard-district"))
    member = await bot.services.members.by_telegram_id(1020)
    assert member is not None and member.display_name == "<b>Carla</b> & Co 🎉"


async def test_unknown_district_typed(fake: FakeTelegram, bot: RunningBot) -> None:
    dana = fake.user(1030, "Dana")
    await dana.send("/start")
    await choose(dana, fragment("start-greeting"), said("consent-accept"))
    await expect(dana, said("wizard-name"))
    await dana.send("Dana")
    await expect(dana, said("wizard-district"))
    await dana.send("Oberbayern")
    await expect(dana, said("profile-district-unknown"))
    member = await bot.services.members.by_telegram_id(1030)
    assert member is not None and member.district_id is None
    await dana.send("vorpommern-rügen")  # typed, case-insensitive
    await expect(dana, said("wizard-municipality"))
    member = await bot.services.members.by_telegram_id(1030)
    district = await bot.services.territory.territory(member.district_id or 0) if member else None
    assert district is not None and district.name == "Landkreis Vorpommern-Rügen"


async def test_cancel_and_resume(fake: FakeTelegram, bot: RunningBot) -> None:
    emil = fake.user(1040, "Emil")
    await emil.send("/start")
    await choose(emil, fragment("start-greeting"), said("consent-accept"))
    await expect(emil, said("wizard-name"))
    await emil.send("/abbrechen")
    await expect(emil, said("cancel-done"))
    assert await bot.services.dialogs.get(1040) is None
    await emil.send("Hallo?")
    await expect(emil, said("common-free-text"))
    await emil.send("/start")
    await expect(emil, said("wizard-name"))  # picks up where onboarding stands


async def test_unknown_command_and_free_text(fake: FakeTelegram, bot: RunningBot) -> None:
    stranger = fake.user(1050, "Fritz")
    await stranger.send("/gibtsnicht")
    await expect(stranger, said("common-unknown-command"))
    await stranger.send("Hallo Bot")
    await expect(stranger, said("common-free-text-stranger"))
    await stranger.send("/profil")
    await expect(stranger, said("common-not-registered"))
    assert await bot.services.db.fetchval("SELECT count(*) FROM members") == 0
    assert await bot.services.db.fetchval("SELECT count(*) FROM consents") == 0


async def test_english_speaker_gets_english(fake: FakeTelegram, bot: RunningBot) -> None:
    erin = fake.user(1060, "Erin", language_code="en-GB")
    await erin.send("/start")
    greeting = await erin.next_message()
    assert fragment("start-greeting", "en") in greeting.text
    await erin.press(greeting, greeting.button_texts()[0])
    await erin.wait_for(lambda m: "name" in m.text.lower())
    member = await bot.services.members.by_telegram_id(1060)
    assert member is not None and member.language == "en"


async def test_language_switch(fake: FakeTelegram, bot: RunningBot) -> None:
    gina = fake.user(1070, "Gina")
    await join(gina)
    await gina.send("/sprache")
    await choose(gina, said("language-choose"), said("language-en"))
    await expect(gina, said("language-set", "en"))
    member = await bot.services.members.by_telegram_id(1070)
    assert member is not None and member.language == "en"
    await gina.send("/profile")
    profile = await expect(gina, fragment("profile-show", "en"))
    assert "Landkreis Rostock" in profile.text


async def test_reply_survives_flood_wait(fake: FakeTelegram, bot: RunningBot) -> None:
    xaver = fake.user(1080, "Xaver")
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=1080)
    await xaver.send("/start")
    greeting = await xaver.wait_for(lambda m: fragment("start-greeting") in m.text, timeout=10)
    assert greeting.buttons
    failed = [c for c in fake.calls if c.method == "sendMessage" and c.error_code == 429]
    assert len(failed) == 1

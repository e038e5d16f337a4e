"""Export of one's data, and erasure from every table."""

from __future__ import annotations

import json

from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.events.input import ShiftDraft
from lag_bot.membership.service import PRIVACY_VERSION
from tests.event_world import berlin, draft
from tests.harness import RunningBot
from tests.story import approve, choose, expect, join
from tests.texts import fragment, said


async def test_export_contains_everything(fake: FakeTelegram, bot: RunningBot) -> None:
    lena = fake.user(1201, "Lena", last_name="Muster")
    await join(lena)
    await lena.send("/meinedaten")
    doc = await lena.wait_for(lambda m: m.document is not None)
    assert doc.document is not None and doc.document.file_name == "meine-daten.json"
    data = json.loads(doc.document.content)
    assert data["member"]["telegram_id"] == 1201
    assert data["member"]["display_name"] == "Lena Muster"
    assert data["places"] == {"district": "Landkreis Rostock", "municipality": "Barlachstadt Güstrow"}
    assert data["mandates"][0]["body"] == "Kreistag Rostock"
    assert data["mandates"][0]["topics"] == "bildung"
    assert [t["code"] for t in data["topics"]] == ["wohnen"]
    assert data["consents"][0]["version"] == PRIVACY_VERSION and data["consents"][0]["granted"] == 1
    assert data["invites_created"] == [] and data["groups_linked"] == []


async def test_erasure_leaves_no_trace(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await admin.send("/hilfe")
    await expect(admin, fragment("help-member"))
    mia = fake.user(424242, "Mia")
    await join(mia)
    await approve(admin, "Mia")
    await expect(mia, said("approval-you-approved"))
    # She answers an event and signs up for a shift of it: both go with her.
    actor = await bot.services.authorizer.actor(admin.id)
    day = (2026, 12, 5)
    shift = ShiftDraft(berlin(*day, 10), berlin(*day, 12), 1, 2)
    stand = await bot.services.events.publishing.publish(
        actor, draft(kind="infostand", starts_at=berlin(*day, 10), ends_at=berlin(*day, 12), shifts=(shift,))
    )
    await mia.press(await expect(mia, "LAG-Sitzung Dezember"), "✅ Zusage")
    await mia.wait_for(lambda m: "Deine Antwort: Zusage" in m.text)
    member = await bot.services.members.by_telegram_id(424242)
    assert member is not None
    await bot.services.events.shifts.sign_up(member, (await bot.services.events.shifts.of_event(stand))[0].id)
    await mia.send("/austreten")
    await choose(mia, fragment("privacy-leave-confirm"), said("leave-confirm-yes"))
    await expect(mia, fragment("privacy-leave-done"))

    db = bot.services.db
    tables = [r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert "members" in tables and "audit_log" in tables
    for table in tables:
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            for value in tuple(row):
                assert "424242" not in str(value), f"{table} still holds the member: {tuple(row)}"
                assert value != "Mia", f"{table} still holds the name"
    assert await db.fetchval("SELECT count(*) FROM rsvps") == 0
    assert await db.fetchval("SELECT count(*) FROM shift_signups") == 0
    erased = await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'member.erase'")
    assert erased == 1
    # The closed approval card in the admin's chat no longer shows her details either.
    card = next(m for m in admin.messages if m.edits and m.text == said("approval-withdrawn"))
    assert "Mia" not in card.text


async def test_leave_can_be_declined(fake: FakeTelegram, bot: RunningBot) -> None:
    nora = fake.user(1203, "Nora")
    await join(nora)
    await nora.send("/austreten")
    await choose(nora, fragment("privacy-leave-confirm"), said("leave-confirm-no"))
    await expect(nora, said("leave-kept"))
    assert await bot.services.members.by_telegram_id(1203) is not None


async def test_privacy_text(fake: FakeTelegram, bot: RunningBot) -> None:
    otto = fake.user(1204, "Otto")
    await otto.send("/datenschutz")
    text = await expect(otto, fragment("privacy-full"))
    assert "Art. 9" in text.text and PRIVACY_VERSION in text.text
    assert await bot.services.db.fetchval("SELECT count(*) FROM consents") == 0


async def test_leaving_while_pending_withdraws_the_cards(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await admin.send("/hilfe")
    await expect(admin, fragment("help-member"))
    pia = fake.user(1205, "Pia", last_name="Privat")
    await join(pia)
    card = await admin.wait_for(lambda m: fragment("approval-card") in m.text and "Pia Privat" in m.text)
    await pia.send("/austreten")
    await choose(pia, fragment("privacy-leave-confirm"), said("leave-confirm-yes"))
    await expect(pia, fragment("privacy-leave-done"))
    withdrawn = next(m for m in admin.messages if m.message_id == card.message_id)
    assert withdrawn.text == said("approval-withdrawn")
    assert "Pia" not in withdrawn.text and withdrawn.buttons == []

"""Invite links: joining through one skips approval; expired, used-up and unknown codes are refused."""

from __future__ import annotations

import re

from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import RunningBot
from tests.story import choose, expect, join
from tests.texts import fragment, said

SINGLE = said("invite-preset", uses=1, count=7)


async def make_invite(admin: SimUser, preset: str) -> str:
    await admin.send("/einladen")
    await choose(admin, said("invite-choose"), preset)
    created = await expect(admin, fragment("invite-created"))
    match = re.search(r"https://t\.me/lag_test_bot\?start=([A-Za-z0-9_-]+)", created.text)
    assert match, created.text
    return match.group(1)


async def test_single_use_invite(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    code = await make_invite(admin, SINGLE)
    assert len(code) >= 22  # 128 random bits
    stored = await bot.services.db.fetchval("SELECT code_hash FROM invites")
    assert code not in stored  # only a hash is kept

    hanna = fake.user(1101, "Hanna")
    final = await join(hanna, start=f"/start {code}")
    assert said("onboarding-welcome-active") in final.text
    assert await bot.services.db.fetchval("SELECT status FROM members WHERE telegram_id = 1101") == "active"
    assert not [m for m in admin.messages if fragment("approval-card") in m.text]  # no approval needed

    ivo = fake.user(1102, "Ivo")
    await ivo.send(f"/start {code}")
    await expect(ivo, said("invite-used-up"))
    await expect(ivo, fragment("start-greeting"))  # may still join, with approval
    assert await bot.services.db.fetchval("SELECT uses FROM invites") == 1


async def test_expired_and_unknown_codes(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    code = await make_invite(admin, said("invite-preset", uses=5, count=7))
    bot.clock.advance(days=8)
    jana = fake.user(1103, "Jana")
    await jana.send(f"/start {code}")
    await expect(jana, said("invite-expired"))
    await jana.send("/start AAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    await expect(jana, said("invite-unknown"))
    await jana.send("/start <b>&amp;")
    await expect(jana, said("invite-unknown"))
    assert await bot.services.db.fetchval("SELECT uses FROM invites") == 0
    assert await bot.services.db.fetchval("SELECT count(*) FROM members") == 0


async def test_typed_invite_arguments(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await admin.send("/einladen 3 14")
    created = await expect(admin, fragment("invite-created"))
    assert "3×" in created.text
    await admin.send("/einladen 0 14")
    await expect(admin, said("invite-uses-range", max=500))
    await admin.send("/einladen viele")
    await expect(admin, said("invite-usage"))
    assert await bot.services.db.fetchval("SELECT count(*) FROM invites") == 1


async def test_member_cannot_invite(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    code = await make_invite(admin, SINGLE)
    kai = fake.user(1104, "Kai")
    await join(kai, start=f"/start {code}")
    await kai.send("/einladen")
    await expect(kai, said("auth-not-allowed"))
    message = kai.messages[-1]
    query = await kai.press_data(message, "v1:iv:mk:500:90")  # forged preset press
    answer = await kai.callback_answer(query)
    assert answer["text"] == said("auth-not-allowed")
    assert await bot.services.db.fetchval("SELECT count(*) FROM invites") == 1


async def test_invite_survives_cancel_during_onboarding(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    code = await make_invite(admin, SINGLE)
    lisa = fake.user(1105, "Lisa")
    await lisa.send(f"/start {code}")
    await choose(lisa, fragment("start-greeting"), said("consent-accept"))
    await expect(lisa, said("wizard-name"))
    await lisa.send("/abbrechen")
    await expect(lisa, said("cancel-done"))
    final = await join(lisa, start="/profil")  # /profil during onboarding continues it
    assert said("onboarding-welcome-active") in final.text
    assert await bot.services.db.fetchval("SELECT status FROM members WHERE telegram_id = 1105") == "active"


async def test_odd_typed_numbers(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await admin.send("/einladen ² 7")
    await expect(admin, said("invite-usage"))
    await admin.send("/einladen 99999999999999999999999 7")
    await expect(admin, said("invite-usage"))
    assert await bot.services.db.fetchval("SELECT count(*) FROM invites") == 0

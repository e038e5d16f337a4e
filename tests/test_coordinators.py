"""Coordinators: member list with filters, search, CSV, suspension, roles; every press re-checked."""

from __future__ import annotations

import csv
import io
import re

from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import RunningBot
from tests.story import approve, choose, expect, join
from tests.texts import fragment, said


async def _members(fake: FakeTelegram, admin: SimUser) -> tuple[SimUser, SimUser]:
    await admin.send("/hilfe")
    await expect(admin, fragment("help-member"))
    paula = fake.user(1301, "Paula")
    await join(paula)
    await approve(admin, "Paula")
    quinn = fake.user(1302, "Quinn")
    await join(
        quinn,
        district="Landkreis Vorpommern-Greifswald",
        municipality="Pasewalk",
        mandate=("Landtag", "Mitglied", ()),
    )
    return paula, quinn


async def test_list_filter_search_and_csv(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await _members(fake, admin)
    await admin.send("/mitglieder")
    listing = await expect(admin, said("members-header", total=2, page=1, pages=1))
    assert "Paula" in listing.text and "Quinn" in listing.text
    await admin.press(listing, said("members-filter-status"))
    await choose(admin, said("members-filter-choose"), said("status-pending"))
    pending = await expect(admin, said("members-header", total=1, page=1, pages=1))
    assert "Quinn" in pending.text and "Paula" not in pending.text
    await admin.press(pending, said("members-reset"))
    reset = await expect(admin, said("members-header", total=2, page=1, pages=1))
    await admin.press(reset, said("members-filter-level"))
    await choose(admin, said("members-filter-choose"), said("level-land"))
    assert "Quinn" in (await expect(admin, said("members-header", total=1, page=1, pages=1))).text
    await admin.send("/mitglieder pau")
    searched = await expect(admin, said("members-header", total=1, page=1, pages=1))
    assert "Paula" in searched.text
    await admin.press(searched, said("members-csv"))
    doc = await admin.wait_for(lambda m: m.document is not None)
    assert doc.document is not None
    rows = list(csv.reader(io.StringIO(doc.document.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == said("member-csv-name") and [r[0] for r in rows[1:]] == ["Paula"]
    since = rows[1][rows[0].index(said("member-csv-since"))]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", since), since  # as German Excel reads it
    assert rows[1][1] == said("status-active")  # values in the coordinator's language
    actions = [r[0] for r in await bot.services.db.fetchall("SELECT action FROM audit_log")]
    assert actions.count("members.list") >= 4 and "members.export" in actions


async def test_member_cannot_press_coordinator_buttons(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    paula, _quinn = await _members(fake, admin)
    quinn_id = await bot.services.db.fetchval("SELECT id FROM members WHERE telegram_id = 1302")
    last = paula.messages[-1]
    for forged in (f"v1:ap:ok:{quinn_id}", "v1:mb:csv", f"v1:mb:role:{quinn_id}:coordinator"):
        query = await paula.press_data(last, forged)
        answer = await paula.callback_answer(query)
        assert answer["text"] == said("auth-not-allowed")
    await paula.send("/mitglieder")
    await expect(paula, said("auth-not-allowed"))
    assert await bot.services.db.fetchval("SELECT status FROM members WHERE telegram_id = 1302") == "pending"
    assert await bot.services.db.fetchval("SELECT count(*) FROM audit_log WHERE action LIKE 'members.%'") == 0


async def test_approve_twice_changes_nothing(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await _members(fake, admin)
    card = await admin.wait_for(lambda m: fragment("approval-card") in m.text and "Quinn" in m.text)
    data = next(b.callback_data for row in card.buttons for b in row if b.text == said("approval-reject"))
    await admin.press(card, said("approval-approve"))
    await admin.wait_edit(card)
    query = await admin.press_data(card, data or "")
    answer = await admin.callback_answer(query)
    assert said("approval-already-decided") in answer["text"]
    assert await bot.services.db.fetchval("SELECT status FROM members WHERE telegram_id = 1302") == "active"


async def test_promote_suspend_and_menus(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    paula, _ = await _members(fake, admin)
    await admin.send("/mitglieder paula")
    listing = await expect(admin, said("members-header", total=1, page=1, pages=1))
    await admin.press(listing, "Paula")
    card = await expect(admin, "Status: aktiv")
    await admin.press(card, said("members-make-coordinator"))
    role = said("role-coordinator")
    await expect(admin, said("members-changed", name="Paula", status=said("status-active"), role=role))
    assert (
        await bot.services.db.fetchval("SELECT role FROM members WHERE telegram_id = 1301") == "coordinator"
    )
    menu = [c["command"] for c in fake.commands({"type": "chat", "chat_id": 1301}, "")]
    assert "mitglieder" in menu and "einladen" in menu
    # The new coordinator now can open the list; a coordinator cannot suspend another coordinator.
    await paula.send("/mitglieder")
    await expect(paula, said("members-header", total=2, page=1, pages=1))
    await admin.press(card, said("members-suspend"))
    await expect(admin, said("members-changed", name="Paula", status=said("status-suspended"), role=role))
    assert (
        await bot.services.db.fetchval("SELECT status FROM members WHERE telegram_id = 1301") == "suspended"
    )
    await paula.send("/mitglieder")
    await expect(paula, said("auth-not-allowed"))
    actions = {r[0] for r in await bot.services.db.fetchall("SELECT action FROM audit_log")}
    assert {"member.role", "member.suspend", "member.view", "member.approve"} <= actions


async def test_rejected_member_can_apply_again(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await admin.send("/hilfe")
    await expect(admin, fragment("help-member"))
    rolf = fake.user(1303, "Rolf")
    await join(rolf)
    card = await admin.wait_for(lambda m: fragment("approval-card") in m.text and "Rolf" in m.text)
    await admin.press(card, said("approval-reject"))
    await expect(rolf, said("approval-you-rejected"))
    await rolf.send("/start")
    await choose(rolf, said("start-rejected"), said("start-reapply"))
    final = await join(rolf, start="", mandate=None, topics=())  # the button opened the wizard
    assert said("onboarding-pending") in final.text
    again = await admin.wait_for(
        lambda m: fragment("approval-card") in m.text and "Rolf" in m.text and bool(m.buttons)
    )
    assert again.message_id != card.message_id
    assert await bot.services.db.fetchval("SELECT status FROM members WHERE telegram_id = 1303") == "pending"


async def test_suspended_member_is_told_and_list_text_falls_back(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    paula, _ = await _members(fake, admin)
    await admin.send("/mitglieder paula")
    listing = await expect(admin, said("members-header", total=1, page=1, pages=1))
    await admin.press(listing, "Paula")
    card = await expect(admin, "Status: aktiv")
    await admin.press(card, said("members-suspend"))
    await expect(paula, said("members-you-suspended"))
    await admin.send("Hallo")  # not a search: the list dialog does not swallow it
    await expect(admin, said("common-free-text-stranger"))  # this admin has no profile yet
    query = await admin.press(card, said("members-suspend"))  # pressed twice: already suspended
    assert said("common-stale") in (await admin.callback_answer(query))["text"]

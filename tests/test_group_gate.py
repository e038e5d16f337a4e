"""Groups follow membership (issue 18), end to end through the real application and the emulator:
join requests answered by the LAG's membership, the rights check when the gate is switched on,
removal after suspension and /austreten, forged confirmations, and the bot losing its rights; and
the emulator's group-admin methods as strict as Telegram. (About 350 lines: the stories share the
set-up helpers at the top.)"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from telegram import Bot, ChatMemberAdministrator
from telegram.error import BadRequest

from lag_bot.callbacks import Feature, encode
from lag_bot.emulator import FakeTelegram, SimGroup, SimMessage, SimUser
from tests.harness import TOKEN, RunningBot
from tests.story import approve, choose, expect, join
from tests.texts import fragment, said


async def _until(probe: Callable[[], Awaitable[object]], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if await probe():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached")


async def _linked_group(fake: FakeTelegram, admin: SimUser, chat_id: int = -1007001) -> SimGroup:
    """A supergroup the admin added the bot to and linked to the whole LAG (the admin has started
    the bot, so that it can write to them)."""
    await admin.send("/hilfe")
    await admin.next_message()
    group = fake.group(chat_id, "LAG Kommunalpolitik", supergroup=True)
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: "/verbinden" in m.text)
    await admin.send_in(group, "/verbinden")
    choice = await group.wait_for(lambda m: said("groups-link-choose") in m.text)
    await admin.press(choice, said("groups-link-lag"))
    await group.wait_for(lambda m: fragment("groups-linked") in m.text)
    return group


async def _gate_screen(group: SimGroup, admin: SimUser) -> SimMessage:
    await admin.send_in(group, "/gruppe")
    return await group.wait_for(lambda m: fragment("gate-screen") in m.text and bool(m.buttons))


async def _members_only(group: SimGroup, admin: SimUser) -> str:
    """Switch "members only" on; the join-request link the bot made."""
    screen = await _gate_screen(group, admin)
    await admin.press(screen, said("gate-btn-members-only-on"))
    edited = await group.wait_edit(screen)
    assert said("gate-btn-members-only-off") in edited.button_texts()
    links = [link for link, requests in group.invite_links.items() if requests]
    assert len(links) == 1 and links[0] in edited.text
    return links[0]


async def _member(fake: FakeTelegram, admin: SimUser, user_id: int, name: str) -> SimUser:
    person = fake.user(user_id, name)
    await join(person)
    await approve(admin, name)
    await expect(person, said("approval-you-approved"))
    return person


async def _audit(bot: RunningBot, action: str) -> int:
    return int(await bot.services.db.fetchval("SELECT count(*) FROM audit_log WHERE action = ?", (action,)))


async def test_rights_are_checked_when_members_only_is_switched_on(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = await _linked_group(fake, admin)
    group.bot_rights = {"can_invite_users": False}
    screen = await _gate_screen(group, admin)
    await admin.press(screen, said("gate-btn-members-only-on"))
    refusal = await group.wait_for(lambda m: fragment("gate-missing") in m.text)
    assert refusal.text == said("gate-missing", missing=said("gate-right-invite"))
    assert fake.calls_of("createChatInviteLink") == [] and group.invite_links == {}

    group.bot_admin = False  # not an admin at all: that is what is missing
    await admin.press(screen, said("gate-btn-members-only-on"))
    refusal = await group.wait_for(lambda m: fragment("gate-missing") in m.text)
    assert said("gate-right-admin") in refusal.text
    gate = await bot.services.group_gate.repo.gate(group.id)
    assert gate is not None and not gate.members_only and gate.join_link is None

    group.bot_admin, group.bot_rights = True, {}
    link = await _members_only(group, admin)
    call = fake.calls_of("createChatInviteLink")[-1]
    assert call.ok and call.params["creates_join_request"] in (True, "true", "True")
    gate = await bot.services.group_gate.repo.gate(group.id)
    assert gate is not None and gate.members_only and gate.join_link == link
    assert await _audit(bot, "group.gate") == 1

    # Automatic removal needs the right to ban.
    group.bot_rights = {"can_restrict_members": False}
    screen = await _gate_screen(group, admin)
    await admin.press(screen, said("gate-btn-auto-remove-on"))
    refusal = await group.wait_for(lambda m: fragment("gate-missing") in m.text)
    assert refusal.text == said("gate-missing", missing=said("gate-right-restrict"))


async def test_join_requests_are_answered_by_membership(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = await _linked_group(fake, admin)
    link = await _members_only(group, admin)

    sara = await _member(fake, admin, 7101, "Sara")
    # /profil offers the group, with a button that opens the join-request link.
    await sara.send("/profil")
    offer = await expect(sara, fragment("gate-offer"))
    assert [b.url for row in offer.buttons for b in row] == [link]
    await fake.group_of_link(link).request_join(sara, link)
    welcome = await expect(sara, said("gate-join-approved", group=group.title))
    assert welcome.chat_id == sara.id and sara.id in group.members
    assert await _audit(bot, "group.join_approve") == 1
    # Now that she is in, /profil no longer offers it.
    await sara.send("/profil")
    await sara.next_message()  # the profile, and no offer after it
    await sara.no_message(within=0.3)

    # Someone who never wrote to the bot: declined, told why and how to join.
    rudi = fake.user(7102, "Rudi")
    await group.request_join(rudi, link)
    told = await rudi.wait_for(lambda m: fragment("gate-join-not-member") in m.text)
    assert told.text == said("gate-join-not-member", group=group.title) and "/start" in told.text
    assert rudi.id not in group.members and rudi.id not in group.join_requests
    # A member still waiting for approval: declined with that reason.
    paul = fake.user(7103, "Paul")
    await join(paul)
    await group.request_join(paul, link)
    await paul.wait_for(lambda m: m.text == said("gate-join-pending", group=group.title))
    assert paul.id not in group.members
    assert await _audit(bot, "group.join_decline") == 2

    # A group that is not linked (an admin there made a join-request link by hand).
    other = fake.group(-1007002, "Stammtisch", supergroup=True)
    await other.add_bot(by=admin)
    await other.wait_for(lambda m: "/verbinden" in m.text)
    await rudi.send_in(other, "/gruppe")  # only coordinators set the gate, only in a linked group
    await other.wait_for(lambda m: m.text == said("groups-link-coordinators-only"))
    await admin.send_in(other, "/gruppe")
    await other.wait_for(lambda m: m.text == said("gate-not-linked"))
    other.invite_links["https://t.me/+handmade"] = True
    await other.request_join(sara, "https://t.me/+handmade")
    await sara.wait_for(lambda m: m.text == said("gate-join-not-linked", group="Stammtisch"))
    assert sara.id not in other.members


async def test_suspended_member_is_listed_and_removed_after_confirmation(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = await _linked_group(fake, admin)
    sara = await _member(fake, admin, 7201, "Sara")
    tom = await _member(fake, admin, 7202, "Tom")
    await sara.send_in(group, "Hallo zusammen")  # the bot learns she is in the group
    await _until(lambda: _known(bot, sara))

    await admin.send("/mitglieder sara")
    listing = await expect(admin, fragment("members-header"))
    await admin.press(listing, "Sara")
    card = await expect(admin, "Status: aktiv")
    await admin.press(card, said("members-suspend"))
    notice = await admin.wait_for(lambda m: fragment("gate-leaving-suspend") in m.text)
    assert notice.text == said("gate-leaving-suspend", name="Sara", groups=group.title)
    assert sara.id in group.members  # nothing happens before the confirmation

    # A member forging the confirmation: refused, nothing changes.
    removal_id = int(await bot.services.db.fetchval("SELECT id FROM group_removals"))
    own = await tom.send("/hilfe")
    reply = await tom.wait_for(lambda m: m.message_id > own.message_id)
    query = await tom.press_data(reply, encode(Feature.GROUP_GATE, "rm", removal_id))
    assert (await tom.callback_answer(query))["text"] == said("auth-not-allowed")
    assert sara.id in group.members and fake.calls_of("banChatMember") == []

    await admin.press(notice, said("gate-btn-remove"))
    done = await admin.wait_edit(notice)
    assert said("gate-removal-done-list", groups=group.title) in done.text and not done.buttons
    assert sara.id not in group.members and sara.id not in group.banned  # banned, then unbanned
    assert [c.ok for c in fake.calls_of("banChatMember") + fake.calls_of("unbanChatMember")] == [True, True]
    assert await _audit(bot, "group.remove") == 1
    assert await bot.services.db.fetchval("SELECT count(*) FROM group_removals") == 0
    # A second press of the same confirmation changes nothing.
    query = await admin.press_data(done, encode(Feature.GROUP_GATE, "rm", removal_id))
    assert (await admin.callback_answer(query))["text"] == said("gate-removal-done")


async def _known(bot: RunningBot, person: SimUser) -> bool:
    count = await bot.services.db.fetchval(
        "SELECT count(*) FROM group_members g JOIN members m ON m.id = g.member_id WHERE m.telegram_id = ?",
        (person.id,),
    )
    return bool(count)


async def test_leaving_removes_from_a_group_with_automatic_removal(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = await _linked_group(fake, admin)
    link = await _members_only(group, admin)
    screen = await _gate_screen(group, admin)
    await admin.press(screen, said("gate-btn-auto-remove-on"))
    await group.wait_for(lambda m: said("gate-btn-auto-remove-off") in m.button_texts())
    mia = await _member(fake, admin, 7301, "Mia")
    await group.request_join(mia, link)  # joins through a join request: the bot knows she is in
    await expect(mia, said("gate-join-approved", group=group.title))
    assert await _known(bot, mia)

    await mia.send("/austreten")
    await choose(mia, fragment("privacy-leave-confirm"), said("leave-confirm-yes"))
    await expect(mia, fragment("privacy-leave-done"))
    await _until(lambda: _gone(group, mia))
    notice = await admin.wait_for(lambda m: fragment("gate-removed-auto") in m.text)
    assert notice.text == said("gate-removed-auto", groups=group.title) and not notice.buttons
    assert "Mia" not in notice.text  # who left is not named
    assert await _audit(bot, "group.remove") == 1
    db = bot.services.db
    assert await db.fetchval("SELECT count(*) FROM group_removals") == 0
    assert await db.fetchval("SELECT count(*) FROM group_members") == 0


async def _gone(group: SimGroup, person: SimUser) -> bool:
    return person.id not in group.members


async def test_leaving_without_automatic_removal_keeps_only_the_chat_ids(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = await _linked_group(fake, admin)
    ole = await _member(fake, admin, 7401, "Ole")
    await group.join(ole)  # a chat_member update tells the bot
    await _until(lambda: _known(bot, ole))
    await ole.send("/austreten")
    await choose(ole, fragment("privacy-leave-confirm"), said("leave-confirm-yes"))
    await expect(ole, fragment("privacy-leave-done"))
    notice = await admin.wait_for(lambda m: fragment("gate-leaving-leave") in m.text)
    assert notice.text == said("gate-leaving-leave", groups=group.title)
    rows = await bot.services.db.fetchall("SELECT telegram_id, reason FROM group_removals")
    assert [tuple(r) for r in rows] == [(ole.id, "leave")]
    erased = "SELECT count(*) FROM members WHERE telegram_id = ?"
    assert await bot.services.db.fetchval(erased, (ole.id,)) == 0
    await admin.press(notice, said("gate-btn-remove"))
    await admin.wait_edit(notice)
    assert ole.id not in group.members
    assert await bot.services.db.fetchval("SELECT count(*) FROM group_removals") == 0


async def test_a_removal_after_leaving_is_dropped_when_the_person_joins_again(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = await _linked_group(fake, admin)
    ole = await _member(fake, admin, 7403, "Ole")
    await group.join(ole)
    await _until(lambda: _known(bot, ole))
    await ole.send("/austreten")
    await choose(ole, fragment("privacy-leave-confirm"), said("leave-confirm-yes"))
    await expect(ole, fragment("privacy-leave-done"))
    notice = await admin.wait_for(lambda m: fragment("gate-leaving-leave") in m.text)
    # Before anyone confirms, Ole joins the LAG again and is approved: the old removal is stale.
    await join(ole)
    await approve(admin, "Ole")
    await expect(ole, said("approval-you-approved"))
    query = await admin.press(notice, said("gate-btn-remove"))
    assert (await admin.callback_answer(query))["text"] == said("gate-removal-active-again")
    assert ole.id in group.members
    assert await bot.services.db.fetchval("SELECT count(*) FROM group_removals") == 0
    assert await _audit(bot, "group.remove") == 0


async def test_losing_admin_rights_is_told_once_and_nothing_crashes(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    group = await _linked_group(fake, admin)
    link = await _members_only(group, admin)
    eva = await _member(fake, admin, 7502, "Eva")
    await eva.send_in(group, "Moin")
    await _until(lambda: _known(bot, eva))
    await group.demote_bot(by=admin)
    lost = await admin.wait_for(lambda m: fragment("gate-rights-lost") in m.text)
    assert lost.text == said("gate-rights-lost", group=group.title)

    # A join request now cannot be answered: the person hears so, the coordinators are not told again.
    lea = await _member(fake, admin, 7501, "Lea")
    await group.request_join(lea, link)
    await expect(lea, said("gate-join-later", group=group.title))
    assert fake.calls_of("approveChatJoinRequest")[-1].description == "Bad Request: CHAT_ADMIN_REQUIRED"
    await admin.no_message(within=0.3)

    # A removal cannot be done either: the list says so and keeps its button for another try.
    await admin.send("/mitglieder eva")
    await admin.press(await expect(admin, fragment("members-header")), "Eva")
    await admin.press(await expect(admin, "Status: aktiv"), said("members-suspend"))
    notice = await admin.wait_for(lambda m: fragment("gate-leaving-suspend") in m.text)
    changed = said("members-changed", name="Eva", status=said("status-suspended"), role=said("role-member"))
    await expect(admin, changed)
    await admin.press(notice, said("gate-btn-remove"))
    failed = await admin.wait_edit(notice)
    assert said("gate-removal-failed", groups=group.title) in failed.text
    assert failed.button_texts() == [said("gate-btn-remove")] and eva.id in group.members
    await admin.no_message(within=0.3)  # still no second "rights lost"

    # Rights back: the same button removes her; a later loss is told again.
    await group.promote_bot(by=admin)
    await _until(lambda: _rights_back(bot, group))
    await admin.press(failed, said("gate-btn-remove"))
    done = await admin.wait_edit(failed)
    assert said("gate-removal-done-list", groups=group.title) in done.text and not done.buttons
    assert eva.id not in group.members
    await group.demote_bot(by=admin)
    await admin.wait_for(lambda m: m.text == said("gate-rights-lost", group=group.title))


async def _rights_back(bot: RunningBot, group: SimGroup) -> bool:
    gate = await bot.services.group_gate.repo.gate(group.id)
    return gate is not None and not gate.rights_lost


async def test_a_faction_group_admits_the_faction_and_a_rejected_applicant_is_listed(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await admin.send("/hilfe")
    await admin.next_message()
    group = fake.group(-1007601, "Kreistagsfraktion Rostock", supergroup=True)
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: "/verbinden" in m.text)
    await admin.send_in(group, "/verbinden")
    choice = await group.wait_for(lambda m: said("groups-link-choose") in m.text)
    await admin.press(choice, said("groups-link-faction-kreis"))
    bodies = await group.wait_for(lambda m: said("groups-link-choose-body") in m.text)
    await admin.press(bodies, "Kreistag Rostock")
    await group.wait_for(lambda m: fragment("groups-linked") in m.text)
    link = await _members_only(group, admin)

    kai = await _member(fake, admin, 7601, "Kai")  # a mandate in the Kreistag Rostock
    await group.request_join(kai, link)
    await expect(kai, said("gate-join-approved", group=group.title))
    uwe = fake.user(7602, "Uwe")
    await join(uwe, mandate=None)
    await approve(admin, "Uwe")
    await group.request_join(uwe, link)
    await uwe.wait_for(lambda m: m.text == said("gate-join-other-group", group=group.title))
    assert kai.id in group.members and uwe.id not in group.members

    # An applicant who wrote in the group before being rejected is listed to the coordinators.
    pia = fake.user(7603, "Pia")
    await join(pia)
    await pia.send_in(group, "Hallo, ich bin neu")
    await _until(lambda: _known(bot, pia))
    card = await admin.wait_for(lambda m: fragment("approval-card") in m.text and "Pia" in m.text)
    await admin.press(card, said("approval-reject"))
    notice = await admin.wait_for(lambda m: fragment("gate-leaving-reject") in m.text)
    assert notice.text == said("gate-leaving-reject", name="Pia", groups=group.title)
    await admin.press(notice, said("gate-btn-remove"))
    await admin.wait_edit(notice)
    assert pia.id not in group.members


async def test_the_emulator_refuses_like_telegram(fake: FakeTelegram) -> None:
    admin, ann = fake.user(7701, "Ada"), fake.user(7702, "Ann")
    group = fake.group(-7703, "Basic group")
    await group.add_bot(by=admin)
    group.set_admin(admin)
    await group.join(ann)
    async with Bot(TOKEN, base_url=fake.base_url) as bot:
        with pytest.raises(BadRequest, match=r"(?i)USER_ALREADY_PARTICIPANT"):
            await bot.approve_chat_join_request(group.id, admin.id)
        with pytest.raises(BadRequest, match=r"(?i)HIDE_REQUESTER_MISSING"):
            await bot.approve_chat_join_request(group.id, fake.user(7704, "Bo").id)
        with pytest.raises(BadRequest, match=r"(?i)PARTICIPANT_ID_INVALID"):
            await bot.decline_chat_join_request(group.id, 4242)
        with pytest.raises(BadRequest, match=r"(?i)administrator of the chat"):
            await bot.ban_chat_member(group.id, admin.id)
        with pytest.raises(BadRequest, match=r"(?i)member limit"):
            await bot.create_chat_invite_link(group.id, creates_join_request=True, member_limit=5)
        assert await bot.ban_chat_member(group.id, ann.id)
        assert ann.id in group.banned and (await bot.get_chat_member(group.id, ann.id)).status == "kicked"
        with pytest.raises(BadRequest, match=r"(?i)supergroup and channel chats only"):
            await bot.unban_chat_member(group.id, ann.id)
        group.bot_rights = {"can_restrict_members": False}
        with pytest.raises(BadRequest, match=r"(?i)not enough rights to restrict"):
            await bot.ban_chat_member(group.id, admin.id)
        me = await bot.get_chat_member(group.id, bot.id)
        assert isinstance(me, ChatMemberAdministrator) and not me.can_restrict_members
        group.bot_admin = False
        with pytest.raises(BadRequest, match=r"(?i)CHAT_ADMIN_REQUIRED"):
            await bot.create_chat_invite_link(group.id, creates_join_request=True)
        assert (await bot.get_chat_member(group.id, bot.id)).status == "member"

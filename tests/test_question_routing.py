"""Where questions go: passing one on to another faction, "nicht zuständig" back to the coordinators
(who give it to another faction), all local factions of a district, and nothing for a faction the
member does not belong to."""

from __future__ import annotations

import pytest

from lag_bot.callbacks import encode
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.questions.rules import REASON_MIN
from tests.harness import RunningBot
from tests.question_world import (
    KREIS_FACTION,
    KREIS_LEVEL,
    KREISTAG,
    LAND_FACTION,
    LAND_LEVEL,
    LANDTAG,
    LOCAL_FACTION,
    answer_in,
    ask,
    card_in,
    councillor,
    faction_group,
    lead,
    send_question,
)
from tests.story import choose, expect
from tests.test_broadcast import coordinator
from tests.texts import fragment, said

pytestmark = pytest.mark.usefixtures("running_clock")


async def test_passed_on_to_the_landtag_faction(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7101, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    lt = await faction_group(fake, admin, -7102, "LT-Fraktion", LAND_FACTION, LANDTAG)
    tilo = await councillor(fake, admin, 3101, "Tilo Teich")
    kora = await councillor(fake, admin, 3102, "Kora Kreis", level=KREIS_LEVEL)
    lena = await councillor(fake, admin, 3103, "Lena Land", level=LAND_LEVEL)

    question_id = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Finanzen/Haushalt", "Wie hoch ist die FAG-Zuweisung 2027?")
    )
    card = await card_in(kt, question_id, bot=bot)

    # Kora passes it on: the choice happens in her private chat, the group stays readable.
    await kora.press(card, said("question-btn-forward"))
    levels = await expect(kora, said("question-forward-head", id=question_id))
    await kora.press(levels, said("question-pick-level-land"))
    factions = await kora.wait_edit(levels)
    await kora.press(factions, LANDTAG)
    await kora.wait_edit(factions)
    await expect(tilo, said("question-notice-forwarded", id=question_id, faction=LANDTAG))
    told = said("question-notice-forwarded-group", id=question_id, name="Kora Kreis", faction=LANDTAG)
    await kt.wait_for(lambda m: told in m.text)

    passed = await card_in(lt, question_id, bot=bot)
    assert said("question-card-via", faction=KREISTAG) in passed.text

    # The Kreistag faction no longer has it: its buttons and replies change nothing.
    query = await kora.press(card, said("question-btn-claim"))
    refusal = await kora.callback_answer(query)
    gone = said("question-target-gone", id=question_id)
    assert refusal["text"] == gone
    await kora.send_in(kt, "Doch noch eine Antwort", reply_to=card)
    await kt.wait_for(lambda m: gone in m.text)

    await lena.send_in(lt, "Rund 1,2 Mrd. Euro, siehe Haushaltsentwurf.", reply_to=passed)
    answer = await answer_in(tilo, question_id, bot)
    assert said("question-answer-by", faction=f"Fraktion {LANDTAG}", name="Lena Land") in answer.text
    assert await bot.services.db.fetchval("SELECT count(*) FROM question_answers") == 1


async def test_not_responsible_goes_back_to_the_coordinators(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7111, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    lt = await faction_group(fake, admin, -7112, "LT-Fraktion", LAND_FACTION, LANDTAG)
    tilo = await councillor(fake, admin, 3111, "Tilo Teich")
    kora = await councillor(fake, admin, 3112, "Kora Kreis", level=KREIS_LEVEL)

    question_id = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Kommt das Startchancen-Programm?")
    )
    card = await card_in(kt, question_id, bot=bot)
    await kora.press(card, said("question-btn-decline"))
    await expect(kora, said("question-write-decline", faction=KREISTAG, id=question_id))
    await kora.send("Nö")
    await expect(kora, said("question-reason-too-short", min=REASON_MIN))
    await kora.send("Das ist Landessache.")
    await expect(kora, said("question-declined", id=question_id))
    await expect(tilo, said("question-notice-declined-asker", id=question_id, faction=KREISTAG))

    reason = "Das ist Landessache."
    declined = said("question-notice-declined", id=question_id, faction=KREISTAG, reason=reason)
    notice = await expect(admin, declined)
    await admin.press(notice, said("question-btn-view"))
    detail = await expect(admin, "Kommt das Startchancen-Programm?")
    assert said("question-target-declined", reason=reason) in detail.text
    await tilo.send("/meinefragen")
    await tilo.press(await expect(tilo, lead("question-mine-head")), f"#{question_id}")
    mine = await expect(tilo, "Kommt das Startchancen-Programm?")
    # the reason is internal
    assert said("question-target-declined-plain") in mine.text and "Landessache" not in mine.text
    await admin.press(detail, said("question-btn-address"))
    levels = await expect(admin, said("question-address-head", id=question_id))
    await admin.press(levels, said("question-pick-level-land"))
    await admin.press(await admin.wait_edit(levels), LANDTAG)
    await card_in(lt, question_id)
    await expect(tilo, said("question-notice-forwarded", id=question_id, faction=LANDTAG))
    assert (
        await bot.services.db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'question.address'")
        == 1
    )


async def test_all_local_factions_of_a_district(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await coordinator(admin)
    teterow = await faction_group(
        fake, admin, -7121, "SV Teterow", LOCAL_FACTION, "Stadtvertretung Teterow"
    )
    buetzow = await faction_group(
        fake, admin, -7122, "SV Bützow", LOCAL_FACTION, "Stadtvertretung Bützow"
    )
    other = await faction_group(
        fake, admin, -7123, "SV Parchim", LOCAL_FACTION, "Stadtvertretung Parchim"
    )
    kora = await councillor(fake, admin, 3121, "Kora Kreis", level=KREIS_LEVEL)
    tom = await councillor(fake, admin, 3122, "Tom Teterow")
    bea = await councillor(fake, admin, 3123, "Bea Bützow", municipality="Bützow")

    await kora.send("/frage")
    await choose(kora, fragment("question-ask-to"), said("question-pick-all-local"))
    districts = await expect(kora, said("question-pick-all-local-district"))
    assert "Landkreis Ludwigslust-Parchim" in districts.button_texts()
    await kora.press(districts, "Landkreis Rostock")
    await choose(kora, said("question-ask-topic"), "Energie/Wärmeplanung")
    await expect(kora, lead("question-ask-text"))
    await kora.send("Wie weit seid ihr mit der kommunalen Wärmeplanung?")
    identity = await expect(kora, said("question-ask-identity"))
    await kora.press(identity, identity.button_texts()[0])
    confirm = await expect(kora, said("question-confirm-head"))
    assert said("question-to-all-local", district="Landkreis Rostock", count=2) in confirm.text
    question_id = await send_question(kora, confirm)

    teterow_card = await card_in(teterow, question_id, bot=bot)
    buetzow_card = await card_in(buetzow, question_id, bot=bot)
    assert said("question-card-scope", district="Landkreis Rostock") in teterow_card.text
    await other.no_message(0.5)
    await tom.send_in(teterow, "Ausschreibung läuft.", reply_to=teterow_card)
    await bea.send_in(buetzow, "Wir warten auf den Landkreis.", reply_to=buetzow_card)
    await kora.wait_for(lambda m: "Ausschreibung läuft." in m.text)
    await kora.wait_for(lambda m: "Wir warten auf den Landkreis." in m.text)


async def test_a_member_of_another_faction_sees_and_answers_nothing(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7131, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    await faction_group(fake, admin, -7132, "LT-Fraktion", LAND_FACTION, LANDTAG)
    tilo = await councillor(fake, admin, 3131, "Tilo Teich")
    lena = await councillor(fake, admin, 3132, "Lena Land", level=LAND_LEVEL)
    question_id = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Gibt es Geld für Schulbusse?")
    )
    await card_in(kt, question_id, bot=bot)
    target_id = await bot.services.db.fetchval(
        "SELECT id FROM question_targets WHERE question_id = ?", (question_id,)
    )

    # Lena (Landtag) forges the Kreistag faction's buttons from a message in her own chat.
    await lena.send("/hilfe")
    own = await expect(lena, said("help-member"))
    for action in ("cl", "aw", "fw", "dc"):
        query = await lena.press_data(own, encode("qc", action, target_id))
        answer = await lena.callback_answer(query)
        assert answer["text"] == said("question-not-your-faction"), action
    query = await lena.press_data(own, encode("qb", "q", question_id))
    assert (await lena.callback_answer(query))["text"] == said("auth-not-allowed")
    query = await lena.press_data(own, encode("qm", "v", question_id))
    assert (await lena.callback_answer(query))["text"] == said("question-unknown")
    query = await lena.press_data(own, encode("qs", "v", question_id))
    assert (await lena.callback_answer(query))["text"] == said("question-archive-unknown")
    await lena.no_message()

    # A stranger in the faction's group cannot answer either.
    stranger = fake.user(3139, "Sven")
    card = kt.messages[-1]
    await stranger.send_in(kt, "Ich weiß es!", reply_to=card)
    await kt.wait_for(lambda m: said("groups-not-member") in m.text)
    await tilo.no_message()
    assert await bot.services.db.fetchval("SELECT count(*) FROM question_answers") == 0
    assert await bot.services.db.fetchval("SELECT count(*) FROM dialogs WHERE kind = 'question-write'") == 0


async def test_forum_faction_gets_the_card_in_its_topic_and_answers_there(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    forum = fake.group(-1007101, "Kreistagsfraktion Rostock (Forum)", forum=True)
    await forum.add_bot(by=admin)
    await forum.wait_for(lambda m: fragment("groups-hello") in m.text)
    topic = await forum.create_topic("Fragen", by=admin)
    await admin.send_in(forum, "/verbinden", topic=topic)
    choice = await forum.wait_for(lambda m: fragment("groups-link-choose") in m.text)
    await admin.press(choice, said("groups-link-faction-kreis"))
    await admin.press(await forum.wait_for(lambda m: said("groups-link-choose-body") in m.text), KREISTAG)
    await forum.wait_for(lambda m: fragment("groups-linked") in m.text)
    tilo = await councillor(fake, admin, 3141, "Tilo Teich")
    kora = await councillor(fake, admin, 3142, "Kora Kreis", level=KREIS_LEVEL)

    question_id = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Wer zahlt die Schulbusse?")
    )
    card = await card_in(forum, question_id, bot=bot)
    assert card.message_thread_id == topic
    await kora.send_in(forum, "Der Landkreis.", reply_to=card, topic=topic)
    done = await forum.wait_for(lambda m: said("question-answer-sent", id=question_id) in m.text)
    assert done.message_thread_id == topic  # the confirmation stays in the topic
    await tilo.wait_for(lambda m: "Der Landkreis." in m.text)

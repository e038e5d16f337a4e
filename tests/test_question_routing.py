"""Where questions go: passing one on to another faction, "nicht zuständig" back to the coordinators
(who give it to another faction), all local factions of a district, and nothing for a faction the
member does not belong to."""

from __future__ import annotations

import pytest

from lag_bot.callbacks import encode
from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import RunningBot
from tests.question_world import (
    KREISTAG,
    LANDTAG,
    answer_in,
    ask,
    card_in,
    councillor,
    faction_group,
    send_question,
)
from tests.story import choose, expect
from tests.test_broadcast import coordinator

pytestmark = pytest.mark.usefixtures("running_clock")


async def test_passed_on_to_the_landtag_faction(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7101, "KT-Fraktion Rostock", "Kreistagsfraktion", KREISTAG)
    lt = await faction_group(fake, admin, -7102, "LT-Fraktion", "Landtagsfraktion", LANDTAG)
    tilo = await councillor(fake, admin, 3101, "Tilo Teich")
    kora = await councillor(fake, admin, 3102, "Kora Kreis", level="Kreistag")
    lena = await councillor(fake, admin, 3103, "Lena Land", level="Landtag")

    question_id = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Finanzen/Haushalt", "Wie hoch ist die FAG-Zuweisung 2027?")
    )
    card = await card_in(kt, question_id, bot=bot)

    # Kora passes it on: the choice happens in her private chat, the group stays readable.
    await kora.press(card, "↪️ Weitergeben")
    levels = await expect(kora, f"Frage #{question_id} weitergeben")
    await kora.press(levels, "Landtagsfraktion")
    factions = await kora.wait_edit(levels)
    await kora.press(factions, LANDTAG)
    await kora.wait_edit(factions)
    await expect(tilo, f"Deine Frage #{question_id} wurde an die Fraktion {LANDTAG} weitergegeben")
    await kt.wait_for(lambda m: f"Frage #{question_id} wurde von Kora Kreis an die Fraktion" in m.text)

    passed = await card_in(lt, question_id, bot=bot)
    assert "(weitergegeben von Fraktion Kreistag Rostock)" in passed.text

    # The Kreistag faction no longer has it: its buttons and replies change nothing.
    query = await kora.press(card, "🙋 Ich antworte")
    refusal = await kora.callback_answer(query)
    assert "liegt nicht mehr bei dieser Fraktion" in refusal["text"]
    await kora.send_in(kt, "Doch noch eine Antwort", reply_to=card)
    await kt.wait_for(lambda m: "liegt nicht mehr bei dieser Fraktion" in m.text)

    await lena.send_in(lt, "Rund 1,2 Mrd. Euro, siehe Haushaltsentwurf.", reply_to=passed)
    answer = await answer_in(tilo, question_id, bot)
    assert f"Fraktion {LANDTAG} (Lena Land)" in answer.text
    assert await bot.services.db.fetchval("SELECT count(*) FROM question_answers") == 1


async def test_not_responsible_goes_back_to_the_coordinators(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7111, "KT-Fraktion Rostock", "Kreistagsfraktion", KREISTAG)
    lt = await faction_group(fake, admin, -7112, "LT-Fraktion", "Landtagsfraktion", LANDTAG)
    tilo = await councillor(fake, admin, 3111, "Tilo Teich")
    kora = await councillor(fake, admin, 3112, "Kora Kreis", level="Kreistag")

    question_id = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Kommt das Startchancen-Programm?")
    )
    card = await card_in(kt, question_id, bot=bot)
    await kora.press(card, "🚫 Nicht zuständig")
    await expect(kora, "Warum ist die Fraktion Kreistag Rostock")
    await kora.send("Nö")
    await expect(kora, "mindestens 5 Zeichen")
    await kora.send("Das ist Landessache.")
    await expect(kora, "geht an die Koordination zurück")
    await expect(tilo, "Die Koordination gibt sie weiter")

    notice = await expect(admin, f"Frage #{question_id}: Die Fraktion Kreistag Rostock ist nicht zuständig")
    assert "Das ist Landessache." in notice.text
    await admin.press(notice, "📋 Ansehen")
    detail = await expect(admin, "Kommt das Startchancen-Programm?")
    assert "nicht zuständig („Das ist Landessache.“)" in detail.text
    await tilo.send("/meinefragen")
    await tilo.press(await expect(tilo, "Deine Fragen"), f"#{question_id}")
    mine = await expect(tilo, "Kommt das Startchancen-Programm?")
    assert "nicht zuständig" in mine.text and "Landessache" not in mine.text  # the reason is internal
    await admin.press(detail, "↪️ An (weitere) Fraktion geben")
    levels = await expect(admin, f"Frage #{question_id} an eine Fraktion geben")
    await admin.press(levels, "Landtagsfraktion")
    await admin.press(await admin.wait_edit(levels), LANDTAG)
    await card_in(lt, question_id)
    await expect(tilo, f"an die Fraktion {LANDTAG} weitergegeben")
    assert (
        await bot.services.db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'question.address'")
        == 1
    )


async def test_all_local_factions_of_a_district(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await coordinator(admin)
    teterow = await faction_group(
        fake, admin, -7121, "SV Teterow", "Fraktion in Gemeinde/Stadt", "Stadtvertretung Teterow"
    )
    buetzow = await faction_group(
        fake, admin, -7122, "SV Bützow", "Fraktion in Gemeinde/Stadt", "Stadtvertretung Bützow"
    )
    other = await faction_group(
        fake, admin, -7123, "SV Parchim", "Fraktion in Gemeinde/Stadt", "Stadtvertretung Parchim"
    )
    kora = await councillor(fake, admin, 3121, "Kora Kreis", level="Kreistag")
    tom = await councillor(fake, admin, 3122, "Tom Teterow")
    bea = await councillor(fake, admin, 3123, "Bea Bützow", municipality="Bützow")

    await kora.send("/frage")
    await choose(kora, "an wen soll sie gehen?", "📣 Alle Gemeindefraktionen eines Kreises")
    districts = await expect(kora, "Alle Gemeindefraktionen welches Kreises?")
    assert "Landkreis Ludwigslust-Parchim" in districts.button_texts()
    await kora.press(districts, "Landkreis Rostock")
    await choose(kora, "Zu welchem Thema?", "Energie/Wärmeplanung")
    await expect(kora, "Schreib jetzt deine Frage")
    await kora.send("Wie weit seid ihr mit der kommunalen Wärmeplanung?")
    identity = await expect(kora, "Wie sollen dich die Antwortenden sehen?")
    await kora.press(identity, identity.button_texts()[0])
    confirm = await expect(kora, "So geht deine Frage raus")
    assert "alle Gemeindefraktionen – Landkreis Rostock (2)" in confirm.text
    question_id = await send_question(kora, confirm)

    teterow_card = await card_in(teterow, question_id, bot=bot)
    buetzow_card = await card_in(buetzow, question_id, bot=bot)
    assert "an alle Gemeindefraktionen – Landkreis Rostock" in teterow_card.text
    await other.no_message(0.5)
    await tom.send_in(teterow, "Ausschreibung läuft.", reply_to=teterow_card)
    await bea.send_in(buetzow, "Wir warten auf den Landkreis.", reply_to=buetzow_card)
    await kora.wait_for(lambda m: "Ausschreibung läuft." in m.text)
    await kora.wait_for(lambda m: "Wir warten auf den Landkreis." in m.text)


async def test_a_member_of_another_faction_sees_and_answers_nothing(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7131, "KT-Fraktion Rostock", "Kreistagsfraktion", KREISTAG)
    await faction_group(fake, admin, -7132, "LT-Fraktion", "Landtagsfraktion", LANDTAG)
    tilo = await councillor(fake, admin, 3131, "Tilo Teich")
    lena = await councillor(fake, admin, 3132, "Lena Land", level="Landtag")
    question_id = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Gibt es Geld für Schulbusse?")
    )
    await card_in(kt, question_id, bot=bot)
    target_id = await bot.services.db.fetchval(
        "SELECT id FROM question_targets WHERE question_id = ?", (question_id,)
    )

    # Lena (Landtag) forges the Kreistag faction's buttons from a message in her own chat.
    await lena.send("/hilfe")
    own = await expect(lena, "Was ich kann")
    for action in ("cl", "aw", "fw", "dc"):
        query = await lena.press_data(own, encode("qc", action, target_id))
        answer = await lena.callback_answer(query)
        assert "zu der du nicht gehörst" in answer["text"], action
    query = await lena.press_data(own, encode("qb", "q", question_id))
    assert "nur Koordinator:innen" in (await lena.callback_answer(query))["text"]
    query = await lena.press_data(own, encode("qm", "v", question_id))
    assert "nicht für dich bestimmt" in (await lena.callback_answer(query))["text"]
    query = await lena.press_data(own, encode("qs", "v", question_id))
    assert "nicht (mehr) im Archiv" in (await lena.callback_answer(query))["text"]
    await lena.no_message()

    # A stranger in the faction's group cannot answer either.
    stranger = fake.user(3139, "Sven")
    card = kt.messages[-1]
    await stranger.send_in(kt, "Ich weiß es!", reply_to=card)
    await kt.wait_for(lambda m: "kein Mitglied der LAG" in m.text)
    await tilo.no_message()
    assert await bot.services.db.fetchval("SELECT count(*) FROM question_answers") == 0
    assert await bot.services.db.fetchval("SELECT count(*) FROM dialogs WHERE kind = 'question-write'") == 0


async def test_forum_faction_gets_the_card_in_its_topic_and_answers_there(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    forum = fake.group(-1007101, "Kreistagsfraktion Rostock (Forum)", forum=True)
    await forum.add_bot(by=admin)
    await forum.wait_for(lambda m: "/verbinden" in m.text)
    topic = await forum.create_topic("Fragen", by=admin)
    await admin.send_in(forum, "/verbinden", topic=topic)
    await admin.press(
        await forum.wait_for(lambda m: "Womit soll diese Gruppe" in m.text), "Kreistagsfraktion"
    )
    await admin.press(await forum.wait_for(lambda m: "Welches Gremium?" in m.text), KREISTAG)
    await forum.wait_for(lambda m: "verbunden mit" in m.text)
    tilo = await councillor(fake, admin, 3141, "Tilo Teich")
    kora = await councillor(fake, admin, 3142, "Kora Kreis", level="Kreistag")

    question_id = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Wer zahlt die Schulbusse?")
    )
    card = await card_in(forum, question_id, bot=bot)
    assert card.message_thread_id == topic
    await kora.send_in(forum, "Der Landkreis.", reply_to=card, topic=topic)
    done = await forum.wait_for(lambda m: "ist an die fragende Person unterwegs" in m.text)
    assert done.message_thread_id == topic  # the confirmation stays in the topic
    await tilo.wait_for(lambda m: "Der Landkreis." in m.text)

"""The whole loop of a question, in both identity modes: ask, delivery to the faction's group and
its contact person, claim, answer by reply, the answer at the asker's, follow-up, close, archive
consent from both sides, then search and the similar-question suggestion for the next asker."""

from __future__ import annotations

import pytest

from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import RunningBot
from tests.question_world import (
    KREIS_FACTION,
    KREIS_LEVEL,
    KREISTAG,
    LAND_LEVEL,
    LANDTAG,
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

GROUP_BUTTONS = [said("question-btn-claim"), said("question-btn-forward"), said("question-btn-decline")]
PRIVATE_BUTTONS = [said("question-btn-write"), said("question-btn-forward"), said("question-btn-decline")]

pytestmark = pytest.mark.usefixtures("running_clock")


async def test_pseudonymous_question_answered_in_the_group_and_archived(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7001, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    tilo = await councillor(fake, admin, 3001, "Tilo Teich")
    kora = await councillor(fake, admin, 3002, "Kora Kreis", level=KREIS_LEVEL)
    # Kai is the faction's contact person for Bildung: he gets the card privately as well.
    kai = await councillor(fake, admin, 3004, "Kai Kamp", level=KREIS_LEVEL)
    faction_id = await bot.services.db.fetchval("SELECT faction_id FROM chats WHERE chat_id = -7001")
    bildung = next(t.id for t in await bot.services.territory.topics() if t.code == "bildung")
    kai_member = await bot.services.members.by_telegram_id(kai.id)
    assert kai_member is not None
    await bot.services.factions.add_contact(
        await bot.services.authorizer.actor(admin.id), faction_id, kai_member.id, bildung
    )

    confirm = await ask(
        tilo,
        f"⭐ {KREISTAG}",
        "Bildung",
        "Wie finanziert ihr die Schulsozialarbeit im Kreishaushalt?",
        pseudonymous=True,
    )
    assert "ein Mitglied aus dem Landkreis Rostock, Gemeindeebene" in confirm.text
    assert lead("question-similar-head") not in confirm.text  # the archive is still empty
    question_id = await send_question(tilo, confirm)

    # The faction's group gets the card, with the pseudonym (its wording pinned on purpose) and
    # without the asker's name.
    card = await card_in(kt, question_id, bot=bot)
    assert "ein Mitglied aus dem Landkreis Rostock, Gemeindeebene" in card.text
    assert "Tilo" not in card.text and "Teich" not in card.text
    assert "Schulsozialarbeit" in card.text and said("question-card-topic", topic="Bildung") in card.text
    assert card.button_texts() == GROUP_BUTTONS
    private = await card_in(kai, question_id)
    assert (
        "ein Mitglied aus dem Landkreis Rostock, Gemeindeebene" in private.text and "Tilo" not in private.text
    )
    assert private.button_texts() == PRIVATE_BUTTONS

    # Kora claims it: the group sees who.
    await kora.press(card, said("question-btn-claim"))
    claimed = await kt.wait_edit(card)
    assert said("question-card-claimed-by", name="Kora Kreis") in claimed.text
    assert (await bot.services.questions.lookup.get(question_id)).status == "claimed"

    # She answers by replying to the card in the group; the answer reaches Tilo with the faction's
    # name and hers.
    await kora.send_in(kt, "Über eine Kreisumlage-Pauschale, Details im Haushaltsplan 2026.", reply_to=card)
    done = await kt.wait_for(lambda m: said("question-answer-sent", id=question_id) in m.text)
    answer = await answer_in(tilo, question_id, bot)
    assert said("question-answer-by", faction=f"Fraktion {KREISTAG}", name="Kora Kreis") in answer.text
    assert "Kreisumlage-Pauschale" in answer.text
    assert (await bot.services.questions.lookup.get(question_id)).status == "answered"

    # Tilo follows up by replying to the answer; it goes to the group, still under the pseudonym.
    await tilo.send("Gilt das auch für Förderschulen?", reply_to=answer)
    await expect(tilo, said("question-followup-sent"))
    followup = await card_in(kt, question_id, followup=True, bot=bot)
    assert "Förderschulen" in followup.text and "Tilo" not in followup.text
    await kora.send_in(kt, "Ja, für alle Schulformen.", reply_to=followup)
    second = await tilo.wait_for(lambda m: "alle Schulformen" in m.text)

    # Both sides agree to the archive; Tilo closes the question.
    await kora.press(done, said("question-btn-archive-yes"))
    await tilo.press(second, said("question-btn-close"))
    await choose(tilo, said("question-archive-ask", id=question_id), said("question-btn-archive-yes"))
    await expect(tilo, said("question-archive-now-asker", id=question_id))
    closed = await bot.services.questions.lookup.get(question_id)
    assert closed.status == "closed" and closed.archived_at is not None

    # Anyone can find it now; a similar question is suggested before it is sent again.
    mara = await councillor(fake, admin, 3003, "Mara Moor", municipality="Bützow")
    await mara.send("/frage suche Schulsozialarbeit")
    hits = await expect(mara, said("question-search-head", count=1, words="Schulsozialarbeit"))
    assert f"#{question_id}" in hits.text
    await mara.press(hits, said("question-btn-read", id=question_id))
    entry = await expect(mara, lead("question-view-archive-head", id=question_id))
    assert "Kreisumlage-Pauschale" in entry.text
    assert "Tilo" not in entry.text and "Kora" not in entry.text
    assert said("question-level-gemeinde") not in entry.text

    confirm = await ask(mara, f"⭐ {KREISTAG}", "Bildung", "Wer bezahlt bei euch die Schulsozialarbeit?")
    assert said("question-similar-head", count=1) in confirm.text and f"#{question_id}" in confirm.text
    await mara.press(confirm, said("question-btn-helps"))
    await expect(mara, said("question-ask-helped"))
    assert await bot.services.db.fetchval("SELECT count(*) FROM questions") == 1


async def test_named_question_to_a_contact_person_answered_in_private(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    lena = await councillor(fake, admin, 3011, "Lena Land", level=LAND_LEVEL)
    tilo = await councillor(fake, admin, 3012, "Tilo Teich")

    # The Landtag faction has no group: a coordinator sets it up with Lena as contact for Bildung,
    # answering as a faction.
    await admin.send("/fraktionen")
    levels = await expect(admin, said("faction-choose-level"))
    await admin.press(levels, said("faction-level-land"))
    bodies = await admin.wait_edit(levels)
    await admin.press(bodies, f"➕ {LANDTAG}")
    screen = await admin.wait_edit(bodies)
    assert fragment("faction-none") in screen.text
    await admin.press(screen, said("faction-btn-create"))
    screen = await admin.wait_edit(screen)
    assert said("faction-unreachable") in screen.text
    await admin.press(screen, said("faction-btn-answer-as"))
    screen = await admin.wait_edit(screen)
    assert said("faction-answer-as-faction") in screen.text
    await admin.press(screen, said("faction-btn-add-contact"))
    await choose(admin, said("faction-contact-choose", faction=LANDTAG), "Lena Land")
    topics = await expect(admin, said("faction-contact-topic", name="Lena Land", faction=LANDTAG))
    await admin.press(topics, "Bildung")
    screen = await admin.wait_edit(topics)
    assert said("faction-contact-added") in screen.text and "Lena Land – Bildung" in screen.text

    confirm = await ask(
        tilo, f"⭐ {LANDTAG}", "Bildung", "Was ändert das neue Kita-Gesetz für die Gemeindehaushalte?"
    )
    assert "Du erscheinst als: Tilo Teich (Stadtvertretung Teterow)" in confirm.text  # pinned on purpose
    question_id = await send_question(tilo, confirm)

    card = await card_in(lena, question_id, bot=bot)
    assert "Von: Tilo Teich (Stadtvertretung Teterow)" in card.text
    assert card.button_texts() == PRIVATE_BUTTONS
    await lena.press(card, said("question-btn-write"))
    await expect(lena, lead("question-write-answer", id=question_id))
    await lena.send("Die Landeszuweisung je Kita-Platz steigt; Details folgen im Erlass.")
    done = await expect(lena, said("question-answer-sent", id=question_id))

    answer = await answer_in(tilo, question_id, bot)
    assert f"{said('question-faction', name=LANDTAG)}:" in answer.text and "Lena" not in answer.text

    # Follow-up from /meinefragen; Lena answers it by replying to it in her private chat.
    await tilo.send("/meinefragen")
    listing = await expect(tilo, lead("question-mine-head"))
    assert said("question-status-answered") in listing.text
    await tilo.press(listing, f"#{question_id}")
    detail = await expect(tilo, lead("question-view-head", id=question_id))
    assert "Landeszuweisung" in detail.text and said("question-target-answered") in detail.text
    await tilo.press(detail, said("question-btn-followup", faction=LANDTAG))
    await expect(tilo, said("question-write-followup", id=question_id, faction=LANDTAG))
    await tilo.send("Ab wann gilt das?")
    await expect(tilo, said("question-followup-sent"))
    followup = await card_in(lena, question_id, followup=True, bot=bot)
    assert "Tilo Teich" in followup.text and "Ab wann gilt das?" in followup.text
    await lena.send("Ab dem Kita-Jahr 2027.", reply_to=followup)
    await expect(lena, said("question-answer-sent", id=question_id))
    await tilo.wait_for(lambda m: "Kita-Jahr 2027" in m.text)

    # The faction agrees to the archive, the asker does not: it stays out.
    await lena.press(done, said("question-btn-archive-yes"))
    await lena.wait_edit(done)
    await tilo.press(answer, said("question-btn-close"))
    await choose(tilo, said("question-archive-ask", id=question_id), said("question-btn-archive-no"))
    await expect(tilo, said("question-archive-asker-no", id=question_id))
    assert (await bot.services.questions.lookup.get(question_id)).archived_at is None
    await tilo.send("/frage suche Kita-Gesetz")
    await expect(tilo, said("question-search-none", words="Kita-Gesetz"))


async def test_commands_in_the_menus(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    private_de = [c["command"] for c in fake.commands({"type": "all_private_chats"}, "")]
    private_en = [c["command"] for c in fake.commands({"type": "all_private_chats"}, "en")]
    assert {"frage", "meinefragen"} <= set(private_de) and {"ask", "myquestions"} <= set(private_en)
    assert "fraktionen" not in private_de  # coordinators get theirs per chat
    await coordinator(admin)
    await admin.send("/hilfe")
    await expect(admin, "/meinefragen")
    coordinators = await expect(admin, said("help-coordinator"))
    assert "/fraktionen" in coordinators.text and "/statistik" in coordinators.text

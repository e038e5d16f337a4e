"""The whole loop of a question, in both identity modes: ask, delivery to the faction's group and
its contact person, claim, answer by reply, the answer at the asker's, follow-up, close, archive
consent from both sides, then search and the similar-question suggestion for the next asker."""

from __future__ import annotations

import pytest

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


async def test_pseudonymous_question_answered_in_the_group_and_archived(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7001, "KT-Fraktion Rostock", "Kreistagsfraktion", KREISTAG)
    tilo = await councillor(fake, admin, 3001, "Tilo Teich")
    kora = await councillor(fake, admin, 3002, "Kora Kreis", level="Kreistag")
    # Kai is the faction's contact person for Bildung: he gets the card privately as well.
    kai = await councillor(fake, admin, 3004, "Kai Kamp", level="Kreistag")
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
    assert "ähnliche" not in confirm.text  # the archive is still empty
    question_id = await send_question(tilo, confirm)

    # The faction's group gets the card, with the pseudonym and without the asker's name.
    card = await card_in(kt, question_id, bot=bot)
    assert "ein Mitglied aus dem Landkreis Rostock, Gemeindeebene" in card.text
    assert "Tilo" not in card.text and "Teich" not in card.text
    assert "Schulsozialarbeit" in card.text and "Thema: Bildung" in card.text
    assert card.button_texts() == ["🙋 Ich antworte", "↪️ Weitergeben", "🚫 Nicht zuständig"]
    private = await card_in(kai, question_id)
    assert (
        "ein Mitglied aus dem Landkreis Rostock, Gemeindeebene" in private.text and "Tilo" not in private.text
    )
    assert private.button_texts() == ["✍️ Antworten", "↪️ Weitergeben", "🚫 Nicht zuständig"]

    # Kora claims it: the group sees who.
    await kora.press(card, "🙋 Ich antworte")
    claimed = await kt.wait_edit(card)
    assert "Kora Kreis kümmert sich darum" in claimed.text
    assert (await bot.services.questions.lookup.get(question_id)).status == "claimed"

    # She answers by replying to the card in the group; the answer reaches Tilo with the faction's
    # name and hers.
    await kora.send_in(kt, "Über eine Kreisumlage-Pauschale, Details im Haushaltsplan 2026.", reply_to=card)
    done = await kt.wait_for(lambda m: "ist an die fragende Person unterwegs" in m.text)
    answer = await answer_in(tilo, question_id, bot)
    assert "Fraktion Kreistag Rostock (Kora Kreis)" in answer.text
    assert "Kreisumlage-Pauschale" in answer.text
    assert (await bot.services.questions.lookup.get(question_id)).status == "answered"

    # Tilo follows up by replying to the answer; it goes to the group, still under the pseudonym.
    await tilo.send("Gilt das auch für Förderschulen?", reply_to=answer)
    await expect(tilo, "Nachfrage ist unterwegs")
    followup = await card_in(kt, question_id, followup=True, bot=bot)
    assert "Förderschulen" in followup.text and "Tilo" not in followup.text
    await kora.send_in(kt, "Ja, für alle Schulformen.", reply_to=followup)
    second = await tilo.wait_for(lambda m: "alle Schulformen" in m.text)

    # Both sides agree to the archive; Tilo closes the question.
    await kora.press(done, "📚 Ins Archiv")
    await tilo.press(second, "🔒 Schließen")
    await choose(tilo, "Darf Frage #", "📚 Ins Archiv")
    await expect(tilo, "steht jetzt im Archiv")
    closed = await bot.services.questions.lookup.get(question_id)
    assert closed.status == "closed" and closed.archived_at is not None

    # Anyone can find it now; a similar question is suggested before it is sent again.
    mara = await councillor(fake, admin, 3003, "Mara Moor", municipality="Bützow")
    await mara.send("/frage suche Schulsozialarbeit")
    hits = await expect(mara, "Treffer im Archiv")
    assert f"#{question_id}" in hits.text
    await mara.press(hits, f"📖 #{question_id} lesen")
    entry = await expect(mara, f"Archiv: Frage #{question_id}")
    assert "Kreisumlage-Pauschale" in entry.text
    assert "Tilo" not in entry.text and "Kora" not in entry.text and "Gemeindeebene" not in entry.text

    confirm = await ask(mara, f"⭐ {KREISTAG}", "Bildung", "Wer bezahlt bei euch die Schulsozialarbeit?")
    assert "ähnliche Frage" in confirm.text and f"#{question_id}" in confirm.text
    await mara.press(confirm, "✅ Das hilft mir schon")
    await expect(mara, "nicht gesendet")
    assert await bot.services.db.fetchval("SELECT count(*) FROM questions") == 1


async def test_named_question_to_a_contact_person_answered_in_private(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    lena = await councillor(fake, admin, 3011, "Lena Land", level="Landtag")
    tilo = await councillor(fake, admin, 3012, "Tilo Teich")

    # The Landtag faction has no group: a coordinator sets it up with Lena as contact for Bildung,
    # answering as a faction.
    await admin.send("/fraktionen")
    levels = await expect(admin, "welche Ebene?")
    await admin.press(levels, "Landtag")
    bodies = await admin.wait_edit(levels)
    await admin.press(bodies, f"➕ {LANDTAG}")
    screen = await admin.wait_edit(bodies)
    assert "noch keine Fraktion" in screen.text
    await admin.press(screen, "➕ Fraktion anlegen")
    screen = await admin.wait_edit(screen)
    assert "kommen hier keine Fragen an" in screen.text
    await admin.press(screen, "🏷 Namen in Antworten umschalten")
    screen = await admin.wait_edit(screen)
    assert "nur den Namen der Fraktion" in screen.text
    await admin.press(screen, "➕ Ansprechperson")
    await choose(admin, "Wer ist Ansprechperson", "Lena Land")
    topics = await expect(admin, "Für welches Thema ist Lena Land")
    await admin.press(topics, "Bildung")
    screen = await admin.wait_edit(topics)
    assert "Ansprechperson eingetragen" in screen.text and "Lena Land – Bildung" in screen.text

    confirm = await ask(
        tilo, f"⭐ {LANDTAG}", "Bildung", "Was ändert das neue Kita-Gesetz für die Gemeindehaushalte?"
    )
    assert "Du erscheinst als: Tilo Teich (Stadtvertretung Teterow)" in confirm.text
    question_id = await send_question(tilo, confirm)

    card = await card_in(lena, question_id, bot=bot)
    assert "Von: Tilo Teich (Stadtvertretung Teterow)" in card.text
    assert card.button_texts() == ["✍️ Antworten", "↪️ Weitergeben", "🚫 Nicht zuständig"]
    await lena.press(card, "✍️ Antworten")
    await expect(lena, f"Schreib jetzt deine Antwort auf Frage #{question_id}")
    await lena.send("Die Landeszuweisung je Kita-Platz steigt; Details folgen im Erlass.")
    done = await expect(lena, "ist an die fragende Person unterwegs")

    answer = await answer_in(tilo, question_id, bot)
    assert f"von Fraktion {LANDTAG}:" in answer.text and "Lena" not in answer.text

    # Follow-up from /meinefragen; Lena answers it by replying to it in her private chat.
    await tilo.send("/meinefragen")
    listing = await expect(tilo, "Deine Fragen")
    assert "beantwortet" in listing.text
    await tilo.press(listing, f"#{question_id}")
    detail = await expect(tilo, f"Frage #{question_id}")
    assert "Landeszuweisung" in detail.text and "hat geantwortet" in detail.text
    await tilo.press(detail, f"↩️ Nachfrage an {LANDTAG}")
    await expect(tilo, "Schreib jetzt deine Nachfrage")
    await tilo.send("Ab wann gilt das?")
    await expect(tilo, "Nachfrage ist unterwegs")
    followup = await card_in(lena, question_id, followup=True, bot=bot)
    assert "Tilo Teich" in followup.text and "Ab wann gilt das?" in followup.text
    await lena.send("Ab dem Kita-Jahr 2027.", reply_to=followup)
    await expect(lena, "ist an die fragende Person unterwegs")
    await tilo.wait_for(lambda m: "Kita-Jahr 2027" in m.text)

    # The faction agrees to the archive, the asker does not: it stays out.
    await lena.press(done, "📚 Ins Archiv")
    await lena.wait_edit(done)
    await tilo.press(answer, "🔒 Schließen")
    await choose(tilo, "Darf Frage #", "Nicht archivieren")
    await expect(tilo, "bleibt aus dem Archiv heraus")
    assert (await bot.services.questions.lookup.get(question_id)).archived_at is None
    await tilo.send("/frage suche Kita-Gesetz")
    await expect(tilo, "Im Archiv steht nichts")


async def test_commands_in_the_menus(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    private_de = [c["command"] for c in fake.commands({"type": "all_private_chats"}, "")]
    private_en = [c["command"] for c in fake.commands({"type": "all_private_chats"}, "en")]
    assert {"frage", "meinefragen"} <= set(private_de) and {"ask", "myquestions"} <= set(private_en)
    assert "fraktionen" not in private_de  # coordinators get theirs per chat
    await coordinator(admin)
    await admin.send("/hilfe")
    await expect(admin, "/meinefragen")
    coordinators = await expect(admin, "Für Koordinator:innen")
    assert "/fraktionen" in coordinators.text and "/statistik" in coordinators.text

"""Bad input in the relay: each gets a clear answer in the user's language, and nothing is routed
wrongly or changed."""

from __future__ import annotations

import pytest

from lag_bot.callbacks import encode
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.questions.models import QUESTION_MAX
from tests.harness import RunningBot
from tests.question_world import (
    KREIS_FACTION,
    KREIS_LEVEL,
    KREISTAG,
    LANDTAG,
    answer_in,
    ask,
    card_in,
    councillor,
    faction_group,
    lead,
    send_question,
)
from tests.story import choose, expect, join
from tests.test_broadcast import coordinator
from tests.texts import fragment, said

pytestmark = pytest.mark.usefixtures("running_clock")


async def _questions(bot: RunningBot) -> int:
    return int(await bot.services.db.fetchval("SELECT count(*) FROM questions"))


async def test_empty_overlong_and_html_questions(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7401, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    tilo = await councillor(fake, admin, 3401, "Tilo Teich")

    await tilo.send("/frage")
    await choose(tilo, fragment("question-ask-to"), f"⭐ {KREISTAG}")
    await choose(tilo, said("question-ask-topic"), said("question-topic-none"))
    await expect(tilo, said("question-ask-text", max=QUESTION_MAX))
    await tilo.send("   \n\n  ")
    await expect(tilo, said("question-empty"))
    await tilo.send("x" * (QUESTION_MAX + 1))
    await expect(tilo, said("question-too-long", length=QUESTION_MAX + 1, max=QUESTION_MAX))
    assert await _questions(bot) == 0

    # Markup is kept as typed and shown as text: it can break no message.
    await tilo.send("Kosten <b>fett</b> & <script>alert(1)</script> < 5 Mio?")
    identity = await expect(tilo, said("question-ask-identity"))
    await tilo.press(identity, identity.button_texts()[0])
    confirm = await expect(tilo, said("question-confirm-head"))
    assert "Kosten <b>fett</b> & <script>alert(1)</script> < 5 Mio?" in confirm.text
    question_id = await send_question(tilo, confirm)
    card = await card_in(kt, question_id)
    assert "Kosten <b>fett</b> & <script>alert(1)</script> < 5 Mio?" in card.text
    assert card.html is not None and "&lt;script&gt;" in card.html

    # A search as long as Telegram allows is quoted shortened: the answer stays one valid message.
    await tilo.send("/frage suche " + "Wärmeplanung " * 310)
    none = await expect(tilo, lead("question-search-none"))
    assert len(none.text) < 300


async def test_typed_text_in_the_wrong_step_and_strangers(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    await faction_group(fake, admin, -7411, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    tilo = await councillor(fake, admin, 3411, "Tilo Teich")
    await tilo.send("/frage")
    await expect(tilo, fragment("question-ask-to"))
    await tilo.send("Meine Frage lautet …")
    await expect(tilo, said("question-ask-use-buttons"))

    pia = fake.user(3412, "Pia")
    await join(pia, name="Pia Pending")  # waits for approval
    await pia.send("/frage")
    await expect(pia, said("question-members-only"))
    await fake.user(3413, "Sven").send("/frage")
    assert await _questions(bot) == 0


async def test_unreachable_or_unknown_factions_are_refused(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    tilo = await councillor(fake, admin, 3421, "Tilo Teich")
    # A faction that exists but has neither a group nor a contact person is not offered ...
    await admin.send("/fraktionen")
    levels = await expect(admin, said("faction-choose-level"))
    await admin.press(levels, said("faction-level-land"))
    bodies = await admin.wait_edit(levels)
    await admin.press(bodies, f"➕ {LANDTAG}")
    screen = await admin.wait_edit(bodies)
    await admin.press(screen, said("faction-btn-create"))
    await admin.wait_edit(screen)
    faction_id = await bot.services.db.fetchval("SELECT id FROM factions")

    await tilo.send("/frage")
    start = await expect(tilo, fragment("question-ask-to"))
    assert not any(label.startswith("⭐") for label in start.button_texts())
    await tilo.press(start, said("question-pick-other"))
    levels = await tilo.wait_edit(start)
    await tilo.press(levels, said("question-pick-level-land"))
    none = await tilo.wait_edit(levels)
    assert said("question-pick-none") in none.text

    # ... and a forged choice of it (or of one that does not exist, or of a district) is refused.
    forged = (
        (encode("qa", "f", faction_id), said("question-faction-unreachable", faction=LANDTAG)),
        (encode("qa", "f", 999), said("question-faction-unknown")),
        (encode("qa", "a", 999), said("question-district-unknown")),
    )
    for data, refusal in forged:
        query = await tilo.press_data(none, data)
        assert (await tilo.callback_answer(query))["text"] == refusal, data
    await tilo.no_message()
    dialog = await bot.services.dialogs.get(tilo.id)
    assert dialog is not None and dialog.step == "to"
    assert await _questions(bot) == 0


async def test_unrelated_replies_forged_buttons_and_a_closed_question(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7431, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    tilo = await councillor(fake, admin, 3431, "Tilo Teich")
    kora = await councillor(fake, admin, 3432, "Kora Kreis", level=KREIS_LEVEL)
    question_id = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Wie viele Schulen gibt es?")
    )
    card = await card_in(kt, question_id, bot=bot)

    # A reply to the bot's link confirmation is no answer; a reply to a person's message is ignored.
    linked = next(m for m in kt.messages if fragment("groups-linked") in m.text)
    await kora.send_in(kt, "Zwölf.", reply_to=linked)
    await kt.wait_for(lambda m: said("question-reply-unrelated") in m.text)
    chat = await kora.send_in(kt, "Wer weiß das?")
    await kora.send_in(kt, "Zwölf, glaube ich.", reply_to=chat)
    await kt.no_message(0.5)

    # Forged or garbled "Ich antworte" presses change nothing.
    for data, refusal in (
        (encode("qc", "cl", 999), said("question-unknown")),
        ("v1:qc:cl:abc", said("common-stale")),
        ("v1:qc:cl", said("common-stale")),
    ):
        query = await kora.press_data(card, data)
        assert (await kora.callback_answer(query))["text"] == refusal, data
    assert (await bot.services.questions.lookup.get(question_id)).status == "open"

    await kora.send_in(kt, "Zwölf.", reply_to=card)
    answer = await answer_in(tilo, question_id, bot)
    await tilo.press(answer, said("question-btn-close"))
    await expect(tilo, said("question-closed-by-asker", id=question_id))

    # After closing: no follow-up, no further answer.
    closed = said("question-closed", id=question_id)
    await tilo.send("Und Gymnasien?", reply_to=answer)
    await expect(tilo, closed)
    await kora.send_in(kt, "Drei davon sind Gymnasien.", reply_to=card)
    await kt.wait_for(lambda m: closed in m.text)
    assert await bot.services.db.fetchval("SELECT count(*) FROM question_answers") == 1
    query = await tilo.press(answer, said("question-btn-close"))
    assert (await tilo.callback_answer(query))["text"] == closed


async def test_english_member_gets_english_texts(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    await coordinator(admin)
    await faction_group(fake, admin, -7441, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    tilo = await councillor(fake, admin, 3441, "Tilo Teich")
    await tilo.send("/sprache")
    await choose(tilo, said("language-choose"), said("language-en"))
    await expect(tilo, said("language-set", "en"))
    await tilo.send("/ask")
    start = await expect(tilo, fragment("question-ask-to", "en"))
    await tilo.press(start, f"⭐ {KREISTAG}")
    await choose(tilo, said("question-ask-topic", "en"), "Education")
    await expect(tilo, said("question-ask-text", "en", max=QUESTION_MAX))
    await tilo.send("y" * 2100)
    await expect(tilo, said("question-too-long", "en", length=2100, max=QUESTION_MAX))
    await tilo.send("/myquestions")
    await expect(tilo, said("question-mine-none", "en"))

"""Who may know who asked: a coordinator looks behind a pseudonym only with a reason (reveal log,
audit log, the asker is told); an asker who leaves the LAG leaves only anonymous archive entries;
/meinedaten holds their questions."""

from __future__ import annotations

import json

import pytest

from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.questions.board import STATS_DAYS
from lag_bot.questions.rules import REASON_MIN
from tests.harness import RunningBot
from tests.question_world import (
    KREIS_FACTION,
    KREIS_LEVEL,
    KREISTAG,
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


async def test_reveal_needs_a_reason_is_logged_and_told(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7301, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    tilo = await councillor(fake, admin, 3301, "Tilo Teich")
    question_id = await send_question(
        tilo,
        await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Warum wird die Schule geschlossen?", pseudonymous=True),
    )
    await card_in(kt, question_id)

    await admin.send("/statistik")
    await choose(admin, said("question-stats-head", days=STATS_DAYS), said("question-btn-board"))
    await choose(admin, said("question-board-head", count=1), f"#{question_id}")
    opened = said("question-status-open")
    detail = await expect(admin, lead("question-view-head", id=question_id, status=opened))
    # The pseudonym's wording is pinned on purpose.
    assert (
        "ein Mitglied aus dem Landkreis Rostock, Gemeindeebene" in detail.text and "Tilo" not in detail.text
    )
    await admin.press(detail, said("question-btn-reveal"))
    await expect(admin, said("question-write-reveal", id=question_id))
    await admin.send("ja")
    await expect(admin, said("question-reason-too-short", min=REASON_MIN))
    reason = "Beschwerde über beleidigende Fragen"
    await admin.send(reason)
    await expect(admin, said("question-revealed", id=question_id, name="Tilo Teich"))

    await expect(tilo, said("question-notice-revealed", name="Ada Admin", id=question_id, reason=reason))
    db = bot.services.db
    tilo_id = await db.fetchval("SELECT id FROM members WHERE telegram_id = 3301")
    row = await db.fetchone(
        "SELECT actor_id, target_id, detail FROM audit_log WHERE action = 'question.reveal'"
    )
    assert row is not None and row[1] == tilo_id and row[0] is not None
    assert json.loads(row[2])["question"] == question_id
    assert await db.fetchval("SELECT reason FROM question_reveals") == "Beschwerde über beleidigende Fragen"


async def test_erasure_of_the_asker_leaves_anonymous_archive_entries(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7311, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    tilo = await councillor(fake, admin, 3311, "Tilo Teich")
    kora = await councillor(fake, admin, 3312, "Kora Kreis", level=KREIS_LEVEL)
    archived = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Wohnen", "Wie fördert ihr sozialen Wohnungsbau?")
    )
    kept_out = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Wer plant die Schulbusse?")
    )
    card = await card_in(kt, archived, bot=bot)
    await card_in(kt, kept_out)
    await kora.send_in(kt, "Mit einem Bodenfonds.", reply_to=card)
    done = await kt.wait_for(lambda m: said("question-answer-sent", id=archived) in m.text)
    answer = await answer_in(tilo, archived, bot)
    await tilo.send("Wie groß ist der Fonds?", reply_to=answer)
    await expect(tilo, said("question-followup-sent"))
    await kora.press(done, said("question-btn-archive-yes"))
    await kt.wait_edit(done)  # the faction's consent is stored (presses in two chats run concurrently)
    await tilo.press(answer, said("question-btn-archive-yes"))
    await expect(tilo, said("question-archive-now-asker", id=archived))

    await tilo.send("/meinedaten")
    export = await tilo.wait_for(lambda m: m.document is not None)
    assert export.document is not None
    data = json.loads(export.document.content)
    assert [q["body"] for q in data["questions_asked"]] == [
        "Wie fördert ihr sozialen Wohnungsbau?",
        "Wer plant die Schulbusse?",
    ]

    await tilo.send("/austreten")
    await choose(tilo, fragment("privacy-leave-confirm"), said("leave-confirm-yes"))
    await expect(tilo, fragment("privacy-leave-done"))

    db = bot.services.db
    tables = [r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            text = " ".join(str(v) for v in tuple(row))
            assert "3311" not in text and "Teich" not in text, f"{table} still holds the asker: {tuple(row)}"
            assert "Wie groß ist der Fonds" not in text, f"{table} still holds the follow-up"
    left = await bot.services.questions.lookup.get(archived)
    assert left.asker_id is None and left.identity == "anonymous" and left.asker_district_id is None
    assert await bot.services.questions.lookup.repo.get(kept_out) is None
    assert await db.fetchval("SELECT count(*) FROM reminders WHERE target_kind = 'question'") == 0

    kai = await councillor(fake, admin, 3313, "Kai Kamp", municipality="Bützow")
    await kai.send("/frage suche Wohnungsbau")
    hits = await expect(kai, said("question-search-head", count=1, words="Wohnungsbau"))
    await kai.press(hits, said("question-btn-read", id=archived))
    entry = await expect(kai, lead("question-view-archive-head", id=archived))
    assert "Bodenfonds" in entry.text and "Fonds?" not in entry.text


async def test_erasure_of_an_answerer_removes_their_name_from_what_others_were_sent(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7321, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    tilo = await councillor(fake, admin, 3321, "Tilo Teich")
    kora = await councillor(fake, admin, 3322, "Kora Krüger", level=KREIS_LEVEL)
    asked = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Wohnen", "Gibt es einen Mietspiegel?")
    )
    await kora.send_in(kt, "Ja, seit 2025.", reply_to=await card_in(kt, asked, bot=bot))
    answer = await answer_in(tilo, asked, bot)
    assert "Kora Krüger" in answer.text
    assert bot.services.sender is not None and await bot.services.sender.drained(5)

    await kora.send("/austreten")
    await choose(kora, fragment("privacy-leave-confirm"), said("leave-confirm-yes"))
    await expect(kora, fragment("privacy-leave-done"))
    rows = await bot.services.db.fetchall("SELECT parts FROM deliveries")
    assert rows and not any("Kr\\u00fcger" in r["parts"] or "Krüger" in r["parts"] for r in rows)

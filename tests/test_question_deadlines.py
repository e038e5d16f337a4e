"""Deadlines with the time in the test's hand: a reminder to the faction three days before and at
the deadline, then the question is overdue and goes to the coordinators' board; /statistik counts."""

from __future__ import annotations

import pytest

from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.questions.board import STATS_DAYS
from tests.harness import RunningBot
from tests.question_world import (
    KREIS_FACTION,
    KREIS_LEVEL,
    KREISTAG,
    ask,
    card_in,
    councillor,
    faction_group,
    lead,
    send_question,
)
from tests.story import expect
from tests.test_broadcast import coordinator
from tests.texts import said

pytestmark = pytest.mark.usefixtures("running_clock")


async def test_reminders_before_and_at_the_deadline_then_overdue(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7201, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    tilo = await councillor(fake, admin, 3201, "Tilo Teich")
    kora = await councillor(fake, admin, 3202, "Kora Kreis", level=KREIS_LEVEL)
    late = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Bildung", "Wann kommt der Schulentwicklungsplan?")
    )
    quick = await send_question(
        tilo, await ask(tilo, f"⭐ {KREISTAG}", "Wohnen", "Gibt es ein Wohnraumkonzept?")
    )
    await card_in(kt, late)
    quick_card = await card_in(kt, quick, bot=bot)
    await kora.send_in(kt, "Ja, seit 2025.", reply_to=quick_card)
    await tilo.wait_for(lambda m: "seit 2025" in m.text)

    bot.clock.advance(days=11, minutes=1)  # three days before the deadline of 14 days
    remind = lead("question-remind", id=late)
    reminder = await kt.wait_for(lambda m: remind in m.text)
    assert "Schulentwicklungsplan" in reminder.text
    await kt.no_message(0.6)  # nothing for the answered question
    assert (await bot.services.questions.lookup.get(late)).status == "open"

    bot.clock.advance(days=3)  # the deadline
    due = lead("question-remind-due", id=late)
    await kt.wait_for(lambda m: due in m.text)
    faction = said("question-faction", name=KREISTAG)
    escalation = await expect(admin, lead("question-escalate", id=late, faction=faction))
    assert (await bot.services.questions.lookup.get(late)).status == "overdue"
    assert (await bot.services.questions.lookup.get(quick)).status == "answered"
    await tilo.no_message()  # the asker is not bothered with the faction's reminders

    await admin.press(escalation, said("question-btn-view"))
    overdue = said("question-status-overdue")
    detail = await expect(admin, lead("question-view-head", id=late, status=overdue))
    assert "Von: Tilo Teich (Stadtvertretung Teterow)" in detail.text  # a named question (pinned)
    await admin.send("/statistik")
    stats = await expect(admin, said("question-stats-head", days=STATS_DAYS))
    # The figures' wording is pinned on purpose (plain text, no markup left around the name).
    assert "Kreistag Rostock</b>: 1 von 2 beantwortet (50 %)" not in stats.text
    assert "Kreistag Rostock: 1 von 2 beantwortet (50 %)" in stats.text
    await admin.press(stats, said("question-btn-board"))
    board = await expect(admin, said("question-board-head", count=1))
    assert lead("question-board-item", id=late, status=overdue, factions=KREISTAG) in board.text

    # An answer after the deadline still reaches the asker and ends the overdue state.
    card = next(m for m in kt.messages if lead("question-card-head", id=late) in m.text)
    await kora.send_in(kt, "Im Frühjahr.", reply_to=card)
    await tilo.wait_for(lambda m: "Im Frühjahr." in m.text)
    assert (await bot.services.questions.lookup.get(late)).status == "answered"
    await admin.send("/statistik")
    stats = await expect(admin, said("question-stats-head", days=STATS_DAYS))
    assert "Kreistag Rostock: 2 von 2 beantwortet (100 %)" in stats.text

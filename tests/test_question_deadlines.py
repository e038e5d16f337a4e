"""Deadlines with the time in the test's hand: a reminder to the faction three days before and at
the deadline, then the question is overdue and goes to the coordinators' board; /statistik counts."""

from __future__ import annotations

import pytest

from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import RunningBot
from tests.question_world import KREISTAG, ask, card_in, councillor, faction_group, send_question
from tests.story import expect
from tests.test_broadcast import coordinator

pytestmark = pytest.mark.usefixtures("running_clock")


async def test_reminders_before_and_at_the_deadline_then_overdue(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7201, "KT-Fraktion Rostock", "Kreistagsfraktion", KREISTAG)
    tilo = await councillor(fake, admin, 3201, "Tilo Teich")
    kora = await councillor(fake, admin, 3202, "Kora Kreis", level="Kreistag")
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
    reminder = await kt.wait_for(lambda m: f"Erinnerung: Frage #{late}" in m.text)
    assert "Schulentwicklungsplan" in reminder.text
    await kt.no_message(0.6)  # nothing for the answered question
    assert (await bot.services.questions.lookup.get(late)).status == "open"

    bot.clock.advance(days=3)  # the deadline
    await kt.wait_for(lambda m: f"Heute endet die Frist für Frage #{late}" in m.text)
    escalation = await expect(admin, f"Frage #{late} an Fraktion Kreistag Rostock ist überfällig")
    assert (await bot.services.questions.lookup.get(late)).status == "overdue"
    assert (await bot.services.questions.lookup.get(quick)).status == "answered"
    await tilo.no_message()  # the asker is not bothered with the faction's reminders

    await admin.press(escalation, "📋 Ansehen")
    detail = await expect(admin, f"Frage #{late} · überfällig")
    assert "Von: Tilo Teich (Stadtvertretung Teterow)" in detail.text  # a named question
    await admin.send("/statistik")
    stats = await expect(admin, "Fragen der letzten 90 Tage")
    assert "Kreistag Rostock</b>: 1 von 2 beantwortet (50 %)" not in stats.text  # plain text below
    assert "Kreistag Rostock: 1 von 2 beantwortet (50 %)" in stats.text
    await admin.press(stats, "📋 Offene und überfällige Fragen")
    board = await expect(admin, "Offene und überfällige Fragen (1)")
    assert f"#{late} · überfällig · Kreistag Rostock" in board.text

    # An answer after the deadline still reaches the asker and ends the overdue state.
    card = next(m for m in kt.messages if f"Frage #{late} an" in m.text)
    await kora.send_in(kt, "Im Frühjahr.", reply_to=card)
    await tilo.wait_for(lambda m: "Im Frühjahr." in m.text)
    assert (await bot.services.questions.lookup.get(late)).status == "answered"
    await admin.send("/statistik")
    stats = await expect(admin, "Fragen der letzten 90 Tage")
    assert "Kreistag Rostock: 2 von 2 beantwortet (100 %)" in stats.text

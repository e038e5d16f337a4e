"""`/status`: the admins from ADMIN_IDS see the bot's operating state; everyone else is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from handlers.context import LagContext
from handlers.operations.status import render
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.i18n import Catalog
from lag_bot.operations.recent_errors import ErrorSummary
from lag_bot.operations.status import StatusReport
from lag_bot.repositories.status import OutboxCounts, ReminderOutlook
from tests.harness import ADMIN_ID, RunningBot, TestClock
from tests.story import expect
from tests.texts import fragment, line, said

HEAD = line("status-report")  # "Betriebsstatus"


async def _boom(update: Update, context: LagContext) -> None:
    raise RuntimeError("Walter Beispiel, Lange Straße 5")  # personal data in the message


@pytest.mark.expected_errors
async def test_admin_sees_status_others_are_refused(
    bot: RunningBot, fake: FakeTelegram, admin: SimUser, clock: TestClock
) -> None:
    walter = fake.user(1701, "Walter")
    await walter.send("/status")
    await expect(walter, fragment("status-not-allowed"))

    clock.advance(days=1, hours=2, minutes=3)
    await admin.send("/status")
    report = await expect(admin, HEAD)
    assert line("status-report", version="0.1.0") in report.text
    assert line("status-report", uptime=said("status-uptime", days=1, hours=2, minutes=3)) in report.text
    assert line("status-report", pending=0, sending=0, failed=0) in report.text
    assert line("status-report", due_soon=0, next_due=said("status-next-none")) in report.text
    assert line("status-report", unreachable=said("count-members", count=0)) in report.text
    assert report.text.endswith("\n" + said("status-no-errors"))  # the recent errors come last

    # A handler fails: its type is remembered for /status, never its message.
    bot.app.add_handler(CommandHandler("boom", _boom), group=1)
    await walter.send("/boom")
    await expect(walter, fragment("error-apology"))
    await admin.send("/status")
    report = await expect(admin, HEAD)
    assert said("status-error-line", at="", where="message", error="RuntimeError") in report.text
    assert "Walter" not in report.text and "Straße" not in report.text
    assert "status" in [c["command"] for c in fake.commands({"type": "chat", "chat_id": ADMIN_ID}, "")]


def test_render_in_both_languages() -> None:
    # The exact wording on purpose: units, decimal commas and times as each language writes them.
    texts = Catalog.load()
    at = datetime(2026, 11, 21, 8, 5, tzinfo=UTC)
    report = StatusReport(
        version="0.1.0",
        uptime=timedelta(days=12, hours=3, minutes=59, seconds=59),
        database_bytes=1_250_000,
        outbox=OutboxCounts(pending=40, sending=8, failed_recently=2),
        reminders=ReminderOutlook(due_soon=3, next_due="2026-11-21T17:30:00+00:00"),
        unreachable=5,
        errors=[ErrorSummary(at, "job", "OperationalError")],
    )
    berlin = ZoneInfo("Europe/Berlin")
    de = texts.t("de", "status-report", **render(texts, "de", report, berlin))
    en = texts.t("en", "status-report", **render(texts, "en", report, berlin))
    assert "Läuft seit: 12 T. 3 Std. 59 Min." in de and "Running for: 12 d 3 h 59 min" in en
    assert "Datenbank: 1,2 MB" in de and "Database: 1.2 MB" in en
    assert "40 wartend, 8 in Zustellung, 2 in den letzten 24 Std." in de
    assert "3 in den nächsten 24 Std. fällig; nächste: 21.11.2026 18:30" in de
    assert "21.11. 09:05 · job · <code>OperationalError</code>" in de
    assert "Nicht erreichbar</b>: 5 Mitglieder" in de and "Unreachable</b>: 5 members" in en
    assert "{" not in de + en

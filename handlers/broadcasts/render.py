"""How a broadcast's state reads: its status, the running progress line, the full report and its
buttons, times in local time. Used by the compose dialog, the report buttons and the progress job."""

from __future__ import annotations

from datetime import datetime

from handlers.broadcasts.actions import FEATURE, Action
from handlers.common import Button
from handlers.context import LagContext
from lag_bot.broadcasts.model import Report
from lag_bot.callbacks import encode
from lag_bot.formats import moment
from lag_bot.i18n import LANGUAGES


def local_time(context: LagContext, lang: str, stored: str) -> str:
    """A stored UTC timestamp in the bot's time zone, short in `lang` ("03.12.2026 15:40")."""
    return moment(datetime.fromisoformat(stored).astimezone(context.services.settings.timezone), lang)


def read_labels(context: LagContext) -> dict[str, str]:
    """The "Gelesen ✓" button's label in every language."""
    return {lang: context.services.texts.t(lang, "broadcast-read-label") for lang in LANGUAGES}


def _waiting(report: Report) -> bool:
    """Scheduled and not begun yet."""
    row = report.broadcast
    return bool(row.scheduled_at) and report.pending == report.total and row.status == "queued"


def status_text(context: LagContext, lang: str, report: Report) -> str:
    """The status word of a broadcast ("geplant für …" while it waits for its time)."""
    t = context.services.texts.t
    if _waiting(report) and report.broadcast.scheduled_at:
        when = local_time(context, lang, report.broadcast.scheduled_at)
        return t(lang, "broadcast-status-scheduled", when=when)
    status = report.broadcast.status
    if report.finished and status in ("queued", "sending"):
        status = "done"  # the progress job marks it done right after showing this
    return t(lang, f"broadcast-status-{status}")


def progress_html(context: LagContext, lang: str, report: Report) -> str:
    """The running text: "12 / 30 zugestellt" (or the time it is scheduled for)."""
    t = context.services.texts.t
    if _waiting(report):
        return t(
            lang,
            "broadcast-progress-scheduled",
            id=report.broadcast.id,
            when=local_time(context, lang, report.broadcast.scheduled_at or ""),
            count=report.total,
        )
    return t(lang, "broadcast-progress", id=report.broadcast.id, done=report.sent, total=report.total)


def report_html(context: LagContext, lang: str, report: Report) -> str:
    """The full report: delivered, unreachable, failed, stopped (and read, with the button)."""
    t = context.services.texts.t
    text = t(
        lang,
        "broadcast-report",
        id=report.broadcast.id,
        status=status_text(context, lang, report),
        sent=report.sent,
        total=report.total,
        unreachable=report.unreachable,
        failed=report.failed,
        stopped=report.stopped,
    )
    if report.pending:
        text += "\n" + t(lang, "broadcast-report-pending", pending=report.pending)
    if report.broadcast.read_button:
        text += "\n" + t(lang, "broadcast-report-read", read=report.read)
    return text


def report_rows(context: LagContext, lang: str, report: Report) -> list[list[Button]]:
    """Stop while it runs; CSV (and re-send to the unread) when it is over."""
    t = context.services.texts.t
    row = report.broadcast
    if not report.finished and row.status in ("queued", "sending"):
        return [[(t(lang, "broadcast-stop"), encode(FEATURE, Action.STOP, row.id))]]
    buttons = [(t(lang, "broadcast-csv"), encode(FEATURE, Action.CSV, row.id))]
    if row.read_button:
        buttons.append((t(lang, "broadcast-resend"), encode(FEATURE, Action.RESEND, row.id)))
    return [buttons]

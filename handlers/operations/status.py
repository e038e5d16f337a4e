"""`/status`: the bot's operating state, for the admins from ADMIN_IDS only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update

from handlers.common import actor_language, send_html
from handlers.context import LagContext
from lag_bot.errors import NotAllowed
from lag_bot.formats import decimal, moment
from lag_bot.i18n import Catalog, Html
from lag_bot.models import Role
from lag_bot.operations.status import StatusReport


async def cmd_status(update: Update, context: LagContext) -> None:
    """Show version, uptime, database size, outbox, reminders, unreachable members and last errors."""
    user = update.effective_user
    assert user is not None
    svc = context.services
    actor = await svc.authorizer.actor(user.id)
    if not actor.at_least(Role.ADMIN):  # only ADMIN_IDS hold the admin role
        raise NotAllowed("status-not-allowed")
    lang = actor_language(context, actor)
    report = await svc.status.report()
    params = render(svc.texts, lang, report, svc.settings.timezone)
    await send_html(update, context, svc.texts.t(lang, "status-report", **params))


def render(texts: Catalog, lang: str, report: StatusReport, tz: ZoneInfo) -> dict[str, object]:
    """The placeholders of `status-report` (pure: tested alone)."""
    minutes = int(report.uptime.total_seconds() // 60)
    uptime = texts.t(
        lang, "status-uptime", days=minutes // 1440, hours=minutes // 60 % 24, minutes=minutes % 60
    )
    megabytes = decimal(report.database_bytes / 1_000_000, lang, 1)
    next_due = report.reminders.next_due
    errors = [
        texts.t(lang, "status-error-line", at=_local(e.at, tz, "%d.%m. %H:%M"), where=e.where, error=e.error)
        for e in report.errors
    ]
    return {
        "version": report.version,
        "uptime": uptime,
        "size": texts.t(lang, "status-size", megabytes=megabytes),
        "pending": report.outbox.pending,
        "sending": report.outbox.sending,
        "failed": report.outbox.failed_recently,
        "due_soon": report.reminders.due_soon,
        "next_due": moment(datetime.fromisoformat(next_due).astimezone(tz), lang)
        if next_due
        else texts.t(lang, "status-next-none"),
        "unreachable": Html(texts.t(lang, "count-members", count=report.unreachable)),
        "errors": Html("\n".join(errors)) if errors else texts.t(lang, "status-no-errors"),
    }


def _local(moment: datetime, tz: ZoneInfo, fmt: str) -> str:
    return moment.astimezone(tz).strftime(fmt)

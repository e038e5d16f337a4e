"""Broadcast reports: the recent list, one report, the progress message edited in place, the
stop / CSV / re-send buttons, and the recipients' "Gelesen ✓" button.

The progress job runs every few seconds (`update_progress`, registered in `post_init`); it edits
each running broadcast's progress message when its numbers changed and turns it into the final
report once nothing is pending.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass, field
from typing import cast

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import JobQueue

from handlers.broadcasts.actions import FEATURE, Action
from handlers.broadcasts.render import (
    local_time,
    progress_html,
    read_labels,
    report_html,
    report_rows,
    status_text,
)
from handlers.common import Button, actor_language, answer, chunk, keyboard, language, pressed, send_html
from handlers.context import LagContext
from lag_bot.authorization import Actor
from lag_bot.broadcasts.model import ReadAction
from lag_bot.broadcasts.service import BroadcastRow
from lag_bot.callbacks import encode
from lag_bot.errors import Stale
from lag_bot.i18n import Html

log = logging.getLogger(__name__)
RECENT = 8
REFRESH_AFTER_STOP = 3.0  # seconds: sends under way at the stop have finished by then
PROGRESS_EVERY = 10.0  # seconds between two edits of a running broadcast's progress message


@dataclass
class Progress:
    """What the progress job remembers between runs: the text each progress message shows, and
    when it was last edited (monotonic seconds)."""

    shown: dict[int, str] = field(default_factory=dict)
    edited_at: dict[int, float] = field(default_factory=dict)


async def show_list(update: Update, context: LagContext, actor: Actor, lang: str) -> None:
    """The recent broadcasts with a report button each, and "✍️ Neues Rundschreiben"."""
    svc = context.services
    t = svc.texts.t
    reports = await svc.broadcasts.recent(RECENT)
    lines = [
        t(
            lang,
            "broadcast-list-line",
            id=r.broadcast.id,
            date=local_time(context, lang, r.broadcast.created_at),
            status=Html(status_text(context, lang, r)),
            sent=r.sent,
            total=r.total,
        )
        for r in reports
    ]
    body = "\n".join([t(lang, "broadcast-list-header"), *(lines or [t(lang, "broadcast-list-empty")])])
    buttons = [
        (t(lang, "broadcast-list-btn-report", id=r.id), encode(FEATURE, Action.REPORT, r.id))
        for r in (report.broadcast for report in reports)
    ]
    rows = chunk(buttons, 4)
    rows.append([(t(lang, "broadcast-new"), encode(FEATURE, Action.NEW))])
    await send_html(update, context, body, rows)


async def show_report(update: Update, context: LagContext, lang: str, broadcast_id: int) -> None:
    """One broadcast's report as a new message."""
    report = await context.services.broadcasts.report(broadcast_id)
    await send_html(update, context, report_html(context, lang, report), report_rows(context, lang, report))


async def send_csv(update: Update, context: LagContext, actor: Actor, lang: str, broadcast_id: int) -> None:
    """Per-recipient status as a CSV file."""
    svc = context.services
    await svc.broadcasts.get(broadcast_id)  # NotFound for a forged id, before anything is logged
    content = await svc.broadcasts.csv(actor, broadcast_id, lang, svc.settings.timezone)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        io.BytesIO(content),
        filename=f"broadcast-{broadcast_id}.csv",
        caption=svc.texts.t(lang, "broadcast-csv-caption", id=broadcast_id),
    )


async def stop(update: Update, context: LagContext, actor: Actor, lang: str, broadcast_id: int) -> None:
    """Stop what is not sent yet; show the report now and once more when sends under way are done."""
    svc = context.services
    count = await svc.broadcasts.stop(actor, broadcast_id)
    await show_final(context, broadcast_id)
    job_queue = cast("JobQueue[LagContext] | None", context.job_queue)  # PTB leaves its type open
    if job_queue is not None:
        job_queue.run_once(_refresh_final, REFRESH_AFTER_STOP, data=broadcast_id)
    await answer(update, context, lang, "broadcast-stopped", count=count)


async def resend(update: Update, context: LagContext, actor: Actor, lang: str, broadcast_id: int) -> None:
    """Send the broadcast again to the members who did not press "Gelesen ✓"."""
    count = await context.services.broadcasts.resend_unread(actor, broadcast_id, read_labels(context))
    await send_html(
        update, context, context.services.texts.t(lang, "broadcast-resent", id=broadcast_id, count=count)
    )
    await answer(update, context, lang)


async def show_final(context: LagContext, broadcast_id: int) -> bool:
    """Edit the progress message of a broadcast into its current report."""
    svc = context.services
    report = await svc.broadcasts.report(broadcast_id)
    row = report.broadcast
    if row.progress_chat_id is None or row.progress_message_id is None:
        return True
    lang = await _language_of(context, row.progress_chat_id)
    html = report_html(context, lang, report)
    return await _edit(context, row, html, report_rows(context, lang, report))


async def _refresh_final(context: LagContext) -> None:
    """One-off job after a stop."""
    job = context.job
    if job is not None and isinstance(job.data, int):
        await show_final(context, job.data)


async def update_progress(context: LagContext) -> None:
    """Edit every running broadcast's progress message; the final report once it is done."""
    svc = context.services
    job = context.job
    progress = job.data if job is not None and isinstance(job.data, Progress) else Progress()
    shown = progress.shown
    now = time.monotonic()
    for row in await svc.broadcasts.unfinished():
        if row.progress_chat_id is None or row.progress_message_id is None:
            # No message to edit (not stored yet, or its coordinator left): still close it when done.
            await svc.broadcasts.finish_if_done(row.id)
            continue
        report = await svc.broadcasts.report(row.id)
        lang = await _language_of(context, row.progress_chat_id)
        if report.finished:
            html, rows = report_html(context, lang, report), report_rows(context, lang, report)
        else:
            html, rows = progress_html(context, lang, report), report_rows(context, lang, report)
        # Every edit is a send within Telegram's limits, taken from the broadcast's own: a running
        # broadcast's numbers are shown every PROGRESS_EVERY seconds, the final report at once.
        due = report.finished or now - progress.edited_at.get(row.id, 0.0) >= PROGRESS_EVERY
        edited = shown.get(row.id) == html or (due and await _edit(context, row, html, rows))
        if edited:
            shown[row.id] = html
            progress.edited_at[row.id] = now
        # Marked done only once the final report is shown; a failed edit is tried again next time.
        if edited or not report.finished:
            finished = await svc.broadcasts.finish_if_done(row.id)
            if finished.finished:
                shown.pop(row.id, None)
                progress.edited_at.pop(row.id, None)


async def _edit(context: LagContext, row: BroadcastRow, html: str, rows: list[list[Button]]) -> bool:
    """Edit the progress message; False if Telegram could not be reached (try again later)."""
    assert row.progress_chat_id is not None and row.progress_message_id is not None
    try:
        await context.bot.edit_message_text(
            html,
            chat_id=row.progress_chat_id,
            message_id=row.progress_message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(rows),
        )
    except BadRequest as exc:  # deleted, or too old to edit (one that already shows this is no error)
        log.info("progress of broadcast %s not shown: %s", row.id, exc.message)
    except Forbidden as exc:  # the coordinator blocked the bot: the broadcast goes on regardless
        log.info("progress of broadcast %s not shown: %s", row.id, exc.message)
    except (RetryAfter, NetworkError) as exc:  # flood limit or connection: the next run tries again
        log.info("progress of broadcast %s not edited now: %s", row.id, exc.message)
        return False
    return True


async def _language_of(context: LagContext, telegram_id: int) -> str:
    return actor_language(context, await context.services.authorizer.actor(telegram_id))


async def on_read_button(update: Update, context: LagContext) -> None:
    """A recipient pressed "Gelesen ✓": counted once, for the person who pressed; a forged or foreign
    press gets a neutral answer."""
    presser = update.effective_user
    try:
        cb = pressed(update).cb
        cb.action_of(ReadAction)
        broadcast_id = cb.int_arg(0) if len(cb.args) == 1 else None
    except Stale:
        broadcast_id = None
    counted = False
    # Only a broadcast that carried the button can be confirmed (mark_read does not check it).
    if (
        broadcast_id is not None
        and presser is not None
        and await context.services.broadcasts.has_read_button(broadcast_id)
    ):
        counted = await context.services.broadcasts.mark_read(broadcast_id, presser.id)
    lang = await language(update, context)
    await answer(update, context, lang, "broadcast-read-thanks" if counted else "broadcast-read-noted")

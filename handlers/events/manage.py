"""The coordinators' screen for one event (feature "ea", opened by ⚙️ in /termine): counts and
seats, the attendee list and CSV, a message to everyone who said yes (a dialog), editing (the
/neuertermin dialog), cancelling the event or one date of a series, each after a confirmation.

Every press re-checks the role; the core checks it again and audits the looks and changes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Update

from handlers.broadcasts.render import local_time
from handlers.common import Button, actor_language, coordinator, pressed, send, send_html
from handlers.context import LagContext
from handlers.documents import send_file
from handlers.events import new as event_new
from handlers.events.actions import AdminAction
from handlers.events.rsvp import edit_pressed
from lag_bot.authorization import Actor
from lag_bot.callbacks import Callback, Feature, encode
from lag_bot.delivery.message_parts import build_parts
from lag_bot.errors import InvalidInput, Stale, UserError
from lag_bot.events.dialogs import MESSAGE_DIALOG, MessageDialog
from lag_bot.events.models import Event
from lag_bot.events.render import answer_label, counts_line, describe_span, render_shifts, shown_date
from lag_bot.i18n import Html
from lag_bot.models import Dialog, Member
from lag_bot.timeparse.describe import describe_moment

FEATURE = Feature.EVENT_ADMIN
DIALOG = MESSAGE_DIALOG


async def admin_screen(context: LagContext, lang: str, event: Event) -> tuple[str, list[list[Button]]]:
    """What a coordinator sees of one event, with what they can do."""
    svc = context.services
    t = svc.texts.t
    counts = await svc.events.rsvp.counts(event.id)
    lines = [t(lang, "event-admin-head", title=event.title)]
    if event.cancelled:
        lines.append(t(lang, "event-admin-cancelled"))
    when = describe_span(svc.texts, lang, *shown_date(event, svc.clock()))
    lines.append(t(lang, "event-admin-when", when=when))
    lines.append(t(lang, "event-admin-counts", counts=Html(counts_line(svc.texts, lang, counts))))
    if event.capacity is not None:
        lines.append(
            t(lang, "event-admin-seats", yes=counts.yes, count=event.capacity, waiting=counts.waitlist)
        )
    shifts = await svc.events.shifts.of_event(event.id)
    if shifts:
        lines.append(render_shifts(svc.texts, lang, event, shifts))
    rows = [
        [
            (t(lang, "event-admin-button-attendees"), encode(FEATURE, AdminAction.ATTENDEES, event.id)),
            (t(lang, "event-admin-button-csv"), encode(FEATURE, AdminAction.CSV, event.id)),
        ]
    ]
    if not event.cancelled:
        rows.append([(t(lang, "event-admin-button-message"), encode(FEATURE, AdminAction.MESSAGE, event.id))])
        rows.append(
            [
                (t(lang, "event-admin-button-edit"), encode(FEATURE, AdminAction.EDIT, event.id)),
                (t(lang, "event-admin-button-cancel"), encode(FEATURE, AdminAction.CANCEL_ASK, event.id)),
            ]
        )
        if event.rrule is not None:
            dates = encode(FEATURE, AdminAction.DATES, event.id)
            rows.append([(t(lang, "event-admin-button-cancel-date"), dates)])
    return "\n".join(lines), rows


async def attendee_list(context: LagContext, actor: Actor, lang: str, event: Event) -> str:
    """Name, district, answer and time of everyone who answered (the look is audited)."""
    svc = context.services
    t = svc.texts.t
    found = await svc.events.admin.attendees(actor, event.id)
    if not found:
        return t(lang, "event-admin-attendees-empty", title=event.title)
    lines = [t(lang, "event-admin-attendees-head", title=event.title, count=len(found))]
    for a in found:
        answer = answer_label(svc.texts, lang, a.answer, a.position)
        time = local_time(context, lang, a.answered_at)
        lines.append(
            t(
                lang,
                "event-admin-attendee",
                name=a.name or "–",
                district=a.district or "–",
                answer=answer,
                time=time,
            )
        )
    return "\n".join(lines)


def _occurrence(cb: Callback) -> datetime:
    """The start of one date of a series, carried in the button as seconds since the epoch (a
    forged one is a stale button)."""
    try:
        return datetime.fromtimestamp(cb.int_arg(1), UTC)
    except (ValueError, OverflowError, OSError):
        raise Stale() from None


def _seconds(start: datetime) -> int:
    """A date's start as the unix seconds in its buttons."""
    return int(start.timestamp())


def _date_text(event: Event, start: datetime, lang: str) -> str:
    return describe_moment(start.astimezone(ZoneInfo(event.tz)), lang)


async def on_manage_button(update: Update, context: LagContext) -> None:
    """The management screen and each of its buttons."""
    press = pressed(update)
    query, cb = press.query, press.cb
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    svc = context.services
    t = svc.texts.t
    event = await svc.events.records.get(cb.int_arg(0))
    action = cb.action_of(AdminAction)
    if action is AdminAction.SCREEN:
        await send_html(update, context, *await admin_screen(context, lang, event))
    elif action is AdminAction.ATTENDEES:
        for part in build_parts(await attendee_list(context, actor, lang, event)):
            await send_html(update, context, part.text)
    elif action is AdminAction.CSV:
        content = await svc.events.admin.attendees_csv(actor, event.id, lang, svc.settings.timezone)
        caption = t(lang, "event-admin-csv-caption", title=event.title)
        await send_file(update, context, content, f"teilnehmende-termin-{event.id}.csv", caption)
    elif action is AdminAction.MESSAGE:
        await _ask_message(update, context, actor, lang, event)
    elif action is AdminAction.EDIT:
        await event_new.start_edit(update, context, actor, lang, event.id)
    elif action in (AdminAction.CANCEL_ASK, AdminAction.DATES, AdminAction.DATE_ASK):
        await _ask_cancel(update, context, lang, event, action, cb)
    elif action is AdminAction.CANCEL_YES:
        await svc.events.admin.cancel(actor, event.id)
        await edit_pressed(update, t(lang, "event-admin-cancel-done", title=event.title), [])
    elif action is AdminAction.DATE_YES:
        start = _occurrence(cb)
        await svc.events.admin.cancel(actor, event.id, start)
        text = t(lang, "event-admin-date-done", title=event.title, when=_date_text(event, start, lang))
        await edit_pressed(update, text, [])
    else:  # KEEP
        await edit_pressed(update, t(lang, "event-admin-cancel-kept"), [])
    await query.answer()  # only after success: a refusal is the answer instead


async def _ask_cancel(
    update: Update, context: LagContext, lang: str, event: Event, action: AdminAction, cb: Callback
) -> None:
    """The confirmation for the whole event, the dates of a series to choose from, or one date."""
    svc = context.services
    t = svc.texts.t
    no = (t(lang, "event-admin-cancel-no"), encode(FEATURE, AdminAction.KEEP, event.id))
    if action is AdminAction.CANCEL_ASK:
        counts = await svc.events.rsvp.counts(event.id)
        answered = counts.yes + counts.no + counts.maybe + counts.waitlist
        yes = (t(lang, "event-admin-cancel-yes"), encode(FEATURE, AdminAction.CANCEL_YES, event.id))
        await send(
            update, context, lang, "event-admin-cancel-ask", [[yes], [no]], title=event.title, count=answered
        )
    elif action is AdminAction.DATES:
        if event.rrule is None:
            raise InvalidInput("event-not-series")
        dates = await svc.events.listing.dates(event.id)
        if not dates:
            await send(update, context, lang, "event-admin-date-none", title=event.title)
            return
        rows = [
            [
                (
                    _date_text(event, start, lang),
                    encode(FEATURE, AdminAction.DATE_ASK, event.id, _seconds(start)),
                )
            ]
            for start, _ in dates
        ]
        await send(update, context, lang, "event-admin-date-choose", [*rows, [no]], title=event.title)
    else:
        start = _occurrence(cb)
        confirm = encode(FEATURE, AdminAction.DATE_YES, event.id, _seconds(start))
        yes = (t(lang, "event-admin-cancel-yes"), confirm)
        when = _date_text(event, start, lang)
        await send(update, context, lang, "event-admin-date-ask", [[yes], [no]], title=event.title, when=when)


async def _ask_message(update: Update, context: LagContext, actor: Actor, lang: str, event: Event) -> None:
    """Open the dialog in which the coordinator types the message to everyone who said yes."""
    svc = context.services
    if event.cancelled:
        raise Stale("event-cancelled")
    yes = (await svc.events.rsvp.counts(event.id)).yes
    if not yes:
        raise InvalidInput("event-message-nobody")
    await svc.events.dialogs.save(actor.telegram_id, MessageDialog(event.id))
    await send(update, context, lang, "event-admin-message-ask", title=event.title, count=yes)


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """The typed message goes to everyone who said yes; a refusal keeps the dialog open."""
    actor = await coordinator(update, context)
    lang = actor_language(context, actor)
    message = update.effective_message
    assert message is not None
    state = MessageDialog.from_json(dialog.data)
    dialogs = context.services.events.dialogs
    # The dialog goes first, so a second message cannot send twice; a refusal opens it again.
    await dialogs.clear(actor.telegram_id)
    try:
        count = await context.services.events.admin.message_attendees(
            actor, state.event_id, message.text_html or ""
        )
    except UserError:
        await dialogs.save(actor.telegram_id, state)
        raise
    await send(update, context, lang, "event-admin-message-sent", count=count)


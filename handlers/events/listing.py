"""`/termine` `/events`: upcoming events with my answer, buttons to change it, calendar files
(feature "et"); in a linked group, the group's upcoming events.

In private each entry has ✅ ❌ ❔ (the same rules as the announcement's buttons), 📅 for its .ics
file, 🙋 for its shifts and, for coordinators, ⚙️ for the management screen; under the list one
button sends all my upcoming events as one calendar file. Coordinators see every upcoming event.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update

from handlers.common import Button, pressed, send_html
from handlers.context import LagContext
from handlers.documents import send_file
from handlers.events import manage as event_manage
from handlers.events import shifts as event_shifts
from handlers.events.access import event_for, event_reader
from handlers.events.actions import AdminAction, ListAction, ShiftAction
from handlers.events.rsvp import answer_toast, edit_pressed
from lag_bot.callbacks import Feature, encode, small_int
from lag_bot.errors import Stale, UserError
from lag_bot.events.listing import Upcoming
from lag_bot.events.render import answer_label, counts_line, describe_span, is_closed, render_shifts
from lag_bot.events.rsvp import answer_for
from lag_bot.models import Member

FEATURE = Feature.EVENT_LIST
PER_PAGE = 5  # entries per page: each has up to six buttons and several lines
GROUP_MAX = 10  # a group's list is not paged: the first ones, and where to find the rest


def entry_lines(context: LagContext, lang: str, item: Upcoming, n: int) -> list[str]:
    """Number, title and kind, the date under way or next, and where."""
    t = context.services.texts.t
    event = item.event
    zone = ZoneInfo(event.tz)
    start, end = item.starts_at.astimezone(zone), item.ends_at.astimezone(zone)
    when = describe_span(context.services.texts, lang, start, end)
    lines = [
        t(lang, "event-list-item", n=n, title=event.title, kind=t(lang, f"event-kind-{event.kind}")),
        t(lang, "event-list-when", when=when),
    ]
    if event.place:
        lines.append(t(lang, "event-list-place", place=event.place))
    elif event.link:
        lines.append(t(lang, "event-list-link", link=event.link))
    return lines


async def private_page(
    context: LagContext, member: Member, coordinator: bool, page: int
) -> tuple[str, list[list[Button]]]:
    """One page of the member's list as HTML with its buttons."""
    svc = context.services
    t, lang = svc.texts.t, member.language
    events = svc.events
    listing = events.listing
    found = await (
        listing.upcoming_for_coordinator(member) if coordinator else listing.upcoming_for_member(member)
    )
    if not found:
        return t(lang, "event-list-empty"), []
    pages = -(-len(found) // PER_PAGE)
    page = min(max(page, 0), pages - 1)
    head = t(lang, "event-list-head-paged", page=page + 1, pages=pages) if pages > 1 else ""
    blocks = [head or t(lang, "event-list-head")]
    rows: list[list[Button]] = []
    now = svc.clock()
    first = page * PER_PAGE
    for n, item in enumerate(found[first : first + PER_PAGE], start=first + 1):
        event = item.event
        lines = entry_lines(context, lang, item, n)
        lines.append(counts_line(svc.texts, lang, await events.rsvp.counts(event.id)))
        shifts = await events.shifts.of_event(event.id, member.id)
        if shifts:
            lines.append(render_shifts(svc.texts, lang, event, shifts))
        if item.answer:
            position = (await events.rsvp.answer_of(member.id, event.id))[1]
            label = answer_label(svc.texts, lang, item.answer, position)
            lines.append(t(lang, "event-list-mine", answer=label))
        else:
            lines.append(t(lang, "event-list-mine-none"))
        tools = [(f"📅 {n}", encode(FEATURE, ListAction.ICS, event.id))]
        if shifts:
            tools.append((f"🙋 {n}", encode(event_shifts.FEATURE, ShiftAction.VIEW, event.id)))
        if coordinator:
            tools.append((f"⚙️ {n}", encode(event_manage.FEATURE, AdminAction.SCREEN, event.id)))
        if is_closed(event, now):
            lines.append(t(lang, "event-list-closed"))
        else:
            marks = (("✅", "y"), ("❌", "n"), ("❔", "m"))
            answer = ListAction.ANSWER
            rows.append([(f"{m} {n}", encode(FEATURE, answer, event.id, code, page)) for m, code in marks])
        rows.append(tools)
        blocks.append("\n".join(lines))
    rows.append([(t(lang, "event-list-all-ics"), encode(FEATURE, ListAction.ALL_ICS))])
    arrows = [("◀", encode(FEATURE, ListAction.PAGE, page - 1))] if page > 0 else []
    arrows += [("▶", encode(FEATURE, ListAction.PAGE, page + 1))] if page + 1 < pages else []
    if arrows:
        rows.append(arrows)
    return "\n\n".join(blocks), rows


async def group_list(context: LagContext, lang: str, group_id: int) -> str:
    """A group's upcoming events with their counts (nobody's own answer)."""
    svc = context.services
    t = svc.texts.t
    found = await svc.events.listing.upcoming_for_group(group_id)
    if not found:
        return t(lang, "event-list-empty-group")
    blocks = [t(lang, "event-list-head-group")]
    for n, item in enumerate(found[:GROUP_MAX], start=1):
        lines = entry_lines(context, lang, item, n)
        lines.append(counts_line(svc.texts, lang, await svc.events.rsvp.counts(item.event.id)))
        blocks.append("\n".join(lines))
    if len(found) > GROUP_MAX:
        blocks.append(t(lang, "event-list-more-group", more=len(found) - GROUP_MAX))
    return "\n\n".join(blocks)


async def cmd_termine(update: Update, context: LagContext) -> None:
    """My upcoming events (in private), or the group's (in a linked group)."""
    chat = update.effective_chat
    assert chat is not None
    svc = context.services
    if chat.type == "private":
        member, coordinator = await event_reader(update, context)
        html, rows = await private_page(context, member, coordinator, 0)
        await send_html(update, context, html, rows)
        return
    group = await svc.groups.get(chat.id)
    if group is None or not group.active or group.link_kind is None:
        raise UserError("event-ui-group-not-linked")
    await send_html(update, context, await group_list(context, svc.settings.default_language, group.id))


async def on_list_button(update: Update, context: LagContext) -> None:
    """✅ ❌ ❔ change my answer, 📅 one calendar file or all, ◀ ▶ turn the page."""
    press = pressed(update)
    query, cb = press.query, press.cb
    member, coordinator = await event_reader(update, context)
    svc = context.services
    lang = member.language
    action = cb.action_of(ListAction)
    if action is ListAction.ANSWER and len(cb.args) == 3:
        result = await svc.events.rsvp.answer(member, cb.int_arg(0), answer_for(cb.args[1]))
        await query.answer(answer_toast(context, lang, result))
        await edit_pressed(update, *await private_page(context, member, coordinator, cb.int_arg(2)))
    elif action is ListAction.PAGE and cb.args and small_int(cb.args[0]) is not None:
        await query.answer()
        await edit_pressed(update, *await private_page(context, member, coordinator, cb.int_arg(0)))
    elif action is ListAction.ICS:
        event = await event_for(context, member, coordinator, cb.int_arg(0))
        caption = svc.texts.t(lang, "event-list-ics-caption", title=event.title)
        await send_file(
            update, context, await svc.events.calendar.ics(event.id), f"lag-termin-{event.id}.ics", caption
        )
        await query.answer()
    elif action is ListAction.ALL_ICS:
        caption = svc.texts.t(lang, "event-list-all-ics-caption")
        content = await svc.events.calendar.member_calendar(member)
        await send_file(update, context, content, "lag-termine.ics", caption)
        await query.answer()
    else:
        raise Stale()

"""Shifts of an info stand (feature "es"): who is on which shift, and a button per shift to sign up
or leave. The maximum, the start and who may sign up are checked by the core
(`lag_bot.events.shifts.Shifts`)."""

from __future__ import annotations

from telegram import Update

from handlers.common import Button, pressed, send_html
from handlers.context import LagContext
from handlers.events.access import event_for, event_reader
from handlers.events.actions import ShiftAction
from handlers.events.rsvp import edit_pressed, toast
from lag_bot.callbacks import Feature, encode
from lag_bot.events.models import Event
from lag_bot.events.render import render_shifts, shift_label
from lag_bot.events.shifts import NotOnShift
from lag_bot.models import Member

FEATURE = Feature.EVENT_SHIFTS


async def shifts_screen(context: LagContext, member: Member, event: Event) -> tuple[str, list[list[Button]]]:
    """The shifts with their staffing (mine marked) and one button per shift."""
    svc = context.services
    t, lang = svc.texts.t, member.language
    shifts = await svc.events.shifts.of_event(event.id, member.id)
    if not shifts:
        return t(lang, "event-shifts-none"), []
    rows: list[list[Button]] = []
    for shift in shifts:
        label = shift_label(svc.texts, lang, shift, event.tz)
        if shift.mine:
            leave = encode(FEATURE, ShiftAction.LEAVE, shift.id)
            rows.append([(t(lang, "event-shifts-leave", shift=label), leave)])
        else:
            key = "event-shifts-full" if shift.full else "event-shifts-join"
            rows.append([(t(lang, key, shift=label), encode(FEATURE, ShiftAction.JOIN, shift.id))])
    text = render_shifts(svc.texts, lang, event, shifts) + "\n\n" + t(lang, "event-shifts-hint")
    return text, rows


async def on_shift_button(update: Update, context: LagContext) -> None:
    """🙋 opens an event's shifts; ➕ signs up, ➖ leaves, and the screen shows the new staffing."""
    press = pressed(update)
    query, cb = press.query, press.cb
    member, coordinator = await event_reader(update, context)
    events = context.services.events
    action = cb.action_of(ShiftAction)
    if action is ShiftAction.VIEW:
        event = await event_for(context, member, coordinator, cb.int_arg(0))
        await send_html(update, context, *await shifts_screen(context, member, event))
        await query.answer()
        return
    change = events.shifts.sign_up if action is ShiftAction.JOIN else events.shifts.leave
    key = "event-shifts-joined" if action is ShiftAction.JOIN else "event-shifts-left"
    try:
        shift = await change(member, cb.int_arg(0))  # a full shift is refused here, nothing changes
    except NotOnShift as stale:  # ➖ on an older screen: say so, and show the shifts as they are
        shift, key = stale.shift, stale.key
    event = await events.records.get(shift.event_id)
    label = shift_label(context.services.texts, member.language, shift, event.tz)
    await query.answer(toast(context, member.language, key, shift=label))
    await edit_pressed(update, *await shifts_screen(context, member, event))

"""The steps of the event dialog: what each asks, what a typed answer or a button does to the
draft. Each check is the core's (`lag_bot.events.draft`); a refusal leaves the draft as it was.

The draft is a `lag_bot.events.draft_form.DraftForm`, filled in step by step (`d`);
`handlers.events.screens.ask` renders a step's question with its buttons, `typed` and `pressed`
return the changed draft and whether the step is answered (then the dialog moves on).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from handlers import audience_picker as picker
from handlers.context import LagContext
from handlers.events.actions import NewAction
from lag_bot.callbacks import Callback, Feature
from lag_bot.errors import InvalidInput, Stale
from lag_bot.events.draft import KINDS, check_deadline, check_shifts, check_times
from lag_bot.events.draft_form import DraftForm
from lag_bot.events.input import (
    check_description,
    check_place,
    check_title,
    parse_capacity,
    parse_link,
    parse_offsets,
    parse_shift,
)
from lag_bot.text_input import echo
from lag_bot.timeparse.parse import OneOff, TimeParseError, parse_when

FEATURE = Feature.EVENT_NEW
STEPS = (
    "title",
    "kind",
    "start",
    "end",
    "place",
    "link",
    "description",
    "audience",
    "capacity",
    "deadline",
    "remind",
    "shifts",
)
REMIND_CHOICES = (10080, 4320, 1440, 120, 60)
ALERT_CHOICES = (1, 2, 3, 7)
DURATIONS = (1, 2, 3, 4)  # hours offered for the end
SKIPPABLE: dict[str, Callable[[DraftForm], DraftForm]] = {  # what a skip button stores
    "place": lambda d: replace(d, place=""),
    "link": lambda d: replace(d, link=""),
    "description": lambda d: replace(d, description=""),
    "capacity": lambda d: replace(d, capacity=None),
    "deadline": lambda d: replace(d, deadline=None),
}
_END_TIME = re.compile(
    r"^\s*(?:bis|to|until|-|–)?\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr|h)?\s*$", re.IGNORECASE
)
_WITH_END = re.compile(r"^(?:bis|to|until|-|–)\s*", re.IGNORECASE)


def applies(step: str, d: DraftForm) -> bool:
    """Whether a step is asked for this draft (shifts only for a single info stand, no deadline
    for a series)."""
    if step == "shifts":
        return d.kind == "infostand" and not d.rrule
    if step == "deadline":
        return not d.rrule
    return True


def following(step: str, d: DraftForm) -> str | None:
    """The next step after `step` that applies, or None when the draft is complete."""
    for name in STEPS[STEPS.index(step) + 1 :]:
        if name == "end" and d.ends_at:
            continue  # the start was typed with its end ("3.12. 18:00 bis 20:00")
        if applies(name, d):
            return name
    return None


def zone_of(context: LagContext, d: DraftForm) -> ZoneInfo:
    return ZoneInfo(str(d.tz or context.services.settings.timezone.key))


def typed(context: LagContext, lang: str, step: str, d: DraftForm, text: str) -> tuple[DraftForm, bool]:
    """The draft after a typed answer, and whether the step is done."""
    svc = context.services
    now = svc.clock()
    if step == "title":
        return replace(d, title=check_title(text)), True
    if step == "start":
        return _typed_start(context, lang, d, text), True
    if step == "end":
        end = _typed_end(context, lang, d, text)
        check_times(d.start(), end, now)
        return replace(d, ends_at=end), True
    if step == "place":
        return replace(d, place=check_place(text)), True
    if step == "link":
        link = parse_link(text)
        return replace(d, link=link), True
    if step == "description":
        return replace(d, description=check_description(text)), True
    if step == "capacity":
        return replace(d, capacity=parse_capacity(text)), True
    if step == "deadline":
        w = parse_when(text, now=now, tz=zone_of(context, d), lang=lang)
        if not isinstance(w, OneOff) or w.rest:
            raise TimeParseError("time-unknown", text=echo(text, 100))
        check_deadline(w.at, d.start(), now)
        return replace(d, deadline=w.at), True
    if step == "remind":
        return replace(d, remind_offsets=parse_offsets(text)), True
    if step == "shifts":
        shift = parse_shift(text, d.start(), zone_of(context, d))
        changed = replace(d, shifts=(*d.shifts, shift), shift_alert_days=d.shift_alert_days or 2)
        check_shifts(changed.complete())
        return changed, False  # more shifts may follow; "Fertig" ends the step
    raise Stale()


def _typed_start(context: LagContext, lang: str, d: DraftForm, text: str) -> DraftForm:
    svc = context.services
    zone = zone_of(context, d)
    w = parse_when(text, now=svc.clock(), tz=zone, lang=lang)
    if isinstance(w, OneOff):
        start, rrule = w.at, None
    else:
        start, rrule = w.first, w.rrule
    changed = replace(d, starts_at=start, rrule=rrule, tz=zone.key)
    if rrule:  # a series has no deadline
        changed = replace(changed, deadline=None)
    rest = w.rest.strip()
    if rest:
        if not _WITH_END.match(rest):
            raise InvalidInput("event-new-start-extra", text=echo(rest, 100))
        end = _end_on_day(start, rest, zone)
        if end is None:
            raise InvalidInput("event-new-start-extra", text=echo(rest, 100))
        check_times(start, end, svc.clock())
        changed = replace(changed, ends_at=end)
    elif d.ends_at:  # editing the start keeps the length
        old_start = d.starts_at or start
        changed = replace(changed, ends_at=start + (d.ends_at - old_start))
    return changed


def _end_on_day(start: datetime, text: str, zone: ZoneInfo) -> datetime | None:
    """ "20:00", "bis 20 Uhr" on the start's local day, or None."""
    match = _END_TIME.match(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    local = start.astimezone(zone)
    return datetime(local.year, local.month, local.day, hour, minute, tzinfo=zone)


def _typed_end(context: LagContext, lang: str, d: DraftForm, text: str) -> datetime:
    zone = zone_of(context, d)
    start = d.start()
    end = _end_on_day(start, text, zone)
    if end is not None:
        return end
    try:
        w = parse_when(text, now=start, tz=zone, lang=lang)
    except TimeParseError:
        raise InvalidInput("event-new-end-unknown", text=echo(text, 100)) from None
    if not isinstance(w, OneOff) or w.rest:
        raise InvalidInput("event-new-end-unknown", text=echo(text, 100))
    return w.at


async def pressed(
    context: LagContext, lang: str, step: str, d: DraftForm, action: NewAction, cb: Callback
) -> tuple[DraftForm, bool]:
    """The draft after a button of the current step, and whether the step is done."""
    arg = cb.args[0] if cb.args else ""
    if step == "kind" and action is NewAction.KIND and arg in KINDS:
        return replace(d, kind=arg), True
    if step == "end" and action is NewAction.DURATION:
        hours = cb.int_arg(0)
        if hours not in DURATIONS:
            raise Stale()
        return replace(d, ends_at=d.start() + timedelta(hours=hours)), True
    if action is NewAction.SKIP and arg == step and step in SKIPPABLE:
        return SKIPPABLE[step](d), True
    if step == "audience":
        if action is NewAction.AUDIENCE_DONE:
            spec = d.spec
            if spec.members == "none" and spec.groups == "none":
                raise InvalidInput("event-nobody")
            return replace(d, audience=spec, view=None), True
        if picker.owns(cb):
            spec, view = await picker.apply(context, lang, d.spec, cb)
            return replace(d, audience=spec, view=view), False
    if step == "remind":
        if action is NewAction.REMIND_OFFSET and cb.int_arg(0) in REMIND_CHOICES:
            offsets = set(d.offsets) ^ {cb.int_arg(0)}
            return replace(d, remind_offsets=tuple(sorted(offsets, reverse=True))), False
        if action is NewAction.REMIND_MAYBE:
            return replace(d, remind_maybe=not d.remind_maybe), False
        if action is NewAction.REMIND_DONE:
            return d, True
    if step == "shifts":
        if action is NewAction.SHIFT_ALERT and cb.int_arg(0) in ALERT_CHOICES and d.shifts:
            return replace(d, shift_alert_days=cb.int_arg(0)), False
        if action is NewAction.SHIFTS_DONE:
            return d, True
    raise Stale()

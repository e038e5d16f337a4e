"""The steps of the event dialog: what each asks, what a typed answer or a button does to the
draft. Each check is the core's (`lag_bot.events.draft`); a refusal leaves the draft as it was.

The draft is `EventDraft.to_json()`, filled in step by step (`d`); `ask` renders a step's
question with its buttons, `typed` and `pressed` return the changed draft and whether the step
is answered (then the dialog moves on).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers import audience_picker as picker
from handlers.context import LagContext
from handlers.events.actions import NewAction
from lag_bot.audience import AudienceSpec
from lag_bot.callbacks import Callback, Feature
from lag_bot.errors import InvalidInput, Stale
from lag_bot.events.draft import DEFAULT_OFFSETS, KINDS, EventDraft, check_deadline, check_shifts, check_times
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
SKIPPABLE = {  # the value a skip button stores
    "place": "",
    "link": "",
    "description": "",
    "capacity": None,
    "deadline": None,
}
_END_TIME = re.compile(
    r"^\s*(?:bis|to|until|-|–)?\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr|h)?\s*$", re.IGNORECASE
)
_WITH_END = re.compile(r"^(?:bis|to|until|-|–)\s*", re.IGNORECASE)


def applies(step: str, d: dict[str, Any]) -> bool:
    """Whether a step is asked for this draft (shifts only for a single info stand, no deadline
    for a series)."""
    if step == "shifts":
        return d.get("kind") == "infostand" and not d.get("rrule")
    if step == "deadline":
        return not d.get("rrule")
    return True


def following(step: str, d: dict[str, Any]) -> str | None:
    """The next step after `step` that applies, or None when the draft is complete."""
    for name in STEPS[STEPS.index(step) + 1 :]:
        if name == "end" and d.get("ends_at"):
            continue  # the start was typed with its end ("3.12. 18:00 bis 20:00")
        if applies(name, d):
            return name
    return None


def zone_of(context: LagContext, d: dict[str, Any]) -> ZoneInfo:
    return ZoneInfo(str(d.get("tz") or context.services.settings.timezone.key))


def start_of(d: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(d["starts_at"])


def typed(
    context: LagContext, lang: str, step: str, d: dict[str, Any], text: str
) -> tuple[dict[str, Any], bool]:
    """The draft after a typed answer, and whether the step is done."""
    svc = context.services
    now = svc.clock()
    if step == "title":
        return {**d, "title": check_title(text)}, True
    if step == "start":
        return _typed_start(context, lang, d, text), True
    if step == "end":
        end = _typed_end(context, lang, d, text)
        check_times(start_of(d), end, now)
        return {**d, "ends_at": end.isoformat()}, True
    if step == "place":
        return {**d, "place": check_place(text)}, True
    if step == "link":
        link = parse_link(text)
        return {**d, "link": link}, True
    if step == "description":
        return {**d, "description": check_description(text)}, True
    if step == "capacity":
        return {**d, "capacity": parse_capacity(text)}, True
    if step == "deadline":
        w = parse_when(text, now=now, tz=zone_of(context, d), lang=lang)
        if not isinstance(w, OneOff) or w.rest:
            raise TimeParseError("time-unknown", text=echo(text, 100))
        check_deadline(w.at, start_of(d), now)
        return {**d, "deadline": w.at.isoformat()}, True
    if step == "remind":
        return {**d, "remind_offsets": list(parse_offsets(text))}, True
    if step == "shifts":
        shift = parse_shift(text, start_of(d), zone_of(context, d))
        shifts = [*d.get("shifts", []), [shift[0].isoformat(), shift[1].isoformat(), shift[2], shift[3]]]
        changed = {**d, "shifts": shifts, "shift_alert_days": d.get("shift_alert_days") or 2}
        check_shifts(_as_draft(changed))
        return changed, False  # more shifts may follow; "Fertig" ends the step
    raise Stale()


def _typed_start(context: LagContext, lang: str, d: dict[str, Any], text: str) -> dict[str, Any]:
    svc = context.services
    zone = zone_of(context, d)
    w = parse_when(text, now=svc.clock(), tz=zone, lang=lang)
    if isinstance(w, OneOff):
        start, rrule = w.at, None
    else:
        start, rrule = w.first, w.rrule
    changed = {**d, "starts_at": start.isoformat(), "rrule": rrule, "tz": zone.key}
    if rrule:  # a series has no deadline
        changed["deadline"] = None
    rest = w.rest.strip()
    if rest:
        if not _WITH_END.match(rest):
            raise InvalidInput("event-new-start-extra", text=echo(rest, 100))
        end = _end_on_day(start, rest, zone)
        if end is None:
            raise InvalidInput("event-new-start-extra", text=echo(rest, 100))
        check_times(start, end, svc.clock())
        changed["ends_at"] = end.isoformat()
    elif d.get("ends_at"):  # editing the start keeps the length
        old_start = datetime.fromisoformat(d["starts_at"]) if d.get("starts_at") else start
        changed["ends_at"] = (start + (datetime.fromisoformat(d["ends_at"]) - old_start)).isoformat()
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


def _typed_end(context: LagContext, lang: str, d: dict[str, Any], text: str) -> datetime:
    zone = zone_of(context, d)
    start = start_of(d)
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
    context: LagContext, lang: str, step: str, d: dict[str, Any], action: NewAction, cb: Callback
) -> tuple[dict[str, Any], bool]:
    """The draft after a button of the current step, and whether the step is done."""
    arg = cb.args[0] if cb.args else ""
    if step == "kind" and action is NewAction.KIND and arg in KINDS:
        return {**d, "kind": arg}, True
    if step == "end" and action is NewAction.DURATION:
        hours = cb.int_arg(0)
        if hours not in DURATIONS:
            raise Stale()
        return {**d, "ends_at": (start_of(d) + timedelta(hours=hours)).isoformat()}, True
    if action is NewAction.SKIP and arg == step and step in SKIPPABLE:
        return {**d, step: SKIPPABLE[step]}, True
    if step == "audience":
        if action is NewAction.AUDIENCE_DONE:
            spec = AudienceSpec.from_json(d["audience"]) if d.get("audience") else AudienceSpec()
            if spec.members == "none" and spec.groups == "none":
                raise InvalidInput("event-nobody")
            return {**d, "audience": spec.to_json(), "_view": None}, True
        if cb.action in picker.ACTIONS:
            spec = AudienceSpec.from_json(d["audience"]) if d.get("audience") else AudienceSpec()
            spec, view = await picker.apply(context, lang, spec, cb)
            return {**d, "audience": spec.to_json(), "_view": list(view)}, False
    if step == "remind":
        if action is NewAction.REMIND_OFFSET and cb.int_arg(0) in REMIND_CHOICES:
            offsets = set(d.get("remind_offsets", DEFAULT_OFFSETS)) ^ {cb.int_arg(0)}
            return {**d, "remind_offsets": sorted(offsets, reverse=True)}, False
        if action is NewAction.REMIND_MAYBE:
            return {**d, "remind_maybe": not d.get("remind_maybe")}, False
        if action is NewAction.REMIND_DONE:
            return d, True
    if step == "shifts":
        if action is NewAction.SHIFT_ALERT and cb.int_arg(0) in ALERT_CHOICES and d.get("shifts"):
            return {**d, "shift_alert_days": cb.int_arg(0)}, False
        if action is NewAction.SHIFTS_DONE:
            return d, True
    raise Stale()


def _as_draft(d: dict[str, Any]) -> EventDraft:
    return EventDraft.from_json(d)

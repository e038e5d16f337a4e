"""The steps of the event dialog: what each asks, what a typed answer or a button does to the
draft. Each check is the core's (`lag_bot.event_draft`); a refusal leaves the draft as it was.

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
from handlers.common import Button, chunk
from handlers.context import LagContext
from lag_bot.audience import AudienceSpec
from lag_bot.callbacks import Callback, encode
from lag_bot.errors import InvalidInput, Stale
from lag_bot.event_draft import DEFAULT_OFFSETS, KINDS, EventDraft, check_deadline, check_shifts, check_times
from lag_bot.event_input import (
    ShiftDraft,
    check_description,
    check_place,
    check_title,
    parse_capacity,
    parse_link,
    parse_offsets,
    parse_shift,
)
from lag_bot.event_render import describe_span, shift_label
from lag_bot.i18n import Html
from lag_bot.timeparse import OneOff, TimeParseError, describe_moment, parse_when

FEATURE = "en"
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


def _zone(context: LagContext, d: dict[str, Any]) -> ZoneInfo:
    return ZoneInfo(str(d.get("tz") or context.services.settings.timezone.key))


def _start(d: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(d["starts_at"])


def _btn(context: LagContext, lang: str, key: str, action: str, *args: str | int, **params: object) -> Button:
    return (context.services.texts.t(lang, f"event-new-btn-{key}", **params), encode(FEATURE, action, *args))


def offsets_text(context: LagContext, lang: str, offsets: list[int]) -> str:
    """ "1 Tag, 2 Std." (or "keine")."""
    t = context.services.texts.t
    named = [t(lang, f"event-new-btn-remind-{m}") if m in REMIND_CHOICES else _minutes(m) for m in offsets]
    return ", ".join(named) or t(lang, "event-new-offsets-none")


def _minutes(m: int) -> str:
    if m % 1440 == 0:
        return f"{m // 1440} d"
    if m % 60 == 0:
        return f"{m // 60} h"
    return f"{m} min"


async def ask(context: LagContext, lang: str, step: str, d: dict[str, Any]) -> tuple[str, list[list[Button]]]:
    """The question of a step and its buttons."""
    t = context.services.texts.t
    if step == "title":
        return t(lang, "event-new-ask-title"), []
    if step == "kind":
        kinds = [(t(lang, f"event-kind-{k}"), encode(FEATURE, "k", k)) for k in KINDS]
        return t(lang, "event-new-ask-kind", title=d.get("title", "")), chunk(kinds, 2)
    if step == "start":
        return t(lang, "event-new-ask-start"), []
    if step == "end":
        start = _start(d).astimezone(_zone(context, d))
        rows = [[_btn(context, lang, "hours", "dur", h, n=h) for h in DURATIONS]]
        return t(lang, "event-new-ask-end", start=describe_moment(start, lang)), rows
    if step in ("place", "link", "description", "capacity", "deadline"):
        skip = {"place": "no-place", "link": "no-link", "description": "no-description"}.get(step)
        skip = skip or {"capacity": "no-capacity", "deadline": "no-deadline"}[step]
        return t(lang, f"event-new-ask-{step}"), [[_btn(context, lang, skip, "sk", step)]]
    if step == "audience":
        spec = AudienceSpec.from_json(d["audience"]) if d.get("audience") else AudienceSpec()
        kind, dim, page = d.get("_view") or picker.AUDIENCE
        if kind == "seg":
            return await picker.dimension_screen(context, lang, spec, FEATURE, dim, page)
        if kind == "grp":
            return await picker.group_screen(context, lang, spec, FEATURE, page)
        rows = picker.choice_rows(context, lang, spec, FEATURE)
        rows.append([_btn(context, lang, "next", "an")])
        return t(lang, "event-new-ask-audience", **await picker.describe(context, lang, spec)), rows
    if step == "remind":
        offsets = list(d.get("remind_offsets", DEFAULT_OFFSETS))
        rows = chunk(
            [
                (
                    ("✅ " if m in offsets else "") + t(lang, f"event-new-btn-remind-{m}"),
                    encode(FEATURE, "ro", m),
                )
                for m in REMIND_CHOICES
            ],
            3,
        )
        maybe = bool(d.get("remind_maybe"))
        rows.append([(("✅ " if maybe else "") + t(lang, "event-new-btn-maybe"), encode(FEATURE, "rm"))])
        rows.append([_btn(context, lang, "next", "rn")])
        text = t(
            lang,
            "event-new-ask-remind",
            offsets=offsets_text(context, lang, offsets),
            maybe=t(lang, "event-new-yes" if maybe else "event-new-no"),
        )
        return text, rows
    if step == "shifts":
        return _shifts_screen(context, lang, d)
    raise Stale()


def _shifts_screen(context: LagContext, lang: str, d: dict[str, Any]) -> tuple[str, list[list[Button]]]:
    t = context.services.texts.t
    tz = str(d.get("tz") or context.services.settings.timezone.key)
    lines = []
    for s in d.get("shifts", []):
        label = shift_label_of(s, tz, lang)
        key = "event-new-shift-line" if s[3] is not None else "event-new-shift-line-open"
        lines.append(t(lang, key, shift=label, min=s[2], max=s[3] if s[3] is not None else ""))
    shown = "\n".join(lines) or t(lang, "event-new-shifts-none")
    if d.get("shifts"):
        days = d.get("shift_alert_days")
        if days:
            shown += "\n" + t(lang, "event-new-shifts-alert", days=days)
        alert = [
            (("✅ " if days == n else "") + t(lang, "event-new-btn-alert", n=n), encode(FEATURE, "sa", n))
            for n in ALERT_CHOICES
        ]
        rows = [*chunk(alert, 2), [_btn(context, lang, "shifts-done", "sn")]]
    else:
        rows = [[_btn(context, lang, "no-shifts", "sn")]]
    return t(lang, "event-new-ask-shifts", shifts=Html(shown)), rows


def shift_label_of(s: list[Any], tz: str, lang: str) -> str:
    """ "Samstag 10–12 Uhr" for a shift of the draft, `[start, end, min, max]`."""
    shift = ShiftDraft(datetime.fromisoformat(s[0]), datetime.fromisoformat(s[1]), int(s[2]), s[3])
    return shift_label(shift, tz, lang)


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
        check_times(_start(d), end, now)
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
        w = parse_when(text, now=now, tz=_zone(context, d), lang=lang)
        if not isinstance(w, OneOff) or w.rest:
            raise TimeParseError("time-unknown", text=text[:100])
        check_deadline(w.at, _start(d), now)
        return {**d, "deadline": w.at.isoformat()}, True
    if step == "remind":
        return {**d, "remind_offsets": list(parse_offsets(text))}, True
    if step == "shifts":
        shift = parse_shift(text, _start(d), _zone(context, d))
        shifts = [*d.get("shifts", []), [shift[0].isoformat(), shift[1].isoformat(), shift[2], shift[3]]]
        changed = {**d, "shifts": shifts, "shift_alert_days": d.get("shift_alert_days") or 2}
        check_shifts(_as_draft(changed))
        return changed, False  # more shifts may follow; "Fertig" ends the step
    raise Stale()


def _typed_start(context: LagContext, lang: str, d: dict[str, Any], text: str) -> dict[str, Any]:
    svc = context.services
    zone = _zone(context, d)
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
            raise InvalidInput("event-new-start-extra", text=rest[:100])
        end = _end_on_day(start, rest, zone)
        if end is None:
            raise InvalidInput("event-new-start-extra", text=rest[:100])
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
    zone = _zone(context, d)
    start = _start(d)
    end = _end_on_day(start, text, zone)
    if end is not None:
        return end
    try:
        w = parse_when(text, now=start, tz=zone, lang=lang)
    except TimeParseError:
        raise InvalidInput("event-new-end-unknown", text=text[:100]) from None
    if not isinstance(w, OneOff) or w.rest:
        raise InvalidInput("event-new-end-unknown", text=text[:100])
    return w.at


async def pressed(
    context: LagContext, lang: str, step: str, d: dict[str, Any], cb: Callback
) -> tuple[dict[str, Any], bool]:
    """The draft after a button of the current step, and whether the step is done."""
    arg = cb.args[0] if cb.args else ""
    if step == "kind" and cb.action == "k" and arg in KINDS:
        return {**d, "kind": arg}, True
    if step == "end" and cb.action == "dur":
        hours = cb.int_arg(0)
        if hours not in DURATIONS:
            raise Stale()
        return {**d, "ends_at": (_start(d) + timedelta(hours=hours)).isoformat()}, True
    if cb.action == "sk" and arg == step and step in SKIPPABLE:
        return {**d, step: SKIPPABLE[step]}, True
    if step == "audience":
        if cb.action == "an":
            spec = AudienceSpec.from_json(d["audience"]) if d.get("audience") else AudienceSpec()
            if spec.members == "none" and spec.groups == "none":
                raise InvalidInput("event-nobody")
            return {**d, "audience": spec.to_json(), "_view": None}, True
        if cb.action in picker.ACTIONS:
            spec = AudienceSpec.from_json(d["audience"]) if d.get("audience") else AudienceSpec()
            spec, view = await picker.apply(context, lang, spec, cb)
            return {**d, "audience": spec.to_json(), "_view": list(view)}, False
    if step == "remind":
        if cb.action == "ro" and cb.int_arg(0) in REMIND_CHOICES:
            offsets = set(d.get("remind_offsets", DEFAULT_OFFSETS)) ^ {cb.int_arg(0)}
            return {**d, "remind_offsets": sorted(offsets, reverse=True)}, False
        if cb.action == "rm":
            return {**d, "remind_maybe": not d.get("remind_maybe")}, False
        if cb.action == "rn":
            return d, True
    if step == "shifts":
        if cb.action == "sa" and cb.int_arg(0) in ALERT_CHOICES and d.get("shifts"):
            return {**d, "shift_alert_days": cb.int_arg(0)}, False
        if cb.action == "sn":
            return d, True
    raise Stale()


def _as_draft(d: dict[str, Any]) -> EventDraft:
    return EventDraft.from_json(d)


def span(context: LagContext, lang: str, d: dict[str, Any]) -> str:
    """ "Dienstag, 3. Dezember 2026, 18:00–20:00 Uhr" of the draft."""
    zone = _zone(context, d)
    return describe_span(
        _start(d).astimezone(zone), datetime.fromisoformat(d["ends_at"]).astimezone(zone), lang
    )

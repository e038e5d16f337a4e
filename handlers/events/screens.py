"""What each step of the event dialog shows: its question and its buttons (the rules for the
answers are in `handlers.events.steps`)."""

from __future__ import annotations

from handlers import audience_picker as picker
from handlers.common import Button, chunk
from handlers.context import LagContext
from handlers.events.actions import NewAction
from handlers.events.steps import ALERT_CHOICES, DURATIONS, FEATURE, REMIND_CHOICES, zone_of
from lag_bot.callbacks import encode
from lag_bot.errors import Stale
from lag_bot.events.draft import KINDS
from lag_bot.events.draft_form import DraftForm
from lag_bot.events.render import shift_label
from lag_bot.i18n import Html
from lag_bot.timeparse.parse import describe_moment


def _btn(
    context: LagContext, lang: str, key: str, action: NewAction, *args: str | int, **params: object
) -> Button:
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


async def ask(context: LagContext, lang: str, step: str, d: DraftForm) -> tuple[str, list[list[Button]]]:
    """The question of a step and its buttons."""
    t = context.services.texts.t
    if step == "title":
        return t(lang, "event-new-ask-title"), []
    if step == "kind":
        kinds = [(t(lang, f"event-kind-{k}"), encode(FEATURE, NewAction.KIND, k)) for k in KINDS]
        return t(lang, "event-new-ask-kind", title=d.title or ""), chunk(kinds, 2)
    if step == "start":
        return t(lang, "event-new-ask-start"), []
    if step == "end":
        start = d.start().astimezone(zone_of(context, d))
        rows = [[_btn(context, lang, "hours", NewAction.DURATION, h, n=h) for h in DURATIONS]]
        return t(lang, "event-new-ask-end", start=describe_moment(start, lang)), rows
    if step in ("place", "link", "description", "capacity", "deadline"):
        skip = {"place": "no-place", "link": "no-link", "description": "no-description"}.get(step)
        skip = skip or {"capacity": "no-capacity", "deadline": "no-deadline"}[step]
        return t(lang, f"event-new-ask-{step}"), [[_btn(context, lang, skip, NewAction.SKIP, step)]]
    if step == "audience":
        spec = d.spec
        kind, dim, page = d.view or picker.AUDIENCE
        if kind == "seg":
            return await picker.dimension_screen(context, lang, spec, FEATURE, dim, page)
        if kind == "grp":
            return await picker.group_screen(context, lang, spec, FEATURE, page)
        rows = picker.choice_rows(context, lang, spec, FEATURE)
        rows.append([_btn(context, lang, "next", NewAction.AUDIENCE_DONE)])
        return t(lang, "event-new-ask-audience", **await picker.describe(context, lang, spec)), rows
    if step == "remind":
        offsets = list(d.offsets)
        rows = chunk(
            [
                (
                    ("✅ " if m in offsets else "") + t(lang, f"event-new-btn-remind-{m}"),
                    encode(FEATURE, NewAction.REMIND_OFFSET, m),
                )
                for m in REMIND_CHOICES
            ],
            3,
        )
        maybe = d.remind_maybe
        label = ("✅ " if maybe else "") + t(lang, "event-new-btn-maybe")
        rows.append([(label, encode(FEATURE, NewAction.REMIND_MAYBE))])
        rows.append([_btn(context, lang, "next", NewAction.REMIND_DONE)])
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


def _shifts_screen(context: LagContext, lang: str, d: DraftForm) -> tuple[str, list[list[Button]]]:
    t = context.services.texts.t
    tz = str(d.tz or context.services.settings.timezone.key)
    lines = []
    for s in d.shifts:
        label = shift_label(context.services.texts, lang, s, tz)
        most = s.max_people
        if most is not None and most == s.min_people:
            lines.append(t(lang, "event-new-shift-exact", shift=label, count=most))
            continue
        key = "event-new-shift-line" if most is not None else "event-new-shift-line-open"
        lines.append(t(lang, key, shift=label, min=s.min_people, max=most if most is not None else ""))
    shown = "\n".join(lines) or t(lang, "event-new-shifts-none")
    if d.shifts:
        days = d.shift_alert_days
        if days:
            shown += "\n" + t(lang, "event-new-shifts-alert", count=days)
        alert = [
            (
                ("✅ " if days == n else "") + t(lang, "event-new-btn-alert", count=n),
                encode(FEATURE, NewAction.SHIFT_ALERT, n),
            )
            for n in ALERT_CHOICES
        ]
        rows = [*chunk(alert, 2), [_btn(context, lang, "shifts-done", NewAction.SHIFTS_DONE)]]
    else:
        rows = [[_btn(context, lang, "no-shifts", NewAction.SHIFTS_DONE)]]
    return t(lang, "event-new-ask-shifts", shifts=Html(shown)), rows

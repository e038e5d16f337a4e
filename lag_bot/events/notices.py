"""The notices of the events feature, each rendered per language by `per_language`: moved up from
the waitlist, changed, cancelled, a reminder, understaffed shifts, a coordinator's message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from lag_bot.events.models import Event, Shift
from lag_bot.events.render import describe_span, shift_label, shown_date
from lag_bot.i18n import Catalog, Html
from lag_bot.timeparse.describe import describe_moment, describe_rule
from lag_bot.timeparse.recurrence import Rule


def render_promoted(texts: Catalog, lang: str, event: Event, now: datetime) -> str:
    """A member moved up from the waitlist."""
    start, end = shown_date(event, now)
    when = describe_span(texts, lang, start, end)
    return texts.t(lang, "event-notice-promoted", title=event.title, when=when)


_CHANGE_LINES = (
    ("title", "event-notice-changed-title"),
    ("kind", "event-notice-changed-kind"),
    ("time", "event-notice-changed-time"),
    ("place", "event-notice-changed-place"),
    ("link", "event-notice-changed-link"),
    ("capacity", "event-notice-changed-capacity"),
    ("deadline", "event-notice-changed-deadline"),
    ("description", "event-notice-changed-description"),
)
TIME_FIELDS = frozenset({"starts_at", "ends_at", "rrule", "tz"})
NOTICE_FIELDS = TIME_FIELDS | {"title", "kind", "place", "link", "capacity", "deadline", "description"}


def render_change(texts: Catalog, lang: str, event: Event, changed: Sequence[str], now: datetime) -> str:
    """ "Geändert: „LAG-Sitzung“" and one line per thing that changed, with its new value."""
    start, end = shown_date(event, now)
    topics = {"time" if f in TIME_FIELDS else f for f in changed}
    zone = ZoneInfo(event.tz)
    values = {
        "title": event.title,
        "kind": texts.t(lang, f"event-kind-{event.kind}"),
        "time": describe_span(texts, lang, start, end),
        "place": event.place or "–",
        "link": event.link or "–",
        "capacity": event.capacity if event.capacity is not None else texts.t(lang, "event-card-unlimited"),
        "deadline": describe_moment(event.deadline.astimezone(zone), lang) if event.deadline else "–",
        "description": "",
    }
    lines = [texts.t(lang, "event-notice-changed", title=event.title)]
    if event.rrule is not None and "time" in topics:
        lines.append(
            texts.t(lang, "event-card-series", rule=describe_rule(Rule.from_rrule(event.rrule), lang, None))
        )
    lines += [texts.t(lang, key, value=values[topic]) for topic, key in _CHANGE_LINES if topic in topics]
    return "\n".join(lines)


def render_cancel(texts: Catalog, lang: str, event: Event, occurrence: datetime | None) -> str:
    """The whole event, or one date of a series, is cancelled."""
    if occurrence is None and event.rrule is not None:
        return texts.t(lang, "event-notice-cancelled-series", title=event.title)
    if occurrence is None:
        start, end = shown_date(event, None)
        return texts.t(
            lang, "event-notice-cancelled", title=event.title, when=describe_span(texts, lang, start, end)
        )
    at = occurrence.astimezone(ZoneInfo(event.tz))
    return texts.t(lang, "event-notice-cancelled-date", title=event.title, when=describe_moment(at, lang))


def render_reminder(
    texts: Catalog, lang: str, event: Event, start: datetime, end: datetime, late: bool
) -> str:
    """ "⏰ Erinnerung: <title> – <time>, <place>"."""
    zone = ZoneInfo(event.tz)
    when = describe_span(texts, lang, start.astimezone(zone), end.astimezone(zone))
    key = "event-notice-reminder-late" if late else "event-notice-reminder"
    return texts.t(lang, key, title=event.title, when=when, where=event.place or event.link)


def render_shift_alert(texts: Catalog, lang: str, event: Event, shifts: Sequence[Shift]) -> str:
    """The understaffed shifts: "Samstag 12–14 Uhr: noch 2 Leute gesucht"."""
    lines = [texts.t(lang, "event-notice-shifts", title=event.title)]
    for shift in shifts:
        label = shift_label(texts, lang, shift, event.tz)
        lines.append(texts.t(lang, "event-notice-shift-missing", shift=label, count=shift.missing))
    return "\n".join(lines)


def render_message(texts: Catalog, lang: str, event: Event, body_html: str) -> str:
    """A coordinator's message to the attendees, under a line naming the event."""
    return texts.t(lang, "event-notice-message", title=event.title, body=Html(body_html))

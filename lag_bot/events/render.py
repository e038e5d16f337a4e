"""The texts of the events feature: the announcement card, times and shifts, and the parts per
language (the notices are in `lag_bot.events.notices`, the answer buttons in `rsvp_buttons`).

    text = render_announcement(texts, "de", event, counts, my_answer="yes", now=now)
    buttons = rsvp_buttons(texts, "de", event, closed=is_closed(event, now))

The handler edits a pressed announcement with the same two calls, so it always looks like what
the outbox sent. Every value from users is escaped by the catalog; times show in the event's zone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from lag_bot.delivery.message_parts import Part, build_parts
from lag_bot.events.draft import EventDraft
from lag_bot.events.input import ShiftDraft
from lag_bot.events.models import Event, RsvpCounts, Shift
from lag_bot.events.times import current_date, next_date
from lag_bot.formats import clock, weekday
from lag_bot.i18n import LANGUAGES, Catalog, Html
from lag_bot.timeparse.describe import describe_date, describe_moment, describe_rule
from lag_bot.timeparse.recurrence import Rule

Buttons = tuple[tuple[str, str], ...]


def describe_span(texts: Catalog, lang: str, start: datetime, end: datetime) -> Html:
    """ "Samstag, 27. März 2027, 18:00–20:00 Uhr"; over several days, both moments in full."""
    if start.date() != end.date():
        first, last = describe_moment(start, lang), describe_moment(end, lang)
        return Html(texts.t(lang, "event-time-days", start=first, end=last))
    date = describe_date(start, lang)
    return Html(texts.t(lang, "event-time-span", date=date, start=clock(start, lang), end=clock(end, lang)))


def shift_label(texts: Catalog, lang: str, shift: Shift | ShiftDraft, tz: str) -> Html:
    """ "Samstag 12–14 Uhr" / "Saturday 12:00–14:00" (a stored shift or one in a draft): German
    writes whole hours without the minutes."""
    zone = ZoneInfo(tz)
    start, end = shift.starts_at.astimezone(zone), shift.ends_at.astimezone(zone)
    day = weekday(start, lang)
    if lang != "en" and start.minute == 0 and end.minute == 0:
        return Html(texts.t(lang, "event-time-shift", day=day, start=start.hour, end=end.hour))
    return Html(texts.t(lang, "event-time-shift", day=day, start=clock(start, lang), end=clock(end, lang)))


def shown_date(event: Event | EventDraft, now: datetime | None) -> tuple[datetime, datetime]:
    """The date an announcement shows, in the event's zone: the one under way or next, else the first."""
    found = current_date(event, now) if isinstance(event, Event) and now is not None else None
    start, end = found or (event.starts_at, event.ends_at)
    zone = ZoneInfo(event.tz)
    return start.astimezone(zone), end.astimezone(zone)


def counts_line(texts: Catalog, lang: str, counts: RsvpCounts) -> str:
    """ "✅ 3 · ❔ 1 · ❌ 2" (and "· ⏳ 1" while someone waits)."""
    line = texts.t(lang, "event-card-counts", yes=counts.yes, maybe=counts.maybe, no=counts.no)
    if counts.waitlist:
        line += texts.t(lang, "event-card-counts-waiting", waiting=counts.waitlist)
    return line


def answer_label(texts: Catalog, lang: str, answer: str, position: int | None = None) -> str:
    """ "Zusage", "Warteliste (Platz 2)"."""
    if answer == "waitlist" and position is not None:
        return texts.t(lang, "event-answer-waitlist-at", position=position)
    return texts.t(lang, f"event-answer-{answer}")


def render_announcement(
    texts: Catalog,
    lang: str,
    event: Event | EventDraft,
    counts: RsvpCounts,
    my_answer: str | None = None,
    *,
    now: datetime | None = None,
    my_position: int | None = None,
) -> str:
    """The announcement card: what, when, where, seats, deadline, counts and the reader's answer."""
    t = texts.t
    lines: list[str] = []
    if isinstance(event, Event) and event.cancelled:
        lines.append(t(lang, "event-card-cancelled"))
    lines.append(t(lang, "event-card-title", title=event.title, kind=t(lang, f"event-kind-{event.kind}")))
    start, end = shown_date(event, now)
    if event.rrule is not None:
        rule = describe_rule(Rule.from_rrule(event.rrule), lang, None)
        lines.append(t(lang, "event-card-series", rule=rule))
    lines.append(t(lang, "event-card-when", when=describe_span(texts, lang, start, end)))
    if event.place:
        lines.append(t(lang, "event-card-place", place=event.place))
    if event.link:
        lines.append(t(lang, "event-card-link", link=event.link))
    if event.capacity is not None:
        free = counts.free(event.capacity) or 0
        if free:
            lines.append(t(lang, "event-card-seats", free=free, count=event.capacity))
        else:
            lines.append(t(lang, "event-card-full", count=event.capacity))
    if event.deadline is not None:
        deadline = describe_moment(event.deadline.astimezone(ZoneInfo(event.tz)), lang)
        lines.append(t(lang, "event-card-deadline", deadline=deadline))
    if event.description:
        lines.append("\n" + t(lang, "event-card-description", description=event.description))
    lines.append("\n" + counts_line(texts, lang, counts))
    if my_answer:
        label = answer_label(texts, lang, my_answer, my_position)
        lines.append(t(lang, "event-card-mine", answer=Html(label)))
    return "\n".join(lines)


def is_closed(event: Event, now: datetime) -> bool:
    """Whether answers are no longer taken: cancelled, after the deadline, or no date ahead."""
    return (
        event.cancelled
        or (event.deadline is not None and now >= event.deadline)
        or next_date(event, now) is None
    )


def with_buttons(parts: list[Part], buttons: Buttons) -> list[Part]:
    """The parts with a row of buttons under the last one."""
    last = parts[-1]
    return [*parts[:-1], Part(last.kind, last.text, last.file_id, (*last.buttons, *buttons))]


def per_language(
    default_language: str, render: Callable[[str], str], buttons: Callable[[str], Buttons] | None = None
) -> dict[str, list[Part]]:
    """Parts for each language, and "" (groups, unknown languages) in the default one."""
    parts: dict[str, list[Part]] = {}
    for lang in LANGUAGES:
        built = build_parts(render(lang))
        parts[lang] = with_buttons(built, buttons(lang)) if buttons else built
    parts[""] = parts[default_language]
    return parts


def render_shifts(texts: Catalog, lang: str, event: Event, shifts: Sequence[Shift]) -> str:
    """The shifts of an info stand with their counts, the reader's own marked."""
    lines = [texts.t(lang, "event-shift-head", title=event.title)]
    for shift in shifts:
        key = "event-shift-line" if shift.max_people is not None else "event-shift-line-open"
        line = texts.t(
            lang,
            key,
            shift=shift_label(texts, lang, shift, event.tz),
            signed=shift.signed,
            min=shift.min_people,
            max=shift.max_people or 0,
        )
        lines.append(line + (texts.t(lang, "event-shift-mine") if shift.mine else ""))
    return "\n".join(lines)

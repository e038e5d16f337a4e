"""The audience screen of a broadcast draft: members (all, a segment, none), groups (none, all,
by kind, picked), the segment editor per dimension, the read button and the sending time.

Every screen shows the current choice and the live number of recipients; a press edits the
screen in place. Values from buttons are checked against the lists offered, so a forged press
changes nothing.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from handlers.broadcast_report import FEATURE, local_time
from handlers.common import Button, chunk, keyboard, paged, send_html
from handlers.context import LagContext
from lag_bot.audience import GROUP_CHOICES, MEMBER_CHOICES, AudienceSpec
from lag_bot.broadcasts import Draft
from lag_bot.callbacks import Callback, encode
from lag_bot.errors import InvalidInput, Stale
from lag_bot.i18n import Html
from lag_bot.models import Level, Role

DIMENSIONS = {"d": "districts", "l": "levels", "b": "bodies", "t": "topics", "r": "roles"}
NUMERIC = ("d", "b", "t")  # dimensions whose values are ids
GROUP_KINDS = ("lag", "district", "faction")
View = tuple[str, str, int]  # ("aud" | "seg" | "grp", dimension, page)
AUDIENCE: View = ("aud", "", 0)
TIME_FORMAT = "%d.%m.%Y %H:%M"


def parse_when(text: str, tz: ZoneInfo, now: datetime) -> datetime:
    """A typed `TT.MM.JJJJ HH:MM` (local time) as UTC; InvalidInput if malformed or past."""
    try:
        local = datetime.strptime(text.strip(), TIME_FORMAT)
    except ValueError:
        raise InvalidInput("broadcast-time-invalid") from None
    moment = local.replace(tzinfo=tz).astimezone(UTC)
    if moment <= now:
        raise InvalidInput("broadcast-time-past", when=text.strip())
    return moment


async def options(context: LagContext, lang: str, dim: str) -> list[tuple[str, str]]:
    """(value, label) of everything one segment dimension offers."""
    svc = context.services
    t = svc.texts.t
    if dim == "d":
        return [(str(d.id), d.name) for d in await svc.territory.districts()]
    if dim == "l":
        return [(lv.value, t(lang, f"level-{lv.value}")) for lv in Level]
    if dim == "b":
        return [(str(b.id), b.name) for b in await svc.territory.bodies()]
    if dim == "t":
        return [(str(tp.id), tp.name(lang)) for tp in await svc.territory.topics()]
    return [(r.value, t(lang, f"role-{r.value}")) for r in Role]


def _chosen(spec: AudienceSpec, dim: str) -> set[str]:
    return {str(v) for v in getattr(spec.segment, DIMENSIONS[dim])}


async def _linked_groups(context: LagContext) -> list[tuple[int, str]]:
    return [(g.id, g.title) for g in await context.services.groups.chats.active() if g.link_kind]


async def apply(context: LagContext, lang: str, draft: Draft, cb: Callback) -> tuple[Draft, View]:
    """The draft after one audience button, and the screen to show next."""
    spec = draft.audience
    arg = cb.args[0] if cb.args else ""
    if cb.action == "aud":
        return draft, AUDIENCE
    if cb.action == "m" and arg in MEMBER_CHOICES:
        return replace(draft, audience=replace(spec, members=arg)), AUDIENCE
    if cb.action == "g" and arg in GROUP_CHOICES:
        view: View = ("grp", "", 0) if arg == "picked" else AUDIENCE
        return replace(draft, audience=replace(spec, groups=arg)), view
    if cb.action == "gk" and arg in GROUP_KINDS:
        kinds = spec.group_kinds ^ {arg}
        return replace(draft, audience=replace(spec, groups="kinds", group_kinds=kinds)), AUDIENCE
    if cb.action == "gl":
        return draft, ("grp", "", cb.int_arg(0))
    if cb.action == "gp":
        group_id = cb.int_arg(0)
        if group_id not in {gid for gid, _ in await _linked_groups(context)}:
            raise Stale()
        picked = replace(spec, groups="picked", group_ids=spec.group_ids ^ {group_id})
        return replace(draft, audience=picked), ("grp", "", cb.int_arg(1))
    if cb.action in ("seg", "st") and arg in DIMENSIONS:
        if cb.action == "seg":
            return draft, ("seg", arg, cb.int_arg(1))
        value = cb.args[1] if len(cb.args) > 1 else ""
        if value not in {v for v, _ in await options(context, lang, arg)}:
            raise Stale()
        field = DIMENSIONS[arg]
        item: int | str = int(value) if arg in NUMERIC else value
        segment = replace(spec.segment, **{field: getattr(spec.segment, field) ^ {item}})
        narrowed = replace(spec, members="segment", segment=segment)
        return replace(draft, audience=narrowed), ("seg", arg, cb.int_arg(2))
    if cb.action == "rb":
        return replace(draft, read_button=not draft.read_button), AUDIENCE
    if cb.action == "now":
        return replace(draft, scheduled_at=None), AUDIENCE
    raise Stale()


SUMMARY_LABELS = 12


async def segment_summary(context: LagContext, lang: str, spec: AudienceSpec) -> Html:
    """The chosen values per dimension, e.g. "Kreis: Landkreis Rostock; Ebene: Kreistag"."""
    t = context.services.texts.t
    parts = []
    for dim in DIMENSIONS:
        chosen = _chosen(spec, dim)
        if chosen:
            labels = [
                html.escape(label) for value, label in await options(context, lang, dim) if value in chosen
            ]
            # A long choice is shortened so the screen stays far below Telegram's 4096 characters.
            shown = ", ".join(labels[:SUMMARY_LABELS]) + (
                f" (+{len(labels) - SUMMARY_LABELS})" if len(labels) > SUMMARY_LABELS else ""
            )
            parts.append(f"{t(lang, f'broadcast-dim-{dim}')}: {shown}")
    return Html("; ".join(parts) or t(lang, "broadcast-segment-everyone"))


async def _describe(context: LagContext, lang: str, draft: Draft) -> dict[str, object]:
    t = context.services.texts.t
    spec = draft.audience
    if spec.members == "segment":
        members = t(lang, "broadcast-members-segment", segment=await segment_summary(context, lang, spec))
    else:
        members = t(lang, f"broadcast-members-{spec.members}")
    kinds = ", ".join(t(lang, f"broadcast-kind-{k}") for k in GROUP_KINDS if k in spec.group_kinds)
    groups = t(lang, f"broadcast-groups-{spec.groups}", kinds=Html(kinds or "–"), count=len(spec.group_ids))
    count_members, count_groups = await context.services.broadcasts.count(spec)
    return {
        "members": Html(members),
        "groups": Html(groups),
        "read": Html(t(lang, "broadcast-on" if draft.read_button else "broadcast-off")),
        "when": Html(when_text(context, lang, draft)),
        "count_members": count_members,
        "count_groups": count_groups,
    }


def when_text(context: LagContext, lang: str, draft: Draft) -> str:
    """The local time it is scheduled for, or "right away" in the catalog's words."""
    if draft.scheduled_at:
        return html.escape(local_time(context, draft.scheduled_at))
    return context.services.texts.t(lang, "broadcast-when-now")


def _mark(chosen: bool, label: str) -> str:
    return ("✅ " if chosen else "") + label


async def _audience_screen(context: LagContext, lang: str, draft: Draft) -> tuple[str, list[list[Button]]]:
    t = context.services.texts.t
    spec = draft.audience
    rows: list[list[Button]] = [
        [
            (_mark(spec.members == c, t(lang, f"broadcast-btn-members-{c}")), encode(FEATURE, "m", c))
            for c in MEMBER_CHOICES
        ]
    ]
    if spec.members == "segment":
        dims = [
            (
                t(lang, f"broadcast-dim-{d}") + (f" ({len(_chosen(spec, d))})" if _chosen(spec, d) else ""),
                encode(FEATURE, "seg", d, 0),
            )
            for d in DIMENSIONS
        ]
        rows += chunk(dims, 3)
    rows += chunk(
        [
            (_mark(spec.groups == c, t(lang, f"broadcast-btn-groups-{c}")), encode(FEATURE, "g", c))
            for c in GROUP_CHOICES
        ],
        2,
    )
    if spec.groups == "kinds":
        rows.append(
            [
                (_mark(k in spec.group_kinds, t(lang, f"broadcast-kind-{k}")), encode(FEATURE, "gk", k))
                for k in GROUP_KINDS
            ]
        )
    if spec.groups == "picked":
        rows.append([(t(lang, "broadcast-btn-pick-groups"), encode(FEATURE, "gl", 0))])
    read_key = "broadcast-btn-read-on" if draft.read_button else "broadcast-btn-read-off"
    timing = [(t(lang, "broadcast-btn-when"), encode(FEATURE, "when"))]
    if draft.scheduled_at:
        timing.append((t(lang, "broadcast-btn-now"), encode(FEATURE, "now")))
    rows.append([(t(lang, read_key), encode(FEATURE, "rb")), *timing])
    rows.append(
        [
            (t(lang, "broadcast-btn-preview"), encode(FEATURE, "pv")),
            (t(lang, "broadcast-btn-cancel"), encode(FEATURE, "x")),
        ]
    )
    return t(lang, "broadcast-audience", **await _describe(context, lang, draft)), rows


async def _dimension_screen(
    context: LagContext, lang: str, draft: Draft, dim: str, page: int
) -> tuple[str, list[list[Button]]]:
    t = context.services.texts.t
    chosen = _chosen(draft.audience, dim)
    buttons = [
        (_mark(v in chosen, label), encode(FEATURE, "st", dim, v, page))
        for v, label in await options(context, lang, dim)
    ]
    rows = paged(buttons, page, lambda p: encode(FEATURE, "seg", dim, p), per_row=2)
    rows.append([(t(lang, "broadcast-btn-back"), encode(FEATURE, "aud"))])
    members, groups = await context.services.broadcasts.count(draft.audience)
    text = t(
        lang,
        "broadcast-choose-dim",
        dim=Html(t(lang, f"broadcast-dim-{dim}")),
        current=await segment_summary(context, lang, draft.audience),
        count_members=members,
        count_groups=groups,
    )
    return text, rows


async def _group_screen(
    context: LagContext, lang: str, draft: Draft, page: int
) -> tuple[str, list[list[Button]]]:
    t = context.services.texts.t
    picked = draft.audience.group_ids
    buttons = [
        (_mark(gid in picked, title), encode(FEATURE, "gp", gid, page))
        for gid, title in await _linked_groups(context)
    ]
    rows = paged(buttons, page, lambda p: encode(FEATURE, "gl", p))
    rows.append([(t(lang, "broadcast-btn-back"), encode(FEATURE, "aud"))])
    members, groups = await context.services.broadcasts.count(draft.audience)
    key = "broadcast-choose-groups" if buttons else "broadcast-no-groups"
    return t(lang, key, count_members=members, count_groups=groups), rows


async def show(update: Update, context: LagContext, lang: str, draft: Draft, view: View, edit: bool) -> None:
    """Show a screen of the audience editor: in place of the pressed message, or as a new one."""
    kind, dim, page = view
    if kind == "seg":
        text, rows = await _dimension_screen(context, lang, draft, dim, page)
    elif kind == "grp":
        text, rows = await _group_screen(context, lang, draft, page)
    else:
        text, rows = await _audience_screen(context, lang, draft)
    query = update.callback_query
    if edit and query is not None:
        try:
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows))
        except BadRequest as exc:  # pressed what was already chosen: the screen stays as it is
            if "not modified" not in exc.message.lower():
                raise
        return
    await send_html(update, context, text, rows)

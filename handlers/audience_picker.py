"""Choosing who gets something: members (all, a segment, none) and linked groups (none, all,
by kind, picked), with the segment editor per dimension. Shared by broadcasts, segment reminders
and events; each caller passes its callback feature and adds its own rows and texts.

Every screen shows the current choice and the live number of recipients; a press edits the
screen in place. Values from buttons are checked against the lists offered, so a forged press
changes nothing.

One file on purpose (about 260 lines): the picker's buttons, what a press does to the choice and
the screens that offer them are one thing, shared by three features; split, each half would
need the other's table of buttons.
"""

from __future__ import annotations

import enum
import html
from dataclasses import replace

from telegram import Update
from telegram.constants import ParseMode

from handlers.common import Button, chunk, keyboard, paged, send_html
from handlers.context import LagContext
from lag_bot.audience import GROUP_CHOICES, MEMBER_CHOICES, AudienceSpec
from lag_bot.callbacks import Callback, encode
from lag_bot.errors import Stale
from lag_bot.i18n import Html
from lag_bot.models import Level, Role


class Action(enum.StrEnum):
    """The picker's buttons, under the feature of the screen that uses it."""

    AUDIENCE = "aud"  # back to the main screen
    MEMBERS = "m"  # all / segment / none
    GROUPS = "g"  # none / all / kinds / picked
    GROUP_KIND = "gk"  # toggle a kind of group
    GROUP_LIST = "gl"  # a page of the groups to pick
    GROUP_PICK = "gp"  # toggle one group
    SEGMENT = "seg"  # a page of one dimension's values
    SEGMENT_TOGGLE = "st"  # toggle one value of a dimension


DIMENSIONS = {"d": "districts", "l": "levels", "b": "bodies", "t": "topics", "r": "roles"}
NUMERIC = ("d", "b", "t")  # dimensions whose values are ids
GROUP_KINDS = ("lag", "district", "faction")
View = tuple[str, str, int]  # ("aud" | "seg" | "grp", dimension, page)
AUDIENCE: View = ("aud", "", 0)
SUMMARY_LABELS = 12


def owns(cb: Callback) -> bool:
    """Whether a press is one of the picker's buttons (whichever feature's screen it is on): then
    `apply` takes it."""
    try:
        cb.action_of(Action)
    except Stale:
        return False
    return True


async def options(context: LagContext, lang: str, dim: str) -> list[tuple[str, str]]:
    """(value, label) of everything one segment dimension offers."""
    segments = context.services.broadcasts.segments
    t = context.services.texts.t
    if dim == "d":
        return [(str(d.id), d.name) for d in await segments.districts()]
    if dim == "l":
        return [(lv.value, t(lang, f"level-{lv.value}")) for lv in Level]
    if dim == "b":
        return [(str(b.id), b.name) for b in await segments.bodies()]
    if dim == "t":
        return [(str(tp.id), tp.name(lang)) for tp in await segments.topics()]
    return [(r.value, t(lang, f"role-{r.value}")) for r in Role]


def _chosen(spec: AudienceSpec, dim: str) -> set[str]:
    return {str(v) for v in getattr(spec.segment, DIMENSIONS[dim])}


async def _linked_groups(context: LagContext) -> list[tuple[int, str]]:
    return [(g.id, g.title) for g in await context.services.broadcasts.segments.linked_groups()]


async def apply(
    context: LagContext, lang: str, spec: AudienceSpec, cb: Callback
) -> tuple[AudienceSpec, View]:
    """The choice after one picker button, and the screen to show next (Stale for a forged one)."""
    action = cb.action_of(Action)
    if action is Action.AUDIENCE:
        return spec, AUDIENCE
    if action is Action.MEMBERS:
        return replace(spec, members=cb.str_arg(0, MEMBER_CHOICES)), AUDIENCE
    if action is Action.GROUPS:
        groups = cb.str_arg(0, GROUP_CHOICES)
        view: View = ("grp", "", 0) if groups == "picked" else AUDIENCE
        return replace(spec, groups=groups), view
    if action is Action.GROUP_KIND:
        kinds = spec.group_kinds ^ {cb.str_arg(0, GROUP_KINDS)}
        return replace(spec, groups="kinds", group_kinds=kinds), AUDIENCE
    if action is Action.GROUP_LIST:
        return spec, ("grp", "", cb.int_arg(0))
    if action is Action.GROUP_PICK:
        group_id = cb.int_arg(0)
        if group_id not in {gid for gid, _ in await _linked_groups(context)}:
            raise Stale()
        picked = replace(spec, groups="picked", group_ids=spec.group_ids ^ {group_id})
        return picked, ("grp", "", cb.int_arg(1))
    dim = cb.str_arg(0, tuple(DIMENSIONS))
    if action is Action.SEGMENT:
        return spec, ("seg", dim, cb.int_arg(1))
    value = cb.str_arg(1, tuple(v for v, _ in await options(context, lang, dim)))
    field = DIMENSIONS[dim]
    item: int | str = int(value) if dim in NUMERIC else value
    segment = replace(spec.segment, **{field: getattr(spec.segment, field) ^ {item}})
    narrowed = replace(spec, members="segment", segment=segment)
    return narrowed, ("seg", dim, cb.int_arg(2))


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


async def describe(context: LagContext, lang: str, spec: AudienceSpec) -> dict[str, object]:
    """The choice in words and the live counts, as parameters for a screen's text."""
    t = context.services.texts.t
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
        "count_members": count_members,
        **reach(context, lang, count_members, count_groups),
    }


def reach(context: LagContext, lang: str, members: int, groups: int) -> dict[str, Html]:
    """How many an audience reaches, counted in words ("7 Mitglieder", "1 Gruppe"), as the
    parameters `members_reached` and `groups_reached` of a screen's text."""
    t = context.services.texts.t
    return {
        "members_reached": Html(t(lang, "count-members", count=members)),
        "groups_reached": Html(t(lang, "count-groups", count=groups)),
    }


def _mark(chosen: bool, label: str) -> str:
    return ("✅ " if chosen else "") + label


def choice_rows(
    context: LagContext, lang: str, spec: AudienceSpec, feature: str, groups: bool = True
) -> list[list[Button]]:
    """The rows of the main screen: members, the segment's dimensions, and (optionally) groups."""
    t = context.services.texts.t
    rows: list[list[Button]] = [
        [
            (
                _mark(spec.members == c, t(lang, f"broadcast-btn-members-{c}")),
                encode(feature, Action.MEMBERS, c),
            )
            for c in MEMBER_CHOICES
            if groups or c != "none"
        ]
    ]
    if spec.members == "segment":
        dims = [
            (
                t(lang, f"broadcast-dim-{d}") + (f" ({len(_chosen(spec, d))})" if _chosen(spec, d) else ""),
                encode(feature, Action.SEGMENT, d, 0),
            )
            for d in DIMENSIONS
        ]
        rows += chunk(dims, 3)
    if not groups:
        return rows
    rows += chunk(
        [
            (_mark(spec.groups == c, t(lang, f"broadcast-btn-groups-{c}")), encode(feature, Action.GROUPS, c))
            for c in GROUP_CHOICES
        ],
        2,
    )
    if spec.groups == "kinds":
        rows.append(
            [
                (
                    _mark(k in spec.group_kinds, t(lang, f"broadcast-kind-{k}")),
                    encode(feature, Action.GROUP_KIND, k),
                )
                for k in GROUP_KINDS
            ]
        )
    if spec.groups == "picked":
        rows.append([(t(lang, "broadcast-btn-pick-groups"), encode(feature, Action.GROUP_LIST, 0))])
    return rows


async def dimension_screen(
    context: LagContext, lang: str, spec: AudienceSpec, feature: str, dim: str, page: int
) -> tuple[str, list[list[Button]]]:
    """One segment dimension: its values to tick, paged."""
    t = context.services.texts.t
    chosen = _chosen(spec, dim)
    buttons = [
        (_mark(v in chosen, label), encode(feature, Action.SEGMENT_TOGGLE, dim, v, page))
        for v, label in await options(context, lang, dim)
    ]
    rows = paged(buttons, page, lambda p: encode(feature, Action.SEGMENT, dim, p), per_row=2)
    rows.append([(t(lang, "broadcast-btn-back"), encode(feature, Action.AUDIENCE))])
    members, groups = await context.services.broadcasts.count(spec)
    text = t(
        lang,
        "broadcast-choose-dim",
        dim=Html(t(lang, f"broadcast-dim-{dim}")),
        current=await segment_summary(context, lang, spec),
        **reach(context, lang, members, groups),
    )
    return text, rows


async def group_screen(
    context: LagContext, lang: str, spec: AudienceSpec, feature: str, page: int
) -> tuple[str, list[list[Button]]]:
    """The linked groups to pick, paged."""
    t = context.services.texts.t
    picked = spec.group_ids
    buttons = [
        (_mark(gid in picked, title), encode(feature, Action.GROUP_PICK, gid, page))
        for gid, title in await _linked_groups(context)
    ]
    rows = paged(buttons, page, lambda p: encode(feature, Action.GROUP_LIST, p))
    rows.append([(t(lang, "broadcast-btn-back"), encode(feature, Action.AUDIENCE))])
    members, groups = await context.services.broadcasts.count(spec)
    key = "broadcast-choose-groups" if buttons else "broadcast-no-groups"
    return t(lang, key, **reach(context, lang, members, groups)), rows


async def show_screen(
    update: Update, context: LagContext, text: str, rows: list[list[Button]], edit: bool
) -> None:
    """Show a screen in place of the pressed message, or as a new one."""
    query = update.callback_query
    if edit and query is not None:
        # Pressing what was already chosen leaves the screen as it is (LagBot takes "not modified").
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows))
        return
    await send_html(update, context, text, rows)

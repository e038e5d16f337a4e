"""The confirmation screen of `/erinnerung` and its options: the "Erledigt ✓" repetition and, for
coordinators in private, a segment of members instead of themselves (the shared audience picker).

The proposal waits in the creator's dialog row: {"chat", "when", "body", "ack", "audience",
"edit"}; every option edits the screen in place and the proposal with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from handlers import audience_picker as picker
from handlers.common import Button
from handlers.context import LagContext
from lag_bot.audience import AudienceSpec
from lag_bot.authorization import Actor
from lag_bot.callbacks import Callback, Feature, encode
from lag_bot.errors import Stale
from lag_bot.i18n import Html
from lag_bot.models import Role
from lag_bot.reminders.acks import ACK_CHOICES
from lag_bot.timeparse.parse import OneOff, Recurring, When, describe

FEATURE = Feature.REMINDER
SEGMENT_ACTIONS = (*picker.ACTIONS, "sg", "me", "sd")
OWNED_ACTIONS = ("ok", "again", "ack", "ak")  # buttons that carry the creator's Telegram id


def dump_when(w: When) -> dict[str, Any]:
    """A parsed time as JSON for the dialog row."""
    if isinstance(w, OneOff):
        return {"at": w.at.isoformat(), "tz": getattr(w.at.tzinfo, "key", "UTC")}
    return {"rrule": w.rrule, "tz": w.tz, "first": w.first.isoformat()}


def load_when(data: dict[str, Any]) -> When:
    """The parsed time back from the dialog row, in its IANA zone again."""
    zone = ZoneInfo(str(data["tz"]))
    if "rrule" in data:
        return Recurring(str(data["rrule"]), zone.key, datetime.fromisoformat(data["first"]).astimezone(zone))
    return OneOff(datetime.fromisoformat(data["at"]).astimezone(zone))


def ack_text(context: LagContext, lang: str, minutes: int) -> str:
    """ "alle 30 Minuten" and the like."""
    return context.services.texts.t(lang, f"reminder-ack-every-{minutes}")


async def confirm_screen(
    context: LagContext, actor: Actor, lang: str, data: dict[str, Any]
) -> tuple[str, list[list[Button]]]:
    """ "⏰ <when>: „<text>“ – stimmt das?" with what was chosen, ✅ ✏️ and the options."""
    t = context.services.texts.t
    uid = actor.telegram_id
    in_group = data.get("group", False)
    key = "reminder-confirm-edit" if data.get("edit") else "reminder-confirm"
    lines = [t(lang, key, when=describe(load_when(data["when"]), lang), body=str(data["body"]))]
    audience = data.get("audience")
    if audience:
        spec = AudienceSpec.from_json(audience)
        described = await picker.describe(context, lang, spec)
        lines.append(
            t(
                lang,
                "reminder-confirm-segment",
                members=described["members"],
                count=described["count_members"],
            )
        )
    ack = data.get("ack")
    if isinstance(ack, int):
        which = "reminder-confirm-ack" if in_group else "reminder-confirm-ack-member"
        if audience:
            which = "reminder-confirm-ack-segment"
        lines.append(t(lang, which, every=Html(ack_text(context, lang, ack))))
    rows: list[list[Button]] = [
        [
            (t(lang, "reminder-btn-yes"), encode(FEATURE, "ok", uid)),
            (t(lang, "reminder-btn-again"), encode(FEATURE, "again", uid)),
        ],
        [(t(lang, "reminder-btn-ack"), encode(FEATURE, "ack", uid))],
    ]
    if not in_group and actor.at_least(Role.COORDINATOR) and not data.get("edit"):
        if audience:
            rows[1].append((t(lang, "reminder-btn-to-me"), encode(FEATURE, "me")))
            rows[1].append((t(lang, "reminder-btn-segment"), encode(FEATURE, "sg")))
        else:
            rows[1].append((t(lang, "reminder-btn-segment"), encode(FEATURE, "sg")))
    return "\n".join(lines), rows


def ack_screen(context: LagContext, actor: Actor, lang: str) -> tuple[str, list[list[Button]]]:
    """The repetition intervals to choose from."""
    t = context.services.texts.t
    uid = actor.telegram_id
    choices = [(t(lang, f"reminder-ack-btn-{m}"), encode(FEATURE, "ak", uid, m)) for m in ACK_CHOICES]
    rows = [choices[:3], choices[3:], [(t(lang, "reminder-btn-ack-off"), encode(FEATURE, "ak", uid, 0))]]
    return t(lang, "reminder-ack-choose"), rows


def choose_ack(data: dict[str, Any], cb: Callback) -> dict[str, Any]:
    """The proposal with the interval of an "ak" press (0: none); a forged value is stale."""
    minutes = cb.int_arg(1)
    if minutes and minutes not in ACK_CHOICES:
        raise Stale()
    return {**data, "ack": minutes or None}


async def segment_step(
    context: LagContext, actor: Actor, lang: str, data: dict[str, Any], cb: Callback
) -> tuple[dict[str, Any], tuple[str, list[list[Button]]]]:
    """A press of the segment options (coordinators in private): the proposal and the next screen."""
    if data.get("group") or data.get("edit") or not actor.at_least(Role.COORDINATOR):
        raise Stale()
    if cb.action == "me":
        data = {**data, "audience": None}
        return data, await confirm_screen(context, actor, lang, data)
    if cb.action == "sd":
        return data, await confirm_screen(context, actor, lang, data)
    current = data.get("audience")
    spec = AudienceSpec.from_json(current) if current else AudienceSpec(members="all")
    view = picker.AUDIENCE
    if cb.action != "sg":
        spec, view = await picker.apply(context, lang, spec, cb)
    data = {**data, "audience": spec.to_json()}
    kind, dim, page = view
    if kind == "seg":
        return data, await picker.dimension_screen(context, lang, spec, FEATURE, dim, page)
    t = context.services.texts.t
    rows = picker.choice_rows(context, lang, spec, FEATURE, groups=False)
    rows.append([(t(lang, "reminder-btn-segment-done"), encode(FEATURE, "sd"))])
    described = await picker.describe(context, lang, spec)
    text = t(
        lang, "reminder-segment-head", members=described["members"], count_members=described["count_members"]
    )
    return data, (text, rows)


async def show(update: Update, context: LagContext, screen: tuple[str, list[list[Button]]]) -> None:
    """Edit the pressed message into `screen`."""
    await picker.show_screen(update, context, screen[0], screen[1], edit=True)

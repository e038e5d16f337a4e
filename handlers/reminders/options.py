"""The confirmation screen of `/erinnerung` and its options: the "Erledigt ✓" repetition and, for
coordinators in private, a segment of members instead of themselves (the shared audience picker).

The proposal (`lag_bot.reminders.proposal.Proposal`) waits in the creator's dialog row; every
option edits the screen in place and the proposal with it.
"""

from __future__ import annotations

import enum
from dataclasses import replace

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
from lag_bot.reminders.proposal import Proposal
from lag_bot.timeparse.parse import OneOff, describe

FEATURE = Feature.REMINDER


class Action(enum.StrEnum):
    """The buttons of the confirmation screen (values are the callback data, unchanged); the
    audience picker's own buttons come under the same feature."""

    OK = "ok"  # ✅ store it
    AGAIN = "again"  # ✏️ ask again
    CANCEL = "no"  # ❌ drop the proposal
    ACK = "ack"  # show the repetition intervals
    ACK_EVERY = "ak"  # choose one (0: none)
    SEGMENT = "sg"  # a segment of members instead of oneself
    TO_ME = "me"  # back to oneself
    SEGMENT_DONE = "sd"


SEGMENT_ACTIONS = (Action.SEGMENT, Action.TO_ME, Action.SEGMENT_DONE)
OWNED_ACTIONS = (Action.OK, Action.AGAIN, Action.CANCEL, Action.ACK, Action.ACK_EVERY)  # the creator's id


def ack_text(context: LagContext, lang: str, minutes: int) -> str:
    """ "alle 30 Minuten" and the like."""
    return context.services.texts.t(lang, f"reminder-ack-every-{minutes}")


async def confirm_screen(
    context: LagContext, actor: Actor, lang: str, proposal: Proposal
) -> tuple[str, list[list[Button]]]:
    """ "⏰ <when>: „<text>“ – stimmt das?" with what was chosen (and "nächstes Jahr" for a date
    that has passed this year), ✅ ✏️ ❌ and the options."""
    t = context.services.texts.t
    uid = actor.telegram_id
    in_group = proposal.group
    assert proposal.when is not None  # shown only once the time was understood
    key = "reminder-confirm-edit" if proposal.edit else "reminder-confirm"
    lines = [t(lang, key, when=describe(proposal.when, lang), body=proposal.body)]
    if isinstance(proposal.when, OneOff) and proposal.when.next_year:
        lines.append(t(lang, "reminder-confirm-next-year", year=proposal.when.at.year))
    audience = proposal.audience
    if audience is not None:
        described = await picker.describe(context, lang, audience)
        lines.append(
            t(
                lang,
                "reminder-confirm-segment",
                members=described["members"],
                count=described["count_members"],
            )
        )
    ack = proposal.ack
    if ack is not None:
        which = "reminder-confirm-ack" if in_group else "reminder-confirm-ack-member"
        if audience is not None:
            which = "reminder-confirm-ack-segment"
        lines.append(t(lang, which, every=Html(ack_text(context, lang, ack))))
    rows: list[list[Button]] = [
        [
            (t(lang, "reminder-btn-yes"), encode(FEATURE, Action.OK, uid)),
            (t(lang, "reminder-btn-again"), encode(FEATURE, Action.AGAIN, uid)),
            (t(lang, "reminder-confirm-btn-cancel"), encode(FEATURE, Action.CANCEL, uid)),
        ],
        [(t(lang, "reminder-btn-ack"), encode(FEATURE, Action.ACK, uid))],
    ]
    if not in_group and actor.at_least(Role.COORDINATOR) and not proposal.edit:
        if audience is not None:
            rows[1].append((t(lang, "reminder-btn-to-me"), encode(FEATURE, Action.TO_ME)))
        rows[1].append((t(lang, "reminder-btn-segment"), encode(FEATURE, Action.SEGMENT)))
    return "\n".join(lines), rows


def ack_screen(context: LagContext, actor: Actor, lang: str) -> tuple[str, list[list[Button]]]:
    """The repetition intervals to choose from."""
    t = context.services.texts.t
    uid = actor.telegram_id
    choices = [
        (t(lang, f"reminder-ack-btn-{m}"), encode(FEATURE, Action.ACK_EVERY, uid, m)) for m in ACK_CHOICES
    ]
    off = (t(lang, "reminder-btn-ack-off"), encode(FEATURE, Action.ACK_EVERY, uid, 0))
    rows = [choices[:3], choices[3:], [off]]
    return t(lang, "reminder-ack-choose"), rows


def own_action(cb: Callback) -> Action | None:
    """The press's action on this screen; None for the picker's buttons (or a forged one, which
    the caller refuses as stale once the dialog is checked)."""
    try:
        return cb.action_of(Action)
    except Stale:
        return None


def choose_ack(proposal: Proposal, cb: Callback) -> Proposal:
    """The proposal with the interval of an "ak" press (0: none); a forged value is stale."""
    minutes = cb.int_arg(1)
    if minutes and minutes not in ACK_CHOICES:
        raise Stale()
    return replace(proposal, ack=minutes or None)


async def segment_step(
    context: LagContext, actor: Actor, lang: str, proposal: Proposal, cb: Callback
) -> tuple[Proposal, tuple[str, list[list[Button]]]]:
    """A press of the segment options or the picker (coordinators in private): the proposal and
    the next screen."""
    if proposal.group or proposal.edit or not actor.at_least(Role.COORDINATOR):
        raise Stale()
    action = None if picker.owns(cb) else cb.action_of(Action)  # None: the picker's
    if action is Action.TO_ME:
        proposal = replace(proposal, audience=None)
        return proposal, await confirm_screen(context, actor, lang, proposal)
    if action is Action.SEGMENT_DONE:
        return proposal, await confirm_screen(context, actor, lang, proposal)
    spec = proposal.audience or AudienceSpec(members="all")
    view = picker.AUDIENCE
    if action is None:
        spec, view = await picker.apply(context, lang, spec, cb)
    elif action is not Action.SEGMENT:
        raise Stale()
    proposal = replace(proposal, audience=spec)
    kind, dim, page = view
    if kind == "seg":
        return proposal, await picker.dimension_screen(context, lang, spec, FEATURE, dim, page)
    t = context.services.texts.t
    rows = picker.choice_rows(context, lang, spec, FEATURE, groups=False)
    rows.append([(t(lang, "reminder-btn-segment-done"), encode(FEATURE, Action.SEGMENT_DONE))])
    described = await picker.describe(context, lang, spec)
    reach = described["members_reached"]
    text = t(lang, "reminder-segment-head", members=described["members"], members_reached=reach)
    return proposal, (text, rows)


async def show(update: Update, context: LagContext, screen: tuple[str, list[list[Button]]]) -> None:
    """Edit the pressed message into `screen`."""
    await picker.show_screen(update, context, screen[0], screen[1], edit=True)

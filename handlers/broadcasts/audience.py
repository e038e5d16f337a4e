"""The audience screen of a broadcast draft: the shared picker (members, segment, groups) plus
the read button and the sending time.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from telegram import Update

from handlers import audience_picker as picker
from handlers.audience_picker import AUDIENCE, View
from handlers.broadcasts.actions import FEATURE, Action
from handlers.broadcasts.render import local_time
from handlers.common import Button
from handlers.context import LagContext
from lag_bot.broadcasts.model import Draft
from lag_bot.callbacks import Callback, encode
from lag_bot.errors import InvalidInput, Stale
from lag_bot.i18n import Html

ACTIONS = (Action.READ_BUTTON, Action.NOW)  # the buttons `apply` takes besides the picker's
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


async def apply(context: LagContext, lang: str, draft: Draft, cb: Callback) -> tuple[Draft, View]:
    """The draft after one audience button (the picker's or one of ACTIONS), and the screen to
    show next."""
    if picker.owns(cb):
        spec, view = await picker.apply(context, lang, draft.audience, cb)
        return replace(draft, audience=spec), view
    action = cb.action_of(Action)
    if action is Action.READ_BUTTON:
        return replace(draft, read_button=not draft.read_button), AUDIENCE
    if action is Action.NOW:
        return replace(draft, scheduled_at=None), AUDIENCE
    raise Stale()


def when_text(context: LagContext, lang: str, draft: Draft) -> str:
    """The local time it is scheduled for, or "right away" in the catalog's words."""
    if draft.scheduled_at:
        return html.escape(local_time(context, lang, draft.scheduled_at))
    return context.services.texts.t(lang, "broadcast-when-now")


async def _audience_screen(context: LagContext, lang: str, draft: Draft) -> tuple[str, list[list[Button]]]:
    t = context.services.texts.t
    rows = picker.choice_rows(context, lang, draft.audience, FEATURE)
    read_key = "broadcast-btn-read-on" if draft.read_button else "broadcast-btn-read-off"
    timing = [(t(lang, "broadcast-btn-when"), encode(FEATURE, Action.WHEN))]
    if draft.scheduled_at:
        timing.append((t(lang, "broadcast-btn-now"), encode(FEATURE, Action.NOW)))
    rows.append([(t(lang, read_key), encode(FEATURE, Action.READ_BUTTON)), *timing])
    rows.append(
        [
            (t(lang, "broadcast-btn-preview"), encode(FEATURE, Action.PREVIEW)),
            (t(lang, "broadcast-btn-cancel"), encode(FEATURE, Action.CANCEL)),
        ]
    )
    described = await picker.describe(context, lang, draft.audience)
    text = t(
        lang,
        "broadcast-audience",
        **described,
        read=Html(t(lang, "broadcast-on" if draft.read_button else "broadcast-off")),
        when=Html(when_text(context, lang, draft)),
    )
    return text, rows


async def show(update: Update, context: LagContext, lang: str, draft: Draft, view: View, edit: bool) -> None:
    """Show a screen of the audience editor: in place of the pressed message, or as a new one."""
    kind, dim, page = view
    if kind == "seg":
        text, rows = await picker.dimension_screen(context, lang, draft.audience, FEATURE, dim, page)
    elif kind == "grp":
        text, rows = await picker.group_screen(context, lang, draft.audience, FEATURE, page)
    else:
        text, rows = await _audience_screen(context, lang, draft)
    await picker.show_screen(update, context, text, rows, edit)

"""The Zusage / Absage / Vielleicht buttons under an event's announcement (feature "ev").

A press stores the answer (`Events.rsvp`: every rule, the waitlist and the refusals live there),
answers at once with a toast naming what was stored, and then refreshes the pressed card:

- in a private chat the card is edited in place with the new counts and the presser's own answer,
  in the background, in turn behind the replies (`Slot.BACKGROUND`): a burst of answers must
  not run into Telegram's 429 and hold up the next presses;
- in a group the card shows counts only, never one person's answer: the group copies are edited by
  the refresh job (`handlers.events.cards`), at most every few seconds per message.

Members' other private copies are not touched: each refreshes when its reader presses it.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from contextlib import suppress

from telegram import Chat, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from handlers.common import Button, keyboard, pressed, require_member
from handlers.context import LagContext
from handlers.delivery.rate_limits import Slot
from lag_bot.delivery.message_parts import build_parts
from lag_bot.errors import Stale
from lag_bot.events.models import Event
from lag_bot.events.render import answer_label, is_closed, render_announcement
from lag_bot.events.rsvp import Cancelled, RsvpResult, answer_for, check_open
from lag_bot.events.rsvp_buttons import FEATURE, RsvpAction, rsvp_buttons
from lag_bot.models import Member

__all__ = ["FEATURE", "on_rsvp_button"]
log = logging.getLogger(__name__)


def toast(context: LagContext, lang: str, key: str, **params: object) -> str:
    """A catalog text for a pop-up, which Telegram shows as plain text (no HTML entities)."""
    return html.unescape(context.services.texts.t(lang, key, **params))


def answer_toast(context: LagContext, lang: str, result: RsvpResult) -> str:
    """ "Gespeichert: Zusage", the waitlist place, or that the answer stood already."""
    if result.answer_stored == "waitlist" and result.waitlist_position is not None and result.changed:
        return toast(context, lang, "event-ui-waitlist", position=result.waitlist_position)
    label = answer_label(context.services.texts, lang, result.answer_stored, result.waitlist_position)
    return toast(context, lang, "event-ui-saved" if result.changed else "event-ui-unchanged", answer=label)


async def private_card(context: LagContext, member: Member, event: Event) -> tuple[str, list[list[Button]]]:
    """The announcement as this member sees it now: counts, their answer, the buttons."""
    svc = context.services
    now = svc.clock()
    mine, position = await svc.events.rsvp.answer_of(member.id, event.id)
    counts = await svc.events.rsvp.counts(event.id)
    text = render_announcement(svc.texts, member.language, event, counts, mine, now=now, my_position=position)
    # A long card went out in parts; the buttons sit under the last one, which is the one pressed.
    last = build_parts(text)[-1].text
    return last, [list(rsvp_buttons(svc.texts, member.language, event, is_closed(event, now)))]


async def edit_pressed(update: Update, html_text: str, rows: list[list[Button]]) -> None:
    """Edit the pressed message in place; a card that already shows this is left alone."""
    query = update.callback_query
    assert query is not None
    # A message too old to edit, or deleted, stays as it is (one that shows this already is no error).
    with suppress(BadRequest):
        await query.edit_message_text(html_text, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows))


async def refresh_private_card(context: LagContext, member: Member, event_id: int, message_id: int) -> None:
    """Edit a member's copy of the card once a send slot is free (rendered then: the latest counts)."""
    await context.services.limiter.take_fair(member.telegram_id, is_group=False)
    text, rows = await private_card(context, member, await context.services.events.records.get(event_id))
    try:
        await context.bot.edit_message_text(
            text,
            member.telegram_id,
            message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(rows),
            rate_limit_args=Slot.TAKEN,
        )
    except BadRequest as exc:  # too old to edit, or deleted: the toast told it
        log.debug("card %s/%s not edited: %s", member.telegram_id, message_id, exc.message)
    except (Forbidden, RetryAfter, NetworkError) as exc:  # blocked meanwhile, flooded, or offline
        log.info("card %s/%s not edited: %s", member.telegram_id, message_id, exc)


async def on_rsvp_button(update: Update, context: LagContext) -> None:
    """Store the pressed answer, say what was stored, refresh the card. A press on a card from before
    the event was cancelled is told so, and the card is redrawn as it is now."""
    press = pressed(update)
    query, cb = press.query, press.cb
    chat, message = update.effective_chat, update.effective_message
    assert chat is not None
    event_id = cb.int_arg(0)
    member = await require_member(update, context)
    action = cb.action_of(RsvpAction)
    if not (action is RsvpAction.CLOSED or (action is RsvpAction.ANSWER and len(cb.args) == 2)):
        raise Stale()
    try:
        await query.answer(await _store(context, member, chat, action, event_id, cb.args[1:]))
    except Cancelled as refusal:
        if not from_its_buttons(update):  # forged: the card pressed is of another event
            raise
        # A card from before the cancellation: say so, and show it as it is now.
        await query.answer(toast(context, member.language, refusal.key, **refusal.params), show_alert=True)
    if chat.type == "private" and message is not None:
        context.application.create_task(
            refresh_private_card(context, member, event_id, message.message_id), update=update
        )
    # In a group the refresh job edits every copy there (counts only).


def from_its_buttons(update: Update) -> bool:
    """Whether the press came from one of the pressed message's own buttons (not forged data)."""
    query, message = update.callback_query, update.effective_message
    if query is None or message is None or message.reply_markup is None:
        return False
    return any(b.callback_data == query.data for row in message.reply_markup.inline_keyboard for b in row)


async def _store(
    context: LagContext, member: Member, chat: Chat, action: RsvpAction, event_id: int, code: Sequence[str]
) -> str:
    """Store the answer (or, for the "closed" button, check that answers are taken again); the toast."""
    svc = context.services
    if action is RsvpAction.CLOSED:
        # The card said "closed": tell why, or, if it opened again (an edit moved the deadline),
        # show the buttons that work now.
        event = await svc.events.records.get(event_id)
        check_open(event, svc.clock())
        svc.events.cards.live.mark(event_id)  # the group copies show the open buttons again
        return toast(context, member.language, "event-ui-open-again")
    group = await svc.groups.get(chat.id) if chat.type != "private" else None
    in_group = group.id if group is not None and group.active else None
    result = await svc.events.rsvp.answer(member, event_id, answer_for(code[0]), in_group)
    return answer_toast(context, member.language, result)

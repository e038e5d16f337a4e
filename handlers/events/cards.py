"""Live counts on the group copies of event announcements: a job edits them after answers changed.

Which events changed and which copies may be edited now is kept by `lag_bot.events.cards.LiveCards`
(in memory, at most one edit per group message every few seconds). Private copies are not edited
here: see that module for why. A copy that cannot be edited any more is forgotten, never retried.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter

from handlers.common import keyboard
from handlers.context import LagContext
from handlers.delivery.rate_limits import Slot
from lag_bot.delivery.message_parts import Part
from lag_bot.events.cards import CardCopy

log = logging.getLogger(__name__)
REFRESH_EVERY = 1.0  # seconds between two runs of the job


async def refresh_group_cards(context: LagContext) -> None:
    """Edit the group copies of every event whose answers changed since the last run."""
    cards = context.services.events.cards
    limiter = context.services.limiter
    for event_id in cards.live.take():
        copies = cards.live.ready(event_id, await cards.copies(event_id))
        card = await cards.card(event_id) if copies else None
        for copy in copies:
            # One edit reaches a whole group: it goes ahead of the sends waiting for a slot, within
            # the limits the outbox keeps (the group's 20 a minute among them); else at a later run.
            delay = limiter.reserve(copy.chat_id, is_group=True)
            if delay is None:
                cards.live.mark(event_id)
                continue
            await asyncio.sleep(delay)
            cards.live.edited(copy)
            if card is not None and not await _edit(context, copy, card):
                cards.live.mark(event_id)  # a passing failure: the next run tries again


async def _edit(context: LagContext, copy: CardCopy, card: Part) -> bool:
    """Edit one copy; False if it should be tried again later."""
    cards = context.services.events.cards.live
    try:
        await context.bot.edit_message_text(
            card.text,
            chat_id=copy.chat_id,
            message_id=copy.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard([card.buttons]),
            rate_limit_args=Slot.TAKEN,
        )
    except ChatMigrated:  # the supergroup has other message ids: this copy is out of reach
        cards.forget(copy)
    except RetryAfter as exc:  # the application's limiter already waited and retried
        log.info("event card %s/%s: flood wait %s", copy.chat_id, copy.message_id, exc.retry_after)
        return False
    except BadRequest as exc:  # deleted or not editable any more ("not modified" is no error: LagBot)
        log.info("event card %s/%s not editable: %s", copy.chat_id, copy.message_id, exc.message)
        cards.forget(copy)
    except Forbidden as exc:  # the bot was removed from the group
        log.info("event card %s/%s: %s", copy.chat_id, copy.message_id, exc.message)
        cards.forget(copy)
    except NetworkError as exc:  # no connection or a 5xx: try again at the next run
        log.info("event card %s/%s: %s", copy.chat_id, copy.message_id, exc.message)
        return False
    return True

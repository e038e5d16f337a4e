""" "Erledigt ✓" under a reminder: the service records who confirmed which firing and stops the
repeats; the pressed message shows it (in a group: by whom) and loses its button.
"""

from __future__ import annotations

from contextlib import suppress

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from handlers.common import answer, pressed, require_member
from handlers.context import LagContext
from lag_bot.reminders.acks import DoneAction


async def on_button(update: Update, context: LagContext) -> None:
    """Confirm one firing; a repeated or foreign press is answered and changes nothing."""
    member = await require_member(update, context)
    press = pressed(update)
    query, cb, chat = press.query, press.cb, update.effective_chat
    assert chat is not None
    cb.action_of(DoneAction)
    reminders = context.services.reminders
    row = await reminders.get(cb.int_arg(0))
    result = await reminders.acknowledge(row, cb.int_arg(1), member, chat.id)
    t = context.services.texts.t
    lang = member.language
    if not result.recorded:
        if result.first_by is not None:
            await answer(update, context, lang, "reminder-acked-already", name=result.first_by)
        else:
            await answer(update, context, lang, "reminder-acked-self-already")
    else:
        await answer(update, context, lang, "reminder-acked")
    message = query.message
    if not isinstance(message, Message):
        return
    if chat.type == "private":
        mark = t(lang, "reminder-acked-by-someone")
    elif result.first_by is not None:
        mark = t(lang, "reminder-acked-by", name=result.first_by)
    else:
        mark = t(lang, "reminder-acked-by-someone")
    body = message.text_html if message.text else ""
    with suppress(BadRequest):  # too old to edit, or already marked by an earlier press
        if body and mark not in body:
            await query.edit_message_text(f"{body}\n\n{mark}", parse_mode=ParseMode.HTML, reply_markup=None)
        else:
            await query.edit_message_reply_markup(None)

"""Steps of the events story through the fake Telegram: a coordinator publishes (through the service,
as the /neuertermin dialog does), members answer on the cards, and the tests read what arrived."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from lag_bot.audience import AudienceSpec, Segment
from lag_bot.emulator import SimGroup, SimMessage, SimUser
from lag_bot.events.models import RsvpCounts
from tests.event_world import draft
from tests.harness import RunningBot
from tests.story import TIMEOUT
from tests.texts import said

YES, NO, MAYBE = (said(f"event-button-{answer}") for answer in ("yes", "no", "maybe"))


def counted(yes: int, maybe: int, no: int) -> str:
    """The counts line of a card ("✅ 1 · ❔ 0 · ❌ 0")."""
    return said("event-card-counts", yes=yes, maybe=maybe, no=no)


def saved(answer: str) -> str:
    """The toast after pressing an answer ("yes", "no", "maybe")."""
    return said("event-ui-saved", answer=said(f"event-answer-{answer}"))


def yours(answer: str, position: int | None = None, on: str = "card") -> str:
    """"Deine Antwort: …" on a card (or, `on="list"`, in /termine); the waitlist with its place."""
    if position is not None:
        return said(f"event-{on}-mine", answer=said("event-answer-waitlist-at", position=position))
    return said(f"event-{on}-mine", answer=said(f"event-answer-{answer}"))


async def publish(bot: RunningBot, admin: SimUser, **overrides: Any) -> int:
    """The coordinator (the admin, with a profile) publishes the LAG session (or a variant)."""
    actor = await bot.services.authorizer.actor(admin.id)
    return await bot.services.events.publishing.publish(actor, draft(**overrides))


async def district(bot: RunningBot, name: str, groups: str = "all") -> AudienceSpec:
    """The members of one district (and, by default, every linked group)."""
    found = await bot.services.db.fetchval("SELECT id FROM territories WHERE name = ?", (name,))
    return AudienceSpec(members="segment", segment=Segment(districts=frozenset({found})), groups=groups)


async def card(chat: SimUser | SimGroup, title: str = "LAG-Sitzung Dezember") -> SimMessage:
    """The announcement of an event as it arrived in a chat."""
    return await chat.wait_for(lambda m: f"{title} · " in m.text and bool(m.buttons), timeout=TIMEOUT)


async def answer(user: SimUser, message: SimMessage, label: str) -> tuple[str, SimMessage]:
    """Press an answer on a private card: the toast and the card as edited."""
    query = await user.press(message, label)
    toast = (await user.callback_answer(query))["text"]
    return toast, await user.wait_edit(message)


def latest(chat: SimUser | SimGroup, message: SimMessage) -> SimMessage:
    """The message as the chat shows it now (after edits)."""
    found = chat.find(message.message_id)
    assert found is not None
    return found


async def shows(
    chat: SimUser | SimGroup,
    message: SimMessage,
    predicate: Callable[[SimMessage], bool],
    seconds: float = 8.0,
) -> SimMessage:
    """Wait until the message, as the chat shows it now, satisfies `predicate` (edits in any order)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not predicate(now := latest(chat, message)):
        if loop.time() > deadline:
            raise AssertionError(f"message {message.message_id} still shows {now.text[:300]!r}")
        await asyncio.sleep(0.02)
    return now


async def refused(user: SimUser, message: SimMessage, label_or_data: str, forged: bool = False) -> str:
    """Press (or forge) a button that must be refused: the pop-up's text."""
    if forged:
        query = await user.press_data(message, label_or_data)
    else:
        query = await user.press(message, label_or_data)
    reply = await user.callback_answer(query)
    assert reply["show_alert"], reply
    return str(reply["text"])


async def counts(bot: RunningBot, event_id: int) -> RsvpCounts:
    """The answers stored."""
    return await bot.services.events.rsvp.counts(event_id)


async def answer_of(bot: RunningBot, user: SimUser, event_id: int) -> tuple[str | None, int | None]:
    """A person's stored answer and waitlist place."""
    member = await bot.services.members.by_telegram_id(user.id)
    assert member is not None
    return await bot.services.events.rsvp.answer_of(member.id, event_id)

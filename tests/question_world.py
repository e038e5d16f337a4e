"""The people, groups and steps of the question relay's stories (all names fictional).

await coordinator(admin)
kt = await faction_group(fake, admin, -7001, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
tilo = await councillor(fake, admin, 3001, "Tilo Teich")             # Stadtvertretung Teterow
confirm = await ask(tilo, "⭐ Kreistag Rostock", "Bildung", "Wie …?", pseudonymous=True)
"""

from __future__ import annotations

import asyncio
import string

from lag_bot.emulator import FakeTelegram, SimGroup, SimMessage, SimUser
from tests.harness import RunningBot
from tests.story import approve, choose, expect, toggle_and_finish
from tests.texts import CATALOG, fragment, said

ROSTOCK = "Landkreis Rostock"
KREISTAG = "Kreistag Rostock"
LANDTAG = "Landtag Mecklenburg-Vorpommern"
KREIS_FACTION = said("groups-link-faction-kreis")  # the /verbinden choices
LAND_FACTION = said("groups-link-faction-land")
LOCAL_FACTION = said("groups-link-faction-gemeinde")
KREIS_LEVEL = said("level-kreis")  # the profile wizard's levels of a mandate
LAND_LEVEL = said("level-land")
_CUT = "\x1f"  # stands for the parameters `lead` leaves out


def lead(key: str, lang: str = "de", /, **params: object) -> str:
    """The text `key` as the user sees it, up to its first parameter not given (e.g. the head of a
    card with its number but without the faction: "❓ Frage #7 an"); a counted text without its
    count in its `other` form."""
    if key not in CATALOG.texts[lang] and "count" not in params:
        key = f"{key}.other"
    names = {name for _, name, _, _ in string.Formatter().parse(CATALOG.texts[lang][key]) if name}
    rest = {name: _CUT for name in names - params.keys()}
    return said(key, lang, **params, **rest).split(_CUT)[0].rstrip()


async def faction_group(
    fake: FakeTelegram, admin: SimUser, chat_id: int, title: str, kind: str, body: str
) -> SimGroup:
    """A group linked to the faction in `body` (`kind`: the /verbinden button, e.g. KREIS_FACTION)."""
    group = fake.group(chat_id, title)
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: fragment("groups-hello") in m.text)
    await admin.send_in(group, "/verbinden")
    choice = await group.wait_for(lambda m: fragment("groups-link-choose") in m.text)
    await admin.press(choice, kind)
    listing = await group.wait_for(lambda m: fragment("groups-link-choose-body") in m.text)
    if body not in listing.button_texts():
        listing = await _page_to(admin, group, listing, body)
    await admin.press(listing, body)
    await group.wait_for(lambda m: fragment("groups-linked") in m.text)
    return group


async def _page_to(admin: SimUser, group: SimGroup, listing: SimMessage, body: str) -> SimMessage:
    while body not in listing.button_texts():
        await admin.press(listing, "▶")  # the pager's arrow (handlers/common.paged), not a text
        listing = await group.wait_edit(listing)
    return listing


async def councillor(
    fake: FakeTelegram,
    admin: SimUser,
    user_id: int,
    name: str,
    *,
    municipality: str = "Teterow",
    level: str = said("level-gemeinde"),
    district: str = ROSTOCK,
    language_code: str = "de",
) -> SimUser:
    """An approved member with a mandate (by default in the Stadtvertretung Teterow)."""
    user = fake.user(user_id, name.split()[0], last_name=name.split()[-1], language_code=language_code)
    await user.send("/start")
    await choose(user, fragment("start-greeting"), said("consent-accept"))
    await expect(user, fragment("wizard-name"))
    await user.send(name)
    await choose(user, fragment("wizard-district"), district)
    await choose(user, fragment("wizard-municipality"), municipality)
    levels = await expect(user, fragment("wizard-mandates"))
    await user.press(levels, level)
    which_body, function = fragment("wizard-body"), fragment("wizard-function")
    step = await user.wait_for(lambda m: which_body in m.text or function in m.text)
    if which_body in step.text:
        body = next(b for b in step.button_texts() if municipality in b or level in b)
        await user.press(step, body)
        await choose(user, function, said("function-mitglied"))
    else:
        await user.press(step, said("function-mitglied"))
    done = said("wizard-topics-done")
    await toggle_and_finish(user, fragment("wizard-mandate-topics"), ("Bildung",), done)
    await choose(user, fragment("wizard-mandates"), said("wizard-mandates-done"))
    await toggle_and_finish(user, fragment("wizard-topics"), (), done)
    await approve(admin, name)
    await expect(user, fragment("approval-you-approved"))
    return user


async def ask(
    user: SimUser, to: str, topic: str, text: str, *, pseudonymous: bool = False, start: str = "/frage"
) -> SimMessage:
    """Go through /frage up to the confirmation; return it (with the similar questions, if any)."""
    await user.send(start)
    await choose(user, fragment("question-ask-to"), to)
    await choose(user, said("question-ask-topic"), topic)
    await expect(user, lead("question-ask-text"))
    await user.send(text)
    identity = await expect(user, said("question-ask-identity"))
    label = next(b for b in identity.button_texts() if b.startswith("🕶" if pseudonymous else "👤"))
    await user.press(identity, label)
    return await expect(user, said("question-confirm-head"))


async def send_question(user: SimUser, confirm: SimMessage, label: str = said("question-btn-send")) -> int:
    """Press send on the confirmation; return the question's number."""
    await user.press(confirm, label)
    sent = await expect(user, fragment("question-sent"))
    return int(sent.text.split("#")[1].split()[0])


async def card_in(
    chat: SimGroup | SimUser, question_id: int, followup: bool = False, bot: RunningBot | None = None
) -> SimMessage:
    """The card of a question (or its follow-up) as the faction's chat got it; with `bot`, once the
    bot has linked it (the fake shows a message a moment before the sender stores its id)."""
    mark = lead("question-card-followup-head" if followup else "question-card-head", id=question_id)
    card = await chat.wait_for(lambda m: mark in m.text)
    if bot is not None:
        await linked(bot, card)
    return card


async def answer_in(user: SimUser, question_id: int, bot: RunningBot) -> SimMessage:
    """An answer to the user's question, once the bot has linked it (for a follow-up by reply)."""
    head = lead("question-answer-head", id=question_id)
    answer = await user.wait_for(lambda m: head in m.text)
    await linked(bot, answer)
    return answer


async def linked(bot: RunningBot, message: SimMessage) -> None:
    """Wait until the bot knows which question a delivered message carries."""
    for _ in range(250):
        if await bot.services.questions.lookup.linked(message.chat_id, message.message_id) is not None:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"message {message.message_id} in {message.chat_id} was never linked to a question")

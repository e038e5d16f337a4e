"""The people, groups and steps of the question relay's stories (all names fictional).

await coordinator(admin)
kt = await faction_group(fake, admin, -7001, "KT-Fraktion Rostock", "Kreistagsfraktion", "Kreistag Rostock")
tilo = await councillor(fake, admin, 3001, "Tilo Teich")             # Stadtvertretung Teterow
confirm = await ask(tilo, "⭐ Kreistag Rostock", "Bildung", "Wie …?", pseudonymous=True)
"""

from __future__ import annotations

import asyncio

from lag_bot.emulator import FakeTelegram, SimGroup, SimMessage, SimUser
from tests.harness import RunningBot
from tests.story import approve, choose, expect, toggle_and_finish

ROSTOCK = "Landkreis Rostock"
KREISTAG = "Kreistag Rostock"
LANDTAG = "Landtag Mecklenburg-Vorpommern"


async def faction_group(
    fake: FakeTelegram, admin: SimUser, chat_id: int, title: str, kind: str, body: str
) -> SimGroup:
    """A group linked to the faction in `body` (`kind`: the /verbinden button, e.g. "Kreistagsfraktion")."""
    group = fake.group(chat_id, title)
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: "/verbinden" in m.text)
    await admin.send_in(group, "/verbinden")
    choice = await group.wait_for(lambda m: "Womit soll diese Gruppe" in m.text)
    await admin.press(choice, kind)
    listing = await group.wait_for(lambda m: "Welches Gremium?" in m.text)
    if body not in listing.button_texts():
        listing = await _page_to(admin, group, listing, body)
    await admin.press(listing, body)
    await group.wait_for(lambda m: "verbunden mit" in m.text)
    return group


async def _page_to(admin: SimUser, group: SimGroup, listing: SimMessage, body: str) -> SimMessage:
    while body not in listing.button_texts():
        await admin.press(listing, "▶")
        listing = await group.wait_edit(listing)
    return listing


async def councillor(
    fake: FakeTelegram,
    admin: SimUser,
    user_id: int,
    name: str,
    *,
    municipality: str = "Teterow",
    level: str = "Gemeinde / Stadt",
    district: str = ROSTOCK,
    language_code: str = "de",
) -> SimUser:
    """An approved member with a mandate (by default in the Stadtvertretung Teterow)."""
    user = fake.user(user_id, name.split()[0], last_name=name.split()[-1], language_code=language_code)
    await user.send("/start")
    await choose(user, "Bist du einverstanden?", "✅ Ich bin einverstanden")
    await expect(user, "Wie sollen dich die anderen")
    await user.send(name)
    await choose(user, "In welchem Kreis", district)
    await choose(user, "in welcher Gemeinde", municipality)
    levels = await expect(user, "Hast du (noch) ein Mandat?")
    await user.press(levels, level)
    step = await user.wait_for(lambda m: "In welchem Gremium?" in m.text or "Welche Funktion" in m.text)
    if "In welchem Gremium?" in step.text:
        body = next(b for b in step.button_texts() if municipality in b or level in b)
        await user.press(step, body)
        await choose(user, "Welche Funktion", "Mitglied")
    else:
        await user.press(step, "Mitglied")
    await toggle_and_finish(user, "Für welche Themen bist du dort", ("Bildung",), "Fertig ✔")
    await choose(user, "Hast du (noch) ein Mandat?", "Weiter ➡️")
    await toggle_and_finish(user, "Welche Themen interessieren dich", (), "Fertig ✔")
    await approve(admin, name)
    await expect(user, "freigeschaltet")
    return user


async def ask(
    user: SimUser, to: str, topic: str, text: str, *, pseudonymous: bool = False, start: str = "/frage"
) -> SimMessage:
    """Go through /frage up to the confirmation; return it (with the similar questions, if any)."""
    await user.send(start)
    await choose(user, "an wen soll sie gehen?", to)
    await choose(user, "Zu welchem Thema?", topic)
    await expect(user, "Schreib jetzt deine Frage")
    await user.send(text)
    identity = await expect(user, "Wie sollen dich die Antwortenden sehen?")
    label = next(b for b in identity.button_texts() if b.startswith("🕶" if pseudonymous else "👤"))
    await user.press(identity, label)
    return await expect(user, "So geht deine Frage raus")


async def send_question(user: SimUser, confirm: SimMessage, label: str = "📨 Frage senden") -> int:
    """Press send on the confirmation; return the question's number."""
    await user.press(confirm, label)
    sent = await expect(user, "ist unterwegs an")
    return int(sent.text.split("#")[1].split()[0])


async def card_in(
    chat: SimGroup | SimUser, question_id: int, followup: bool = False, bot: RunningBot | None = None
) -> SimMessage:
    """The card of a question (or its follow-up) as the faction's chat got it; with `bot`, once the
    bot has linked it (the fake shows a message a moment before the sender stores its id)."""
    mark = f"Nachfrage zu Frage #{question_id}" if followup else f"Frage #{question_id} an"
    card = await chat.wait_for(lambda m: mark in m.text)
    if bot is not None:
        await linked(bot, card)
    return card


async def answer_in(user: SimUser, question_id: int, bot: RunningBot) -> SimMessage:
    """An answer to the user's question, once the bot has linked it (for a follow-up by reply)."""
    answer = await user.wait_for(lambda m: f"Antwort auf deine Frage #{question_id}" in m.text)
    await linked(bot, answer)
    return answer


async def linked(bot: RunningBot, message: SimMessage) -> None:
    """Wait until the bot knows which question a delivered message carries."""
    for _ in range(250):
        if await bot.services.questions.lookup.linked(message.chat_id, message.message_id) is not None:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"message {message.message_id} in {message.chat_id} was never linked to a question")

"""Steps of the user's story, as a simulated person takes them through the fake Telegram."""

from __future__ import annotations

from collections.abc import Sequence

from lag_bot.emulator import SimMessage, SimUser

TIMEOUT = 5.0


async def expect(user: SimUser, fragment: str) -> SimMessage:
    """The next bot message to `user` that contains `fragment` (plain text)."""
    return await user.wait_for(lambda m: fragment in m.text, timeout=TIMEOUT)


async def choose(user: SimUser, fragment: str, label: str) -> SimMessage:
    """Wait for a message containing `fragment`, then press its button `label`."""
    message = await expect(user, fragment)
    await user.press(message, label)
    return message


async def toggle_and_finish(user: SimUser, fragment: str, labels: Sequence[str], done: str) -> None:
    """Tick buttons on one message (edited in place each time), then press `done`."""
    message = await expect(user, fragment)
    for label in labels:
        await user.press(message, label)
        message = await user.wait_edit(message, timeout=TIMEOUT)
    await user.press(message, done)


async def join(
    user: SimUser,
    *,
    name: str | None = None,
    district: str = "Landkreis Rostock",
    municipality: str | None = "Barlachstadt Güstrow",
    mandate: tuple[str, str, Sequence[str]] | None = ("Kreistag", "Fachsprecher:in", ("Bildung",)),
    topics: Sequence[str] = ("Wohnen",),
    start: str = "/start",
) -> SimMessage:
    """Go through consent and the whole German onboarding wizard; return the final message."""
    if start:  # "" when the wizard was already opened by a button
        await user.send(start)
    if start.startswith("/start"):
        await choose(user, "Bist du einverstanden?", "✅ Ich bin einverstanden")
    ask_name = await expect(user, "Wie sollen dich die anderen")
    if name is None:
        await user.press(ask_name, ask_name.button_texts()[0])
    else:
        await user.send(name)
    await choose(user, "In welchem Kreis", district)
    if municipality is not None:
        await choose(user, "in welcher Gemeinde", municipality)
    if mandate is not None:
        level, function, mandate_topics = mandate
        await choose(user, "Hast du (noch) ein Mandat?", level)
        await choose(user, "Welche Funktion", function)
        await toggle_and_finish(user, "Für welche Themen bist du dort", mandate_topics, "Fertig ✔")
    await choose(user, "Hast du (noch) ein Mandat?", "Weiter ➡️")
    await toggle_and_finish(user, "Welche Themen interessieren dich", topics, "Fertig ✔")
    return await user.wait_for(
        lambda m: "Angaben sind vollständig" in m.text or "freigeschaltet" in m.text, timeout=TIMEOUT
    )


async def approve(coordinator: SimUser, member_name: str) -> None:
    """A coordinator approves the pending member from the approval card."""
    card = await coordinator.wait_for(
        lambda m: "Neue Anmeldung" in m.text and member_name in m.text, timeout=TIMEOUT
    )
    await coordinator.press(card, "✅ Freigeben")
    await coordinator.wait_edit(card, timeout=TIMEOUT)

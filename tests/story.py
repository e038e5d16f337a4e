"""Steps of the user's story, as a simulated person takes them through the fake Telegram."""

from __future__ import annotations

from collections.abc import Sequence

from lag_bot.emulator import SimMessage, SimUser
from tests.texts import fragment, said

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
        await choose(user, fragment("start-greeting"), said("consent-accept"))
    ask_name = await expect(user, said("wizard-name"))
    if name is None:
        await user.press(ask_name, ask_name.button_texts()[0])
    else:
        await user.send(name)
    await choose(user, said("wizard-district"), district)
    if municipality is not None:
        await choose(user, said("wizard-municipality"), municipality)
    mandates, done = fragment("wizard-mandates"), said("wizard-topics-done")
    if mandate is not None:
        level, function, mandate_topics = mandate
        await choose(user, mandates, level)
        await choose(user, said("wizard-function"), function)
        await toggle_and_finish(user, said("wizard-mandate-topics"), mandate_topics, done)
    await choose(user, mandates, said("wizard-mandates-done"))
    await toggle_and_finish(user, said("wizard-topics"), topics, done)
    finished = (said("onboarding-pending"), said("onboarding-welcome-active"))
    return await user.wait_for(lambda m: any(text in m.text for text in finished), timeout=TIMEOUT)


async def approve(coordinator: SimUser, member_name: str) -> None:
    """A coordinator approves the pending member from the approval card."""
    card = await coordinator.wait_for(
        lambda m: fragment("approval-card") in m.text and member_name in m.text, timeout=TIMEOUT
    )
    await coordinator.press(card, said("approval-approve"))
    await coordinator.wait_edit(card, timeout=TIMEOUT)

"""Double taps, presses on older screens and files where text is expected (issue 14): each is a normal
thing a person does, and gets a true answer, never "Entschuldigung, da ist bei mir etwas
schiefgegangen". End to end through the real application and the fake Telegram, in German and
English."""

from __future__ import annotations

import asyncio

import pytest

from handlers.events.actions import ShiftAction
from lag_bot.callbacks import Feature, encode
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.events.input import ShiftDraft
from lag_bot.events.models import RsvpCounts
from tests.event_story import card, publish
from tests.event_world import berlin
from tests.harness import RunningBot
from tests.story import choose, expect, join
from tests.test_broadcast import compose, coordinator, link_group, member, preview, send_now
from tests.test_broadcast import press as press_and_wait
from tests.texts import fragment, said

LANGUAGES = pytest.mark.parametrize("lang", ["de", "en"])


async def speaks(user: SimUser, lang: str) -> None:
    """The member switches to `lang` with /sprache (German is where everyone starts)."""
    if lang == "de":
        return
    await user.send("/sprache")
    await choose(user, said("language-choose"), said(f"language-{lang}"))
    await expect(user, said("language-set", lang))


def no_apology(user: SimUser, lang: str) -> None:
    """Not one "something went wrong" in the chat (in German either: one who left has no language)."""
    apologies = {said("error-apology", lang), said("error-apology")}
    assert not [m for m in user.messages if any(a in m.text for a in apologies)]


@LANGUAGES
async def test_a_double_tap_on_erase_everything_is_no_error(
    fake: FakeTelegram, bot: RunningBot, lang: str
) -> None:
    mia = fake.user(3101, "Mia")
    await join(mia)
    await speaks(mia, lang)
    await mia.send("/austreten")
    confirm = await expect(mia, fragment("privacy-leave-confirm", lang))
    yes = said("leave-confirm-yes", lang)
    first, second = await mia.press(confirm, yes), await mia.press(confirm, yes)
    apologies = (said("error-apology", lang), said("error-apology"))
    for query in (first, second):
        assert (await mia.callback_answer(query))["text"] not in apologies
    await expect(mia, fragment("privacy-leave-done", lang))
    await asyncio.sleep(0.5)  # the second press is handled too: it finds the buttons gone, and is done
    no_apology(mia, lang)
    done = fragment("privacy-leave-done", lang), fragment("privacy-leave-done")
    assert len([m for m in mia.messages if any(text in m.text for text in done)]) == 1
    assert await bot.services.members.by_telegram_id(3101) is None
    assert mia.find(confirm.message_id).buttons == []  # type: ignore[union-attr]


@LANGUAGES
async def test_a_tick_on_an_older_topics_prompt_is_no_error(
    fake: FakeTelegram, bot: RunningBot, lang: str
) -> None:
    tom = fake.user(3102, "Tom")
    await join(tom)
    await speaks(tom, lang)
    await tom.send("/profil")
    profile = await expect(tom, fragment("profile-show", lang))
    edit_topics = said("profile-edit-topics", lang)
    await tom.press(profile, edit_topics)
    older = await expect(tom, said("wizard-topics", lang))
    await tom.press(profile, edit_topics)
    newer = await expect(tom, said("wizard-topics", lang))
    assert older.message_id != newer.message_id
    first_topic = older.buttons[0][0].callback_data
    assert first_topic is not None
    # A tick on the newer prompt, then the same topic on the older one: back to where it was, which
    # is just what the older prompt shows.
    await tom.press_data(newer, first_topic)
    await tom.wait_edit(newer)
    answer = await tom.callback_answer(await tom.press_data(older, first_topic))
    assert not answer["text"] and not answer["show_alert"]  # ticked quietly, as on the newer prompt
    await tom.no_message(within=0.5)
    no_apology(tom, lang)


@LANGUAGES
async def test_a_file_while_a_dialog_waits_for_text_is_told_what_is_expected(
    fake: FakeTelegram, bot: RunningBot, lang: str
) -> None:
    una = fake.user(3103, "Una")
    await join(una)
    await speaks(una, lang)
    await una.send("/profil")
    await choose(una, fragment("profile-show", lang), said("profile-edit-name", lang))
    await expect(una, said("wizard-name", lang))
    await una.send_document(b"%PDF-1.4", "antrag.pdf", caption="Mein Antrag")
    await expect(una, said("dialog-text-expected", lang))
    assert not [m for m in una.messages if said("common-free-text", lang) in m.text]
    # The dialog is still open: the typed name is taken.
    await una.send("Una Umbenannt")
    await expect(una, fragment("profile-show", lang))
    changed = await bot.services.members.by_telegram_id(3103)
    assert changed is not None and changed.display_name == "Una Umbenannt"
    # Outside any dialog a file gets the usual hint.
    await una.send_document(b"%PDF-1.4", "noch-einer.pdf")
    await expect(una, said("common-free-text", lang))


@LANGUAGES
async def test_a_stale_leave_button_tells_the_truth_and_shows_the_shifts(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser, lang: str
) -> None:
    await coordinator(admin)
    vera = await member(fake, admin, 3104, "Vera")
    await speaks(vera, lang)
    day = (2026, 12, 5)
    stand = await publish(
        bot,
        admin,
        title="Infostand Markt",
        kind="infostand",
        starts_at=berlin(*day, 10),
        ends_at=berlin(*day, 12),
        shifts=(ShiftDraft(berlin(*day, 10), berlin(*day, 12), 1, 2),),
        remind_offsets=(),
    )
    announcement = await card(vera, "Infostand Markt")
    view = encode(Feature.EVENT_SHIFTS, ShiftAction.VIEW, stand)
    head = said("event-shift-head", lang, title="Infostand Markt")
    await vera.press_data(announcement, view)
    first = await expect(vera, head)
    join_label = first.button_texts()[0]
    await vera.press(first, join_label)
    first = await vera.wait_edit(first)
    leave_label = first.button_texts()[0]
    await vera.press_data(announcement, view)
    second = await vera.wait_for(lambda m: head in m.text and m.message_id != first.message_id)
    assert second.button_texts() == [leave_label]
    left = await vera.callback_answer(await vera.press(first, leave_label))
    shift = leave_label.removeprefix("➖ ")
    assert left["text"] == said("event-shifts-left", lang, shift=shift)
    # The older screen still offers ➖: the press says she was not on the shift, and shows ➕ again.
    stale = await vera.callback_answer(await vera.press(second, leave_label))
    assert stale["text"] == said("event-shifts-not-on", lang, shift=shift)
    assert (await vera.wait_edit(second)).button_texts() == [join_label]
    no_apology(vera, lang)


@LANGUAGES
async def test_a_press_on_a_cancelled_events_card_redraws_it(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser, lang: str
) -> None:
    await coordinator(admin)
    wilma = await member(fake, admin, 3105, "Wilma")
    await speaks(wilma, lang)
    event_id = await publish(bot, admin)
    invitation = await card(wilma)
    actor = await bot.services.authorizer.actor(admin.id)
    await bot.services.events.admin.cancel(actor, event_id)
    refusal = await wilma.callback_answer(await wilma.press(invitation, said("event-button-yes", lang)))
    assert refusal["text"] == said("event-cancelled", lang) and refusal["show_alert"]
    redrawn = await wilma.wait_edit(invitation)
    assert said("event-card-cancelled", lang) in redrawn.text
    assert redrawn.button_texts() == [said("event-button-cancelled", lang)]
    assert await bot.services.events.rsvp.counts(event_id) == RsvpCounts()
    no_apology(wilma, lang)


@LANGUAGES
async def test_a_press_on_the_card_of_one_moved_up_from_the_waitlist_redraws_it(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser, lang: str
) -> None:
    await coordinator(admin)
    xaver = await member(fake, admin, 3106, "Xaver")
    yvonne = await member(fake, admin, 3107, "Yvonne")
    await speaks(yvonne, lang)
    await publish(bot, admin, capacity=1)
    his, hers = await card(xaver), await card(yvonne)
    await xaver.callback_answer(await xaver.press(his, said("event-button-yes")))
    await yvonne.callback_answer(await yvonne.press(hers, said("event-button-yes", lang)))
    waiting = said("event-card-mine", lang, answer=said("event-answer-waitlist-at", lang, position=1))
    hers = await yvonne.wait_for(lambda m: m.message_id == hers.message_id and waiting in m.text)
    await xaver.callback_answer(await xaver.press(his, said("event-button-no")))
    await expect(yvonne, fragment("event-notice-promoted", lang))
    assert waiting in yvonne.find(hers.message_id).text  # type: ignore[union-attr]
    # Her card still says "waitlist": a press on it says the seat is hers and redraws it.
    query = await yvonne.press(hers, said("event-button-yes", lang))
    toast = (await yvonne.callback_answer(query))["text"]
    assert toast == said("event-ui-unchanged", lang, answer=said("event-answer-yes", lang))
    redrawn = await yvonne.wait_edit(hers)
    assert said("event-card-mine", lang, answer=said("event-answer-yes", lang)) in redrawn.text
    assert waiting not in redrawn.text
    no_apology(yvonne, lang)


@LANGUAGES
async def test_read_is_counted_for_the_person_who_pressed(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser, lang: str
) -> None:
    await coordinator(admin)
    gesa = await member(fake, admin, 3108, "Gesa")
    await speaks(gesa, lang)
    group = await link_group(fake, admin, -6391, "LAG Kommunalpolitik MV")
    mark = "Bitte lest den Haushaltsentwurf"
    screen = await compose(admin, f"{mark} bis Freitag.")
    screen = await press_and_wait(admin, screen, said("broadcast-btn-groups-all"))
    screen = await press_and_wait(admin, screen, said("broadcast-btn-read-off"))
    await send_now(admin, await preview(admin, screen))
    mine = await gesa.wait_for(lambda m: mark in m.text)
    on_group = await group.wait_for(lambda m: mark in m.text)
    read = said("broadcast-read-label", lang)
    [data] = [b.callback_data for row in mine.buttons for b in row if b.text == read]
    assert data is not None
    # Her press counts for her, wherever it came from (here: the group's copy), never for a chat.
    answer = await gesa.callback_answer(await gesa.press_data(on_group, data))
    assert answer["text"] == said("broadcast-read-thanks", lang)
    again = await gesa.callback_answer(await gesa.press(mine, read))
    assert again["text"] == said("broadcast-read-noted", lang)
    member_row = await bot.services.members.by_telegram_id(gesa.id)
    assert member_row is not None
    confirmed = "SELECT member_id FROM deliveries WHERE read_at IS NOT NULL"
    assert [r[0] for r in await bot.services.db.fetchall(confirmed)] == [member_row.id]

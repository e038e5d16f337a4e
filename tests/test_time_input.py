"""Time input as people type it (issue 14), end to end through the real application, German and English:
parts of the day with a time, clocks in words, next week's weekday, the past, a date that means next
year, ❌ Abbrechen, short echoes of long input, and a waiting proposal that does not capture the chat.

The test clock stands at Saturday 21 November 2026, 10:00 in Berlin. The time descriptions are
pinned on purpose: they show what the parser understood.
"""

from __future__ import annotations

from lag_bot.callbacks import encode
from lag_bot.emulator import FakeTelegram, SimMessage, SimUser
from lag_bot.reminders.rules import BODY_MAX
from tests.harness import RunningBot
from tests.story import approve, choose, expect, join
from tests.texts import fragment, said

LIMIT = 4096  # Telegram's longest message


async def _member(fake: FakeTelegram, admin: SimUser, user_id: int, name: str, lang: str = "de") -> SimUser:
    """A member who joined, was approved and (for English) chose English."""
    await admin.send("/hilfe")
    person = fake.user(user_id, name)
    await join(person, name=name)
    await approve(admin, name)
    if lang == "en":
        await person.send("/sprache")
        await choose(person, said("language-choose"), said("language-en"))
        await expect(person, said("language-set", "en"))
    return person


async def _reminders(bot: RunningBot, user: SimUser) -> list[object]:
    member = await bot.services.members.by_telegram_id(user.id)
    assert member is not None
    return list(await bot.services.reminders.repo.of_member(member.id))


async def _confirm(user: SimUser, text: str, lang: str) -> SimMessage:
    await user.send(f"/erinnerung {text} Kreistag vorbereiten")
    return await expect(user, fragment("reminder-confirm", lang))


GERMAN = [
    ("heute Abend 20 Uhr", "Samstag, 21. November 2026, 20:00 Uhr"),
    ("morgen früh 8 Uhr", "Sonntag, 22. November 2026, 08:00 Uhr"),
    ("morgen Abend 19 Uhr", "Sonntag, 22. November 2026, 19:00 Uhr"),
    ("um halb acht", "Samstag, 21. November 2026, 19:30 Uhr"),
    ("viertel nach sieben", "Samstag, 21. November 2026, 19:15 Uhr"),
    ("nächste Woche Dienstag 18 Uhr", "Dienstag, 24. November 2026, 18:00 Uhr"),
    ("in 90 Minuten", "Samstag, 21. November 2026, 11:30 Uhr"),
]
ENGLISH = [
    ("tonight 8pm", "Saturday, 21 November 2026, 20:00"),
    ("tomorrow morning 8am", "Sunday, 22 November 2026, 08:00"),
    ("tomorrow evening at 7", "Sunday, 22 November 2026, 19:00"),
    ("at half past seven", "Saturday, 21 November 2026, 19:30"),
    ("quarter past seven", "Saturday, 21 November 2026, 19:15"),
    ("next week Tuesday 6pm", "Tuesday, 24 November 2026, 18:00"),
    ("in 90 minutes", "Saturday, 21 November 2026, 11:30"),
]


async def _understood_and_cancelled(
    bot: RunningBot, user: SimUser, cases: list[tuple[str, str]], lang: str
) -> None:
    """Every input is understood as the pinned moment; ❌ drops the proposal and stores nothing."""
    for text, moment in cases:
        confirm = await _confirm(user, text, lang)
        assert said("reminder-confirm", lang, when=moment, body="Kreistag vorbereiten") in confirm.text, text
        assert said("reminder-confirm-next-year", lang, year=2027) not in confirm.text
        query = await user.press(confirm, said("reminder-confirm-btn-cancel", lang))
        await expect(user, said("reminder-confirm-cancelled", lang))
        assert (await user.callback_answer(query))["text"] in (None, "")
        assert await bot.services.dialogs.get(user.id) is None
        again = await user.press_data(confirm, encode("rm", "ok", user.id))  # ✅ afterwards: stale
        assert fragment("common-stale", lang) in (await user.callback_answer(again))["text"]
    assert await _reminders(bot, user) == []


async def test_how_people_talk_in_german(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    olga = await _member(fake, admin, 1701, "Olga")
    await _understood_and_cancelled(bot, olga, GERMAN, "de")


async def test_how_people_talk_in_english(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    emma = await _member(fake, admin, 1702, "Emma", "en")
    await _understood_and_cancelled(bot, emma, ENGLISH, "en")


async def test_yesterday_lies_in_the_past(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    paul = await _member(fake, admin, 1703, "Paul")
    await paul.send("/erinnerung gestern 10:00 Kreistag")
    refusal = await expect(paul, fragment("time-past"))
    friday = "Freitag, 20. November 2026, 10:00 Uhr"
    assert refusal.text == said("time-past", text="gestern 10:00", when=friday)
    await paul.send("/erinnerung vorgestern Kreistag")
    refusal = await expect(paul, fragment("time-past"))
    thursday = "Donnerstag, 19. November 2026, 10:00 Uhr"
    assert refusal.text == said("time-past", text="vorgestern", when=thursday)
    await paul.send("/language")
    await choose(paul, said("language-choose"), said("language-en"))
    await paul.send("/remind yesterday 10:00 council")
    refusal = await expect(paul, fragment("time-past", "en"))
    friday = "Friday, 20 November 2026, 10:00"
    assert refusal.text == said("time-past", "en", text="yesterday 10:00", when=friday)
    assert await _reminders(bot, paul) == []


async def test_a_passed_day_and_month_is_next_year_and_says_so(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    rita = await _member(fake, admin, 1704, "Rita")
    confirm = await _confirm(rita, "21.11. 8:00", "de")  # 08:00 today has passed (it is 10:00)
    assert "Sonntag, 21. November 2027, 08:00 Uhr" in confirm.text
    assert said("reminder-confirm-next-year", year=2027) in confirm.text
    await rita.press(confirm, said("reminder-btn-yes"))
    await expect(rita, fragment("reminder-created"))
    confirm = await _confirm(rita, "3.12. 18 Uhr", "de")  # still to come this year: no remark
    assert "Donnerstag, 3. Dezember 2026, 18:00 Uhr" in confirm.text
    assert said("reminder-confirm-next-year", year=2027) not in confirm.text
    await rita.send("/language")
    await choose(rita, said("language-choose"), said("language-en"))
    confirm = await _confirm(rita, "November 21st 8am", "en")
    assert said("reminder-confirm-next-year", "en", year=2027) in confirm.text


async def test_a_waiting_proposal_does_not_capture_the_chat(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    """Chat while a proposal waits gets the free-text hint, not "verstehe ich nicht als Zeitangabe";
    the proposal keeps waiting for its buttons, and a new time still replaces it."""
    for user_id, name, lang in ((1705, "Gerd", "de"), (1706, "Jane", "en")):
        user = await _member(fake, admin, user_id, name, lang)
        confirm = await _confirm(user, "morgen 18:00" if lang == "de" else "tomorrow 6pm", lang)
        await user.send("Danke, bis morgen!" if lang == "de" else "Thanks, see you tomorrow!")
        answers = (said("common-free-text", lang), fragment("time-unknown", lang).split("\n")[0])
        hint = await user.wait_for(lambda m, answers=answers: any(a in m.text for a in answers))
        assert hint.text == answers[0]
        await user.send("morgen 19 Uhr Fraktion" if lang == "de" else "tomorrow 7pm faction")
        confirm = await expect(user, fragment("reminder-confirm", lang))
        assert "19:00" in confirm.text
        await user.press(confirm, said("reminder-btn-yes", lang))
        await expect(user, fragment("reminder-created", lang))
        assert len(await _reminders(bot, user)) == 1


async def test_long_input_is_echoed_short(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    """Every text that quotes what was typed fits into one message, whatever was typed."""
    vera = await _member(fake, admin, 1707, "Vera")
    for lang in ("de", "en"):
        # time-unknown: the whole input would be quoted
        await vera.send("/erinnerung " + "Kreistag " * 600)
        refusal = await expect(vera, fragment("time-unknown", lang).split("\n")[0])
        assert len(refusal.text) < LIMIT and "Kreistag Kreistag" in refusal.text
        await vera.send("/erinnerung " + "x" * 5000)
        refusal = await expect(vera, fragment("time-unknown", lang).split("\n")[0])
        assert len(refusal.text) < LIMIT
        # reminder-confirm / -edit, reminder-edit-ask: the body; over BODY_MAX it is refused, not quoted
        await vera.send("/erinnerung morgen 18:00 " + "y" * 5000)
        await expect(vera, said("reminder-too-long", lang, length=5000, max=BODY_MAX))
        confirm = await _confirm(vera, "morgen 18:00 " + "z" * (BODY_MAX - 21), lang)
        assert len(confirm.text) < LIMIT
        await vera.press(confirm, said("reminder-btn-yes", lang))
        await expect(vera, fragment("reminder-created", lang))
        await vera.send("/erinnerungen")
        listing = await expect(vera, said("reminder-list-head", lang))
        assert len(listing.text) < LIMIT
        await vera.press(listing, said("reminder-list-btn-edit", lang, n=1))
        ask = await expect(vera, fragment("reminder-edit-ask", lang).split("\n")[0])
        assert len(ask.text) < LIMIT
        await vera.send("morgen 18:00 " + "w" * 5000)
        await expect(vera, said("reminder-too-long", lang, length=5000, max=BODY_MAX))
        await vera.send("/abbrechen")
        if lang == "en":
            break
        await vera.send("/language")
        await choose(vera, said("language-choose"), said("language-en"))
        await expect(vera, said("language-set", "en"))

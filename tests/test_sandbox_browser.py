"""The sandbox in a real browser: `lag-bot sandbox` as a process, its page in headless Chromium
(Debian's package, driven by Playwright), on a laptop (1366×768) and on a phone (390×844).

The laptop story: the welcome, Nele's START, the coordinator approves her (her label follows),
she answers an event and asks the Landtag faction, whose member answers from the faction's group,
and she asks back by replying in her private chat; the bot's formatting is rendered; a reminder
"in 3 Stunden" fires on time after "+1 Tag" on the bot's clock; the card just pressed stays in
view. The phone story: list and chat slide, the chat is full width, the input is on screen. No
request fails (favicon) and emoji have a font. A screenshot per viewport goes to `test-artifacts/`.

Runs where /usr/bin/chromium exists; CI installs it and sets LAG_BROWSER_TEST=1, so there a
missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# Without the networking flags Chromium tries Google's hosts at every start (closed network here).
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NELE, KIM, ANNA = "7013", "7001", "7007"
QUESTION = "Wie wirkt sich das neue Kita-Gesetz auf die Haushalte der Gemeinden aus?"
ANSWER = "Die Kreise bekommen 2027 einen Ausgleich; die Gemeinden tragen nur die Betriebskosten."

if not CHROMIUM.exists():
    if os.environ.get("LAG_BROWSER_TEST"):
        raise RuntimeError(
            "LAG_BROWSER_TEST is set but /usr/bin/chromium is missing (apt-get install chromium)"
        )
    pytest.skip("Debian's chromium is not installed here", allow_module_level=True)

from playwright.async_api import Page, ViewportSize, async_playwright  # noqa: E402

from tests.texts import fragment  # noqa: E402

LAPTOP = ViewportSize(width=1366, height=768)
PHONE = ViewportSize(width=390, height=844)


@pytest.fixture
def sandbox_url(tmp_path: Path) -> Iterator[str]:
    """`lag-bot sandbox` as its own process on a free port; its one printed address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "composition", "sandbox", "--port", "0", "--data", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = ""
        for line in process.stdout:
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                url = found.group(0)
                break
        assert url, "the sandbox printed no address"
        yield url
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0  # SIGTERM stops it cleanly


@pytest.fixture
async def laptop(sandbox_url: str) -> AsyncIterator[Page]:
    async with opened(sandbox_url, LAPTOP) as page:
        yield page


@pytest.fixture
async def phone(sandbox_url: str) -> AsyncIterator[Page]:
    async with opened(sandbox_url, PHONE) as page:
        yield page


@asynccontextmanager
async def opened(sandbox_url: str, viewport: ViewportSize) -> AsyncIterator[Page]:
    """The page at `viewport`; every failed request and console error is kept in `page.problems`."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        opened = await browser.new_page(viewport=viewport)
        opened.set_default_timeout(15_000)
        problems: list[str] = []
        opened.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        opened.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        opened.problems = problems  # type: ignore[attr-defined]
        await opened.goto(sandbox_url)
        yield opened
        await browser.close()


async def be(page: Page, person: str, chat: str) -> None:
    """Choose who I am and open one of their chats (on a phone: back to the list first)."""
    if await page.locator("#back").is_visible():
        await page.click("#back")
    await page.select_option("#who", person)
    await page.click(f".chat:has-text({chat!r})")


async def say(page: Page, text: str) -> None:
    await page.fill("#text", text)
    await page.press("#text", "Enter")


async def press(page: Page, message_text: str, button: str) -> None:
    """Press a button of the last message that contains `message_text`."""
    message = page.locator(".msg", has_text=message_text).last
    await message.locator("button", has_text=button).first.click()


async def shows(page: Page, text: str) -> None:
    await page.locator(".msg", has_text=text).last.wait_for()


async def in_view(page: Page, selector: str) -> None:
    """The element is wholly inside the viewport."""
    box = await page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, selector
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= size["width"] + 1 and box["y"] + box["height"] <= size["height"] + 1, (
        selector,
        box,
    )


async def emoji_font_and_no_problems(page: Page, name: str) -> None:
    load = """async () => (await document.fonts.load('16px "LAG Emoji"', '✅')).length"""
    fonts = await page.evaluate(load)
    assert fonts == 1  # the shipped emoji font is there for a machine without one
    assert page.problems == []  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"sandbox-{name}.png"
    await page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


async def story(page: Page) -> None:
    """Every point of the sandbox at the page's viewport."""
    await page.locator("#welcome", has_text="Sei Nele Neu").wait_for()
    assert await page.input_value("#who") == ""  # nobody chosen yet: the welcome says who to be
    await page.click("#welcome button:has-text('Nele Neu')")
    assert await page.text_content("#title") == "🤖 Bot (privat)"
    await in_view(page, "#start")
    await page.click("#start")  # Telegram's START for a chat nobody has written in
    await shows(page, "Bist du einverstanden?")
    await in_view(page, "#text")
    await in_view(page, "#compose button")
    await press(page, "Bist du einverstanden?", "Ich bin einverstanden")
    await press(page, "Wie sollen dich die anderen", "Nele Neu")
    await press(page, "In welchem Kreis", "Landkreis Heidesee")
    await press(page, "in welcher Gemeinde", "Birkenau")
    await press(page, "Hast du (noch) ein Mandat?", "Weiter")
    await press(page, "Welche Themen interessieren dich", "Bildung")
    await press(page, "Welche Themen interessieren dich", "Fertig")
    await shows(page, "deine Angaben sind vollständig")
    await page.locator("#who option[value='7013']", has_text="wartet auf Freigabe").wait_for(state="attached")

    await page.select_option("#who", KIM)  # switching person: nothing of Nele's chat stays
    assert "Kim" in (await page.text_content("#title") or "")
    assert await page.locator(".msg").count() == 0 and await page.is_disabled("#text")
    await page.click(".chat:has-text('Bot (privat)')")
    await press(page, "Nele Neu", "Freigeben")
    await shows(page, "Freigegeben von")
    await page.locator("#who option[value='7013']", has_text="neues Mitglied").wait_for(state="attached")

    await be(page, NELE, "Bot (privat)")
    await shows(page, "freigeschaltet")
    await say(page, "/termine")
    await shows(page, "Kommende Termine")
    await press(page, "Kommende Termine", "✅ 1")
    await shows(page, "Deine Antwort: Zusage")
    # Scrolled up, a new message does not pull the view away; at the bottom, the view follows.
    await page.evaluate("document.getElementById('log').scrollTop = 0")
    await say(page, "/hilfe")
    await shows(page, "/erinnerung")
    assert await page.evaluate("document.getElementById('log').scrollTop") < 50

    await say(page, "/frage")
    await press(page, "an wen soll sie gehen", "Landtag Nordmark")
    await press(page, "Zu welchem Thema", "Finanzen/Haushalt")
    await shows(page, "Schreib jetzt deine Frage")
    await say(page, QUESTION)
    await press(page, "Wie sollen dich die Antwortenden sehen", "Nele Neu")
    await press(page, "So geht deine Frage raus", "Frage senden")
    await shows(page, "ist unterwegs an")

    await be(page, ANNA, "Landtagsfraktion Nordmark")
    card = page.locator(".msg", has_text=QUESTION).last
    await card.locator(".reply").click()
    await say(page, ANSWER)
    await shows(page, "ist an die fragende Person unterwegs")

    await be(page, NELE, "Bot (privat)")
    answer = page.locator(".msg", has_text=ANSWER).last
    await answer.wait_for()
    # The bot's formatting, rendered: the italic hint is an <i>, the text escaped, not markup.
    assert "Antworte einfach" in (await answer.locator("i").last.text_content() or "")
    assert "<i>" not in (await answer.locator(".text").text_content() or "")
    await answer.locator(".reply").click()  # a reply in the private chat
    await say(page, "Gilt das auch für Horte?")
    await shows(page, "Deine Nachfrage ist unterwegs")

    # The bot's clock (Europe/Berlin), and a reminder in 3 hours fires on time after "+1 Tag".
    zone = ZoneInfo("Europe/Berlin")
    shown = datetime.strptime(await page.text_content("#now") or "", "%d.%m.%Y %H:%M").replace(tzinfo=zone)
    assert abs((shown - datetime.now(zone)).total_seconds()) < 120
    assert await page.text_content("#zone") == "(Europe/Berlin)"
    await be(page, KIM, "Bot (privat)")
    await say(page, "/erinnerung in 3 Stunden Test")
    await press(page, "stimmt das?", "Ja")
    await shows(page, "Gespeichert")
    if await page.locator("#back").is_visible():  # on a phone the clock is with the list
        await page.click("#back")
    await page.click(".time button:has-text('+1 Tag')")
    await page.click(".chat:has-text('Bot (privat)')")
    fired = page.locator(".msg", has_text="⏰ Test").last
    await fired.wait_for()
    assert fragment("reminder-message-late") not in (await fired.text_content() or "")
    assert await page.locator(".msg", has_text=fragment("reminder-missed")).count() == 0


async def test_on_a_laptop(laptop: Page) -> None:
    await story(laptop)
    await emoji_font_and_no_problems(laptop, "laptop")


async def test_on_a_phone_the_list_and_the_chat_slide_and_the_input_is_on_screen(phone: Page) -> None:
    page = phone
    width = PHONE["width"]
    await page.locator("#welcome", has_text="Sei Nele Neu").wait_for()
    await in_view(page, "#welcome")
    await story(page)
    log = await page.locator("#log").bounding_box()
    assert log is not None and log["width"] >= width - 2  # the chat is full width
    assert await page.evaluate("document.documentElement.scrollWidth") <= width

    await page.click("#back")  # the list slides back in, the chat away
    await page.wait_for_timeout(400)
    await in_view(page, "#who")
    await in_view(page, ".chat >> nth=0")
    await page.select_option("#who", ANNA)
    await page.click(".chat:has-text('Bot (privat)')")
    await page.wait_for_timeout(400)
    aside = await page.locator("aside").bounding_box()
    assert aside is not None and aside["x"] + aside["width"] <= 1  # slid away
    await say(page, "/hilfe")
    await shows(page, "/erinnerung")
    message = await page.locator(".msg", has_text="/erinnerung").last.bounding_box()
    assert message is not None and message["width"] > 250  # no text broken letter by letter
    await in_view(page, "#text")
    await emoji_font_and_no_problems(page, "phone")

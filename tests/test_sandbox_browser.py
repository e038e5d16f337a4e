"""The sandbox in a real browser: `lag-bot sandbox` as a process, its page in headless Chromium
(Debian's package, driven by Playwright). A newcomer joins, the coordinator approves her, she
answers an event and asks the Landtag faction, whose member answers from the faction's group; the
screenshot of the answer is kept in `test-artifacts/`.

Runs where /usr/bin/chromium exists; CI installs it and sets LAG_BROWSER_TEST=1, so there a
missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

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

from playwright.async_api import Page, async_playwright  # noqa: E402


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
async def page(sandbox_url: str) -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        opened = await browser.new_page(viewport={"width": 1280, "height": 900})
        opened.set_default_timeout(15_000)
        await opened.goto(sandbox_url)
        yield opened
        await browser.close()


async def be(page: Page, person: str, chat: str) -> None:
    """Choose who I am and open one of their chats."""
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


async def test_join_approve_answer_an_event_and_ask_the_landtag_faction(page: Page) -> None:
    await be(page, NELE, "Bot (privat)")
    await say(page, "/start")
    await press(page, "Bist du einverstanden?", "Ich bin einverstanden")
    await press(page, "Wie sollen dich die anderen", "Nele Neu")
    await press(page, "In welchem Kreis", "Landkreis Heidesee")
    await press(page, "in welcher Gemeinde", "Birkenau")
    await press(page, "Hast du (noch) ein Mandat?", "Weiter")
    await press(page, "Welche Themen interessieren dich", "Bildung")
    await press(page, "Welche Themen interessieren dich", "Fertig")
    await shows(page, "deine Angaben sind vollständig")

    await be(page, KIM, "Bot (privat)")
    await press(page, "Nele Neu", "Freigeben")
    await shows(page, "Freigegeben von")

    await be(page, NELE, "Bot (privat)")
    await shows(page, "freigeschaltet")
    await say(page, "/termine")
    await shows(page, "Kommende Termine")
    await press(page, "Kommende Termine", "✅ 1")
    await shows(page, "Deine Antwort: Zusage")

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
    await shows(page, ANSWER)
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "sandbox-answer.png"), full_page=True)
    assert (ARTIFACTS / "sandbox-answer.png").stat().st_size > 10_000

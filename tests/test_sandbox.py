"""The sandbox through its web API: the demo world is there, typing and pressing reach the real
bot, documents can be downloaded, and time can be fast-forwarded so that reminders fire on time.
`lag-bot sandbox` on a taken port, and `lag-bot run` without a reachable Bot API, say so in one line."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp

from composition.sandbox import sandbox
from lag_bot.sandbox.cast import DEMO_ADMIN_ID, NEWCOMER, NEWCOMER_NOW
from tests.texts import CATALOG, fragment, plain


async def _messages(http: aiohttp.ClientSession, url: str, who: int, chat: int) -> list[dict[str, Any]]:
    async with http.get(f"{url}api/messages", params={"as": who, "chat": chat}) as response:
        assert response.status == 200
        return list((await response.json())["messages"])


async def _until(http: aiohttp.ClientSession, url: str, who: int, chat: int, text: str) -> dict[str, Any]:
    for _ in range(100):
        for message in reversed(await _messages(http, url, who, chat)):
            if text in message["text"] and not message["mine"]:
                return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"no message with {text!r} in chat {chat} of {who}")


async def test_the_demo_world_and_the_real_bot_behind_the_page(tmp_path: Path) -> None:
    async with sandbox(tmp_path) as running, aiohttp.ClientSession() as http:
        url = running.url
        async with http.get(url) as page:
            assert page.status == 200 and "lag-bot Sandbox" in await page.text()
        async with http.get(f"{url}api/world") as response:
            world = await response.json()
        assert len(world["people"]) == 13 and {g["title"] for g in world["groups"]} == {
            "Kreistagsfraktion Heidesee",
            "Landtagsfraktion Nordmark",
        }
        active = await running.services.db.fetchval("SELECT count(*) FROM members WHERE status = 'active'")
        assert active == 12
        # Every member got the invitations of the demo events.
        invitation = await _until(http, url, 7004, 7004, "LAG-Sitzung: Kommunalfinanzen 2027")
        assert [b["text"] for b in invitation["buttons"][0]] == ["✅ Zusage", "❌ Absage", "❔ Vielleicht"]

        # The newcomer types /start and presses the consent button, as on a phone.
        newcomer = NEWCOMER[0]
        async with http.post(
            f"{url}api/send", json={"as": newcomer, "chat": newcomer, "text": "/start"}
        ) as r:
            assert r.status == 200
        consent = await _until(http, url, newcomer, newcomer, "Bist du einverstanden?")
        data = consent["buttons"][0][0]["data"]
        press = {"as": newcomer, "chat": newcomer, "message": consent["id"], "data": data}
        async with http.post(f"{url}api/press", json=press) as r:
            assert r.status == 200
        await _until(http, url, newcomer, newcomer, "Wie sollen dich die anderen")
        forged = {**press, "data": "v1:ev:a:1:y"}  # not a button of that message
        async with http.post(f"{url}api/press", json=forged) as r:
            assert r.status == 404
        async with http.get(f"{url}api/messages", params={"as": newcomer, "chat": -100700002}) as r:
            assert r.status == 404  # not in that group

        # A calendar file the bot sends can be downloaded from the page.
        async with http.post(f"{url}api/send", json={"as": 7004, "chat": 7004, "text": "/termine"}) as r:
            assert r.status == 200
        listing = await _until(http, url, 7004, 7004, "Kommende Termine")
        ics = next(b for row in listing["buttons"] for b in row if "Kalender" in b["text"])
        press = {"as": 7004, "chat": 7004, "message": listing["id"], "data": ics["data"]}
        async with http.post(f"{url}api/press", json=press) as r:
            assert r.status == 200
        for _ in range(100):
            documents = [m for m in await _messages(http, url, 7004, 7004) if m["document"]]
            if documents:
                break
            await asyncio.sleep(0.05)
        async with http.get(f"{url}api/file/{documents[-1]['document']['id']}") as r:
            assert r.status == 200 and (await r.read()).startswith(b"BEGIN:VCALENDAR")

        # Fast-forward: the coordinator's reminder in ten minutes fires on time, not late.
        admin = DEMO_ADMIN_ID
        await _remind(http, url, admin, "in 10 Minuten Tee kochen")
        async with http.post(f"{url}api/time", json={"minutes": 60}) as r:
            assert r.status == 200
        fired = await _until(http, url, admin, admin, "⏰ Tee kochen")
        assert fragment("reminder-message-late") not in fired["text"]
        async with http.post(f"{url}api/time", json={"minutes": 0}) as r:
            assert r.status == 400


async def _remind(http: aiohttp.ClientSession, url: str, who: int, what: str) -> None:
    async with http.post(f"{url}api/send", json={"as": who, "chat": who, "text": f"/erinnerung {what}"}) as r:
        assert r.status == 200
    confirm = await _until(http, url, who, who, "stimmt das?")
    ok = {"as": who, "chat": who, "message": confirm["id"], "data": confirm["buttons"][0][0]["data"]}
    async with http.post(f"{url}api/press", json=ok) as r:
        assert r.status == 200
    await _until(http, url, who, who, "Gespeichert")


async def test_fast_forward_steps_through_each_due_moment_in_order(tmp_path: Path) -> None:
    """+1 week: two reminders and the group's event reminder each fire at their own time, in order,
    none missed or late; the page's clock is the bot's (Europe/Berlin)."""
    async with sandbox(tmp_path) as running, aiohttp.ClientSession() as http:
        url, admin = running.url, DEMO_ADMIN_ID
        await _remind(http, url, admin, "in 3 Stunden Erst das")
        await _remind(http, url, admin, "in 2 Tagen Dann das")
        async with http.post(f"{url}api/time", json={"minutes": 7 * 24 * 60}) as r:
            assert r.status == 200 and (await r.json())["moments"] >= 2
        await _until(http, url, admin, admin, "⏰ Dann das")
        texts = [m["text"] for m in await _messages(http, url, admin, admin) if not m["mine"]]
        first, then = texts.index("⏰ Erst das"), texts.index("⏰ Dann das")
        assert first < then
        late, missed = fragment("reminder-message-late"), fragment("reminder-missed")
        assert not [t for t in texts if late in t or missed in t]
        group = [m["text"] for m in await _messages(http, url, 7003, -100700001)]
        assert any(fragment("event-notice-reminder") in t for t in group)
        late_mark = plain(CATALOG.texts["de"]["event-notice-reminder-late"].splitlines()[-1])  # (verspätet)
        assert not [t for t in group if late_mark in t]
        async with http.get(f"{url}api/world") as response:
            world = await response.json()
        assert world["zone"] == "Europe/Berlin"
        shown = running.world.clock().astimezone(running.services.settings.timezone)
        assert world["now"][:10] == shown.strftime("%d.%m.%Y")


async def test_the_newcomers_label_follows_her_status_and_the_page_has_an_icon(tmp_path: Path) -> None:
    async with sandbox(tmp_path) as running, aiohttp.ClientSession() as http:
        url, nele = running.url, NEWCOMER[0]
        async with http.get(f"{url}favicon.ico") as r:
            assert r.status == 200 and r.content_type == "image/svg+xml"
        async with http.get(f"{url}emoji.ttf") as r:
            assert r.status == 200 and len(await r.read()) > 100_000
        async with http.post(f"{url}api/send", json={"as": nele, "chat": nele, "text": "/start"}) as r:
            assert r.status == 200
        consent = await _until(http, url, nele, nele, "Bist du einverstanden?")
        press = {"as": nele, "chat": nele, "message": consent["id"], "data": consent["buttons"][0][0]["data"]}
        async with http.post(f"{url}api/press", json=press) as r:
            assert r.status == 200
        async with http.get(f"{url}api/world") as response:
            people = {p["id"]: p for p in (await response.json())["people"]}
        assert people[nele]["about"] == NEWCOMER_NOW["onboarding"]
        # The bot's formatting reaches the page as entities.
        assert any(m["entities"] for m in await _messages(http, url, nele, nele))


def test_a_taken_port_is_one_line_naming_it_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "composition", "sandbox", "--port", str(port), "--data", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert str(port) in line and "--port" in line


def test_run_without_a_reachable_bot_api_is_one_clear_line(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: connections are refused
        env = {
            **os.environ,
            "BOT_TOKEN": "123456:" + "A" * 35,
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}/bot",
            "DATABASE_PATH": str(tmp_path / "lag.sqlite3"),
        }
        done = subprocess.run(
            [sys.executable, "-m", "composition", "run"],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            cwd=tmp_path,
        )
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert "cannot reach the Telegram Bot API" in line


async def test_the_archive_of_the_demo_world_answers_a_search(tmp_path: Path) -> None:
    async with sandbox(tmp_path) as running, aiohttp.ClientSession() as http:
        url, who = running.url, 7010
        async with http.post(
            f"{url}api/send", json={"as": who, "chat": who, "text": "/frage suche Wärmeplanung"}
        ) as r:
            assert r.status == 200
        found = await _until(http, url, who, who, "Wärmeplanung")
        assert "kommunale Wärmeplanung" in found["text"]
        archived = await running.services.db.fetchval(
            "SELECT count(*) FROM questions WHERE archived_at IS NOT NULL"
        )
        assert archived == 2

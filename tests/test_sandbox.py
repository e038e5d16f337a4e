"""The sandbox through its web API: the demo world is there, typing and pressing reach the real
bot, documents can be downloaded, and time can be fast-forwarded so that reminders fire."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp

from composition.sandbox import sandbox
from lag_bot.sandbox.cast import DEMO_ADMIN_ID, NEWCOMER


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

        # Fast-forward: the coordinator's reminder in ten minutes fires at once.
        admin = DEMO_ADMIN_ID
        async with http.post(
            f"{url}api/send",
            json={"as": admin, "chat": admin, "text": "/erinnerung in 10 Minuten Tee kochen"},
        ) as r:
            assert r.status == 200
        confirm = await _until(http, url, admin, admin, "stimmt das?")
        ok = {"as": admin, "chat": admin, "message": confirm["id"], "data": confirm["buttons"][0][0]["data"]}
        async with http.post(f"{url}api/press", json=ok) as r:
            assert r.status == 200
        await _until(http, url, admin, admin, "Gespeichert")
        async with http.post(f"{url}api/time", json={"minutes": 60}) as r:
            assert r.status == 200
        await _until(http, url, admin, admin, "⏰ Tee kochen")
        async with http.post(f"{url}api/time", json={"minutes": 0}) as r:
            assert r.status == 400


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

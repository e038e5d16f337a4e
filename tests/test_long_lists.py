"""Long lists (a state with many municipalities) are paged, so no keyboard exceeds Telegram's limits."""

from __future__ import annotations

import json
from pathlib import Path

from lag_bot.emulator import FakeTelegram, SimUser
from tests.harness import RunningBot, running_bot
from tests.story import choose, expect
from tests.texts import fragment, said


def _big_state(path: Path) -> Path:
    places = [
        {
            "code": f"g{i:03}",
            "name": f"Gemeinde {i:03}",
            "bodies": [{"code": f"gv{i:03}", "name": f"Gemeindevertretung {i:03}", "level": "gemeinde"}],
        }
        for i in range(130)
    ]
    seed = {
        "state": {
            "code": "bl",
            "name": "Beispielland",
            "bodies": [{"code": "lt", "name": "Landtag Beispielland", "level": "land"}],
        },
        "districts": [
            {
                "code": "lk1",
                "name": "Landkreis Groß",
                "kind": "landkreis",
                "bodies": [{"code": "kt1", "name": "Kreistag Groß", "level": "kreis"}],
                "municipalities": places,
            }
        ],
        "topics": [{"code": "bildung", "de": "Bildung", "en": "Education"}],
    }
    path.write_text(json.dumps(seed), encoding="utf-8")
    return path


async def test_municipality_list_is_paged(fake: FakeTelegram, tmp_path: Path) -> None:
    seed = _big_state(tmp_path / "big.json")
    async with running_bot(fake, tmp_path, territory_file=seed) as bot:
        yvonne = fake.user(1801, "Yvonne")
        await yvonne.send("/start")
        await choose(yvonne, fragment("start-greeting"), said("consent-accept"))
        await yvonne.send("Yvonne")
        await choose(yvonne, said("wizard-district"), "Landkreis Groß")
        ask = await expect(yvonne, said("wizard-municipality"))
        assert "Gemeinde 000" in ask.button_texts() and "Gemeinde 100" not in ask.button_texts()
        assert len(ask.button_texts()) < 100
        for _ in range(4):
            await yvonne.press(ask, "▶")
            ask = await yvonne.wait_edit(ask)
        assert "Gemeinde 100" in ask.button_texts()
        await yvonne.press(ask, "Gemeinde 100")
        await expect(yvonne, fragment("wizard-mandates"))
        member = await bot.services.members.by_telegram_id(1801)
        place = await bot.services.territory.territory(member.municipality_id or 0) if member else None
        assert place is not None and place.name == "Gemeinde 100"


async def test_faction_list_in_groups_is_paged(fake: FakeTelegram, bot: RunningBot, admin: SimUser) -> None:
    group = fake.group(-5101, "Stadtfraktion Wismar")
    await group.add_bot(by=admin)
    await group.wait_for(lambda m: said("groups-hello") in m.text)
    await admin.send_in(group, "/verbinden")
    choice = await group.wait_for(lambda m: said("groups-link-choose") in m.text)
    await admin.press(choice, said("groups-link-faction-gemeinde"))
    bodies = await group.wait_for(lambda m: said("groups-link-choose-body") in m.text)
    first_page = bodies.button_texts()
    assert "▶" in first_page and len(first_page) <= 25
    await admin.press(bodies, "▶")
    bodies = await group.wait_edit(bodies)
    second_page = [label for label in bodies.button_texts() if label not in ("◀", "▶")]
    assert second_page and not set(second_page) & set(first_page)
    await admin.press(bodies, second_page[-1])
    await group.wait_for(lambda m: fragment("groups-linked") in m.text and second_page[-1] in m.text)

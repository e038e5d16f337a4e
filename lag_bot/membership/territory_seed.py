"""Territory data (state, districts, municipalities, bodies, topics) from a JSON file.

The package ships `lag_bot/data/territory_mv.json` (Mecklenburg-Vorpommern), loaded at the
first start. A coordinator replaces it with `lag-bot load-territory FILE`: entries are matched by
`code`, updated or added; entries missing from the file are deleted unless something still
refers to them (those are kept and reported).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from lag_bot.db import Database
from lag_bot.repositories.territory import TerritoryRepository

LEVELS = ("gemeinde", "kreis", "land")
DISTRICT_KINDS = ("landkreis", "kreisfreie_stadt")


class SeedError(ValueError):
    """The territory file is not in the expected shape."""


@dataclass(frozen=True)
class SeedReport:
    """What a load did."""

    territories: int
    bodies: int
    topics: int
    kept: tuple[str, ...]


def default_seed() -> dict[str, Any]:
    """The example seed shipped with the package."""
    raw = resources.files("lag_bot.data").joinpath("territory_mv.json").read_text("utf-8")
    return dict(json.loads(raw))


def read_seed(path: Path) -> dict[str, Any]:
    """Read and check a seed file."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SeedError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise SeedError(f"{path}: the top level must be an object")
    return data


async def load_seed(db: Database, data: dict[str, Any]) -> SeedReport:
    """Apply a seed in one transaction."""
    _check(data)
    repo = TerritoryRepository(db)
    seen: dict[str, set[str]] = {"territories": set(), "bodies": set(), "topics": set()}
    async with db.transaction():
        state = data["state"]
        state_id = await repo.upsert_territory(state["code"], state["name"], "land", None)
        seen["territories"].add(state["code"])
        await _bodies(repo, state, state_id, seen)
        for district in data["districts"]:
            d_id = await repo.upsert_territory(district["code"], district["name"], district["kind"], state_id)
            seen["territories"].add(district["code"])
            await _bodies(repo, district, d_id, seen)
            for place in district.get("municipalities", []):
                p_id = await repo.upsert_territory(place["code"], place["name"], "gemeinde", d_id)
                seen["territories"].add(place["code"])
                await _bodies(repo, place, p_id, seen)
        for topic in data["topics"]:
            await repo.upsert_topic(topic["code"], topic["de"], topic["en"])
            seen["topics"].add(topic["code"])
        kept = [
            *await repo.delete_unlisted("bodies", seen["bodies"]),
            *await repo.delete_unlisted("territories", seen["territories"]),
            *await repo.delete_unlisted("topics", seen["topics"]),
        ]
    return SeedReport(len(seen["territories"]), len(seen["bodies"]), len(seen["topics"]), tuple(kept))


async def _bodies(
    repo: TerritoryRepository, owner: dict[str, Any], territory_id: int, seen: dict[str, set[str]]
) -> None:
    for body in owner.get("bodies", []):
        await repo.upsert_body(body["code"], body["name"], body["level"], territory_id)
        seen["bodies"].add(body["code"])


def _check(data: dict[str, Any]) -> None:
    def need(obj: Any, key: str, where: str) -> Any:
        if not isinstance(obj, dict) or key not in obj:
            raise SeedError(f"{where}: {key!r} is missing")
        return obj[key]

    codes: set[str] = set()

    def code(obj: dict[str, Any], where: str) -> None:
        value = need(obj, "code", where)
        if not isinstance(value, str) or not value or value in codes:
            raise SeedError(f"{where}: code {value!r} is empty or used twice")
        codes.add(value)
        if not isinstance(need(obj, "name", where), str):
            raise SeedError(f"{where}: name must be text")
        for body in obj.get("bodies", []):
            if need(body, "level", f"{where}/bodies") not in LEVELS:
                raise SeedError(f"{where}: body level must be one of {LEVELS}")
            need(body, "code", f"{where}/bodies")
            need(body, "name", f"{where}/bodies")

    code(need(data, "state", "file"), "state")
    for district in need(data, "districts", "file"):
        code(district, "districts")
        if district.get("kind") not in DISTRICT_KINDS:
            raise SeedError(f"district {district['code']}: kind must be one of {DISTRICT_KINDS}")
        for place in district.get("municipalities", []):
            code(place, f"district {district['code']}")
    for topic in need(data, "topics", "file"):
        for key in ("code", "de", "en"):
            need(topic, key, "topics")

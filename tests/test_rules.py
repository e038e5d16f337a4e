"""Pure rules: callback data, profile input, dialog order, name matching, CSV cells."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lag_bot.callbacks import MAX_BYTES, decode, encode
from lag_bot.errors import InvalidInput, Stale
from lag_bot.membership import member_csv
from lag_bot.membership.onboarding import ONBOARDING, PROFILE, STEPS, match_by_name, next_step
from lag_bot.membership.profile_rules import NAME_MAX, clean_display_name, proposed_name
from tests.texts import CATALOG, said

PART = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", max_size=8)


@given(st.sampled_from(["ap", "wz", "mb"]), st.sampled_from(["ok", "no", "pg"]), st.lists(PART, max_size=4))
def test_callback_round_trip(feature: str, action: str, args: list[str]) -> None:
    data = encode(feature, action, *args)
    assert len(data.encode()) <= MAX_BYTES
    cb = decode(data)
    assert (cb.feature, cb.action, cb.args) == (feature, action, tuple(args))


def test_callback_refuses_what_telegram_would() -> None:
    with pytest.raises(ValueError):
        encode("mb", "show", "x" * 70)
    with pytest.raises(ValueError):
        encode("mb", "show", "a:b")


@pytest.mark.parametrize("data", ["", "v2:ap:ok:1", "garbage", "v1:ap", "v1:ap:ok:<b>", "v1:" + "a" * 70])
def test_forged_callback_is_stale(data: str) -> None:
    with pytest.raises(Stale):
        decode(data)


def test_forged_int_argument_is_stale() -> None:
    with pytest.raises(Stale):
        decode("v1:ap:ok:abc").int_arg(0)


@pytest.mark.parametrize("raw", ["<b>Anna</b> & Co 🎉", "  Jo   Müller ", "Émile-Zoë O'Neil"])
def test_display_name_keeps_what_people_type(raw: str) -> None:
    assert clean_display_name(raw) == " ".join(raw.split())


def test_display_name_limits() -> None:
    assert len(clean_display_name("x" * NAME_MAX)) == NAME_MAX
    with pytest.raises(InvalidInput) as too_long:
        clean_display_name("x" * 500)
    assert too_long.value.key == "profile-name-too-long"
    assert too_long.value.params == {"max": NAME_MAX, "length": 500}
    with pytest.raises(InvalidInput):
        clean_display_name("   ")
    with pytest.raises(InvalidInput):
        clean_display_name("Anna\u202eevil")


def test_proposed_name_from_telegram() -> None:
    assert proposed_name("Anna", "Beispiel") == "Anna Beispiel"
    assert proposed_name("Anna", None) == "Anna"
    assert proposed_name("x" * 100, None) is None


def test_onboarding_order() -> None:
    walked, step = [], "name"
    while step is not None:
        walked.append(step)
        step = next_step(ONBOARDING, step)
    assert tuple(walked) == STEPS
    assert next_step(ONBOARDING, "district", district_has_municipalities=False) == "mandates"
    assert next_step(PROFILE, "name") is None
    assert next_step(PROFILE, "district") == "municipality"
    assert next_step(PROFILE, "district", district_has_municipalities=False) is None
    assert next_step(PROFILE, "municipality") is None


def test_match_by_name() -> None:
    names = ["Landkreis Rostock", "Hanse- und Universitätsstadt Rostock", "Landkreis Vorpommern-Rügen"]
    index = dict(enumerate(names))
    assert match_by_name(names, "landkreis rostock", index) == "Landkreis Rostock"
    assert match_by_name(names, "Rügen", index) == "Landkreis Vorpommern-Rügen"
    assert match_by_name(names, "Rostock", index) is None  # two match: ambiguous
    assert match_by_name(names, "Bayern", index) is None


def test_csv_cells_cannot_become_formulas() -> None:
    data = member_csv.render(CATALOG, "de", [['=HYPERLINK("x")', "active", "-1+1", "@SUM", "ok", "", "", ""]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [said(f"member-csv-{column}") for column in member_csv.COLUMNS]
    assert rows[1][0] == '\'=HYPERLINK("x")'
    assert rows[1][2] == "'-1+1"
    assert rows[1][3] == "'@SUM"
    assert rows[1][4] == "ok"


async def test_admin_role_comes_only_from_settings() -> None:
    from lag_bot.authorization import Authorizer
    from lag_bot.models import Member, Role, Status

    stored_admin = Member(1, 77, "Ex", "de", Status.ACTIVE, Role.ADMIN, None, None, False, "", "")
    auth = Authorizer(members=None, admin_ids=frozenset({99}))  # type: ignore[arg-type]
    assert auth.role_of(77, stored_admin) is Role.MEMBER  # removed from ADMIN_IDS: no longer admin
    assert auth.role_of(99, None) is Role.ADMIN
    pending = Member(2, 78, "P", "de", Status.PENDING, Role.COORDINATOR, None, None, False, "", "")
    assert auth.role_of(78, pending) is None

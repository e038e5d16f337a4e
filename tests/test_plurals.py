"""Counted texts: every one renders with 0, 1 and 2 in both languages, in the form Babel's plural
rule picks, and no German text shows "1 Plätze", "1 Gruppen", "1 Tage" or "1–1 Leute" again."""

from __future__ import annotations

import re

import pytest

from lag_bot.i18n import LANGUAGES, PLURAL_CATEGORIES, Catalog
from tests.texts import CATALOG, plain

# A counted text's forms end in a CLDR category (`.one`, `.other`); other keys may hold dots too
# (the export's words for audit actions such as `member.approve`).
COUNTED = sorted(
    {key.rsplit(".", 1)[0] for key in CATALOG.texts["de"] if key.rsplit(".", 1)[-1] in PLURAL_CATEGORIES}
)
# A number followed by a plural noun: wrong after 1 ("1 Plätze").
WRONG_AFTER_ONE = re.compile(
    r"\b1(?:–1)? (Plätze|Plätzen|Gruppen|Tage|Leute|Mitglieder|Schichten|Nachrichten|Einträge|Fragen"
    r"|Empfänger:innen|days|seats|groups|members|people|shifts|messages|entries|questions|recipients)\b"
)


def _params(lang: str, key: str) -> dict[str, object]:
    """Every placeholder of the text's forms but `count`, filled in."""
    names = set().union(*(CATALOG.placeholders(lang, form) for form in CATALOG.plural_keys(key)))
    return {name: "Xy" for name in names - {"count"}}


def test_the_issue_s_texts_are_counted() -> None:
    for key in (
        "event-card-full",  # "Ausgebucht (1 Plätze)"
        "event-new-btn-alert",  # "Warnung 1 Tage vorher"
        "event-new-shift-exact",  # "1–1 Leute"
        "count-members",  # "Erreicht jetzt: 7 Mitglieder, 1 Gruppen"
        "count-groups",
    ):
        assert key in COUNTED, key


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", COUNTED)
def test_every_counted_text_renders_with_0_1_and_2(lang: str, key: str) -> None:
    assert CATALOG.plural_keys(key) == [f"{key}.one", f"{key}.other"]  # German and English: one, other
    params = _params(lang, key)
    for count in (0, 1, 2):
        text = plain(CATALOG.t(lang, key, count=count, **params))
        form = f"{key}.{'one' if count == 1 else 'other'}"  # CLDR for de and en: 1 is `one`, 0 and 2 `other`
        assert text == plain(CATALOG.t(lang, form, count=count, **params)), (key, count, text)
        assert str(count) in text, (key, count, text)
        assert not WRONG_AFTER_ONE.search(text), (key, count, text)


def test_the_plural_rule_is_babel_s() -> None:
    texts = Catalog.load()
    assert texts.t("de", "count-groups", count=1) == "1 Gruppe"
    assert texts.t("de", "count-groups", count=0) == "0 Gruppen"
    assert texts.t("en", "count-members", count=1) == "1 member"
    assert texts.t("en", "count-members", count=2) == "2 members"
    assert texts.t("de", "count-members", count=1234) == "1.234 Mitglieder"  # a number of the language
    assert texts.t("en", "count-members", count=1234) == "1,234 members"
    assert texts.t("fr", "count-groups", count=1) == "1 Gruppe"  # unknown language: German


def test_a_counted_text_needs_its_count() -> None:
    with pytest.raises(TypeError):
        CATALOG.t("de", "count-groups")


def test_no_uncounted_german_text_puts_a_plural_noun_after_a_count() -> None:
    """A `{count}` followed by a plural noun must be a counted text (`key.one` / `key.other`)."""
    plural_after_count = re.compile(r"\{count\} (Plätze|Gruppen|Tage|Leute|Mitglieder|Schichten|Einträge)\b")
    found = [k for k, v in CATALOG.texts["de"].items() if "." not in k and plural_after_count.search(v)]
    assert not found, found

"""The text catalog: every string the bot sends, in German (default) and English.

    texts = Catalog.load()
    texts.t("de", "start-greeting", name=user_name)   # user data is HTML-escaped here, once

Texts live in `lag_bot/texts/<lang>.toml` (and, for bigger features, `<lang>.<feature>.toml`),
grouped by feature in tables; a key is
`<table>-<name>` (e.g. `[start] greeting` → `start-greeting`). Placeholders use `{name}`.
A value passed as `Html(...)` is inserted as it is: use it only for fragments that were
themselves rendered from the catalog.

A counted text has one form per CLDR plural category of its language, as a sub-table:

    [event-card]
    full.one = "👥 Ausgebucht ({count} Platz)"
    full.other = "👥 Ausgebucht ({count} Plätze)"

    texts.t("de", "event-card-full", count=1)   # Babel's plural rule for "de" picks `.one`

Its keys are `event-card-full.one` / `.other`; `count` is shown as a number of the language
(`lag_bot.formats.number`).
"""

from __future__ import annotations

import html
import string
import tomllib
from dataclasses import dataclass
from importlib import resources

from babel import Locale

from lag_bot.formats import number

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")  # CLDR's, as Babel names them


class Html(str):
    """A fragment that is already safe HTML (rendered from the catalog), inserted unescaped."""


@dataclass(frozen=True)
class Catalog:
    """All texts of all languages, flattened to `feature-name` keys."""

    texts: dict[str, dict[str, str]]

    @classmethod
    def load(cls) -> Catalog:
        """Read the TOML files shipped inside the package."""
        texts: dict[str, dict[str, str]] = {}
        folder = resources.files("lag_bot.texts")
        for lang in LANGUAGES:
            texts[lang] = {}
            names = sorted(f.name for f in folder.iterdir() if _belongs(f.name, lang))
            for name in names:
                for key, value in _flatten(tomllib.loads(folder.joinpath(name).read_text("utf-8"))).items():
                    if key in texts[lang]:
                        raise ValueError(f"text catalog: {key!r} is defined twice ({name})")
                    texts[lang][key] = value
        return cls(texts)

    def t(self, lang: str, key: str, /, **params: object) -> str:
        """Render one text in `lang` (falling back to German), escaping every parameter; a counted
        text in the plural form for `count`."""
        template, lang = self._template(lang, key, params)
        safe = {name: _escape(value) for name, value in _counted(lang, params).items()}
        return template.format(**safe)

    def phrase(self, lang: str, key: str, /, **params: object) -> str:
        """Render one plain-text phrase (a piece of a value, such as a date in words) without escaping:
        the text it becomes part of is escaped once, where it is put into a message with `t`."""
        template, lang = self._template(lang, key, params)
        return template.format(**_counted(lang, params))

    def plural_keys(self, key: str) -> list[str]:
        """The keys of a counted text's forms (`key.one`, `key.other`, …), empty for a plain text."""
        return [f"{key}.{c}" for c in PLURAL_CATEGORIES if f"{key}.{c}" in self.texts[DEFAULT_LANGUAGE]]

    def has(self, key: str) -> bool:
        """Whether the catalog knows this key."""
        return key in self.texts[DEFAULT_LANGUAGE] or f"{key}.other" in self.texts[DEFAULT_LANGUAGE]

    def _template(self, lang: str, key: str, params: dict[str, object]) -> tuple[str, str]:
        """The template of `key` in `lang` (or German, with the language it is in); for a counted
        text the form that Babel's plural rule of that language picks for `params["count"]`."""
        if lang not in self.texts:
            lang = DEFAULT_LANGUAGE
        table = self.texts[lang]
        if key not in table and f"{key}.other" in table:
            count = params.get("count")
            if not isinstance(count, int | float):
                raise TypeError(f"text catalog: {key!r} is counted and needs count=<number>")
            key = f"{key}.{Locale.parse(lang).plural_form(abs(count))}"
            if key not in table:
                key = key.rsplit(".", 1)[0] + ".other"
        if key in table:
            return table[key], lang
        return self.texts[DEFAULT_LANGUAGE][key], DEFAULT_LANGUAGE

    def placeholders(self, lang: str, key: str) -> set[str]:
        """The names of the `{placeholders}` in one text."""
        parsed = string.Formatter().parse(self.texts[lang][key])
        return {name for _, name, _, _ in parsed if name}


def normalize_language(code: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Map Telegram's `language_code` (e.g. `en-GB`) to one of our languages."""
    if code:
        base = code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


def _belongs(filename: str, lang: str) -> bool:
    """`de.toml` and the feature files `de.<feature>.toml` hold the German texts."""
    return filename == f"{lang}.toml" or (filename.startswith(f"{lang}.") and filename.endswith(".toml"))


def _counted(lang: str, params: dict[str, object]) -> dict[str, object]:
    """The parameters with `count` shown as a number of the language (1.234 in German)."""
    count = params.get("count")
    if isinstance(count, int | float) and not isinstance(count, bool):
        return {**params, "count": number(count, lang)}
    return params


def _escape(value: object) -> str:
    if isinstance(value, Html):
        return str(value)
    return html.escape(str(value), quote=False)


def _flatten(data: dict[str, object]) -> dict[str, str]:
    flat: dict[str, str] = {}
    for table, entries in data.items():
        if not isinstance(entries, dict):
            raise ValueError(f"text catalog: top-level key {table!r} must be a table")
        for name, value in entries.items():
            if isinstance(value, dict):  # a counted text: one form per plural category
                if "other" not in value or not set(value) <= set(PLURAL_CATEGORIES):
                    raise ValueError(f"text catalog: {table}.{name} needs plural forms, at least `other`")
                for category, form in value.items():
                    flat[f"{table}-{name}.{category}"] = _text(f"{table}.{name}.{category}", form)
            else:
                flat[f"{table}-{name}"] = _text(f"{table}.{name}", value)
    return flat


def _text(where: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"text catalog: {where} must be a string")
    return value.strip("\n")

"""The text catalog: every string the bot sends, in German (default) and English.

    texts = Catalog.load()
    texts.t("de", "start-greeting", name=user_name)   # user data is HTML-escaped here, once

Texts live in `lag_bot/texts/<lang>.toml` (and, for bigger features, `<lang>.<feature>.toml`),
grouped by feature in tables; a key is
`<table>-<name>` (e.g. `[start] greeting` → `start-greeting`). Placeholders use `{name}`.
A value passed as `Html(...)` is inserted as it is: use it only for fragments that were
themselves rendered from the catalog.
"""

from __future__ import annotations

import html
import string
import tomllib
from dataclasses import dataclass
from importlib import resources

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"


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
        """Render one text in `lang` (falling back to German), escaping every parameter."""
        table = self.texts.get(lang) or self.texts[DEFAULT_LANGUAGE]
        template = table.get(key) or self.texts[DEFAULT_LANGUAGE][key]
        safe = {name: _escape(value) for name, value in params.items()}
        return template.format(**safe)

    def phrase(self, lang: str, key: str, /, **params: object) -> str:
        """Render one plain-text phrase (a piece of a value, such as a date in words) without escaping:
        the text it becomes part of is escaped once, where it is put into a message with `t`."""
        table = self.texts.get(lang) or self.texts[DEFAULT_LANGUAGE]
        template = table.get(key) or self.texts[DEFAULT_LANGUAGE][key]
        return template.format(**params)

    def has(self, key: str) -> bool:
        """Whether the catalog knows this key."""
        return key in self.texts[DEFAULT_LANGUAGE]

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
            if not isinstance(value, str):
                raise ValueError(f"text catalog: {table}.{name} must be a string")
            flat[f"{table}-{name}"] = value.strip("\n")
    return flat

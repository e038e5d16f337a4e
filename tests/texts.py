"""Catalog texts as the user sees them, for tests that look texts up by key instead of wording.

    await expect(user, fragment("profile-show"))          # any message built from that text
    assert message.text == said("cancel-done")            # the whole text, when it has no parameters
    assert said("rsvp-counts", "en", yes=3) in card.text  # with parameters

`said` renders like the bot (parameters escaped), then strips the HTML tags and unescapes the
entities, as Telegram shows it. `fragment` is the longest literal piece of a text between its
placeholders, for matching a message whose parameters the test does not know. Keep a handful of
tests that pin exact German wording where the wording is the point; everything else uses keys.
"""

from __future__ import annotations

import html
import re
import string

from lag_bot.i18n import Catalog

CATALOG = Catalog.load()
_TAG = re.compile(r"<[^>]+>")


def plain(markup: str) -> str:
    """HTML as Telegram displays it: tags removed, entities unescaped."""
    return html.unescape(_TAG.sub("", markup))


def said(key: str, lang: str = "de", /, **params: object) -> str:
    """The text `key` in `lang` with `params`, as the user sees it."""
    return plain(CATALOG.t(lang, key, **params))


def _template(key: str, lang: str) -> str:
    """`key`'s text; for a counted text its `other` form (the one most counts take)."""
    table = CATALOG.texts[lang]
    return table[key] if key in table else table[f"{key}.other"]


def fragment(key: str, lang: str = "de") -> str:
    """The longest literal piece of `key`'s text between placeholders (as the user sees it)."""
    template = _template(key, lang)
    pieces = [literal for literal, _, _, _ in string.Formatter().parse(template)]
    # A tag cut by a placeholder (<a href="{url}">) leaves half a tag: strip tags per line first.
    candidates = [plain(line).strip() for piece in pieces for line in _TAG.sub("\n", piece).split("\n")]
    best = max(candidates, key=len, default="")
    if not best:
        raise ValueError(f"{key!r} has no literal text to match")
    return best


def line(key: str, lang: str = "de", /, **params: object) -> str:
    """The first line of `key`'s text whose placeholders are exactly `params`, filled in, as the user
    sees it: `line("broadcast-report", sent=5, total=6)` is "zugestellt: 5 von 6"."""
    for raw in _template(key, lang).split("\n"):
        names = {name for _, name, _, _ in string.Formatter().parse(raw) if name}
        if names == set(params):
            return plain(raw.format(**{name: html.escape(str(value)) for name, value in params.items()}))
    raise ValueError(f"{key!r} has no line with exactly the placeholders {sorted(params)}")


def opening(key: str, lang: str = "de") -> str:
    """`key`'s text up to its first placeholder, as the user sees it (for "starts with")."""
    return plain(next(string.Formatter().parse(_template(key, lang)))[0])


def reached(members: int, groups: int | None = None, lang: str = "de") -> dict[str, str]:
    """The parameters of an audience's reach ("7 Mitglieder", "1 Gruppe") for `said` and `line`."""
    params = {"members_reached": said("count-members", lang, count=members)}
    if groups is not None:
        params["groups_reached"] = said("count-groups", lang, count=groups)
    return params

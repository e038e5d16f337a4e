"""Splitting long texts and captions: every part fits and stays valid HTML."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from lag_bot.delivery.message_parts import CAPTION_LIMIT, TEXT_LIMIT, Part, build_parts, split_html
from lag_bot.emulator.html_entities import parse_html


def test_short_text_is_one_part() -> None:
    assert build_parts("Hallo <b>alle</b>") == [Part("text", "Hallo <b>alle</b>")]


def test_split_at_paragraphs() -> None:
    paragraphs = [f"Absatz {i}: " + "x" * 900 for i in range(10)]
    parts = split_html("\n\n".join(paragraphs), TEXT_LIMIT)
    assert len(parts) == 3
    assert all(len(p) <= TEXT_LIMIT for p in parts)
    assert all(p.startswith("Absatz") for p in parts)  # cuts fall between paragraphs
    assert "".join(parts).replace("\n", "") == "".join(paragraphs)


def test_tags_are_closed_and_reopened() -> None:
    body = '<b><a href="https://lag.example/x">' + ("Wort " * 2000) + "</a></b>"
    parts = split_html(body, TEXT_LIMIT)
    assert len(parts) == 3
    for part in parts:
        assert len(part) <= TEXT_LIMIT
        parsed = parse_html(part)  # raises if Telegram would reject it
        assert parsed.text.strip()
    assert parts[1].startswith('<b><a href="https://lag.example/x">')


def test_long_caption_moves_into_text() -> None:
    caption = "Bildunterschrift " * 100
    parts = build_parts(caption, media=("photo", "FILE"))
    assert parts[0] == Part("photo", "", "FILE")
    assert [p.kind for p in parts[1:]] == ["text"]
    short = build_parts("kurz", media=("document", "DOC"))
    assert short == [Part("document", "kurz", "DOC")]
    assert len(build_parts("x" * CAPTION_LIMIT, media=("photo", "F"))) == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=600), min_size=1, max_size=30))
def test_any_escaped_text_splits_into_valid_parts(paragraphs: list[str]) -> None:
    body = "\n\n".join("<i>" + html.escape(p) + "</i>" for p in paragraphs)
    parts = split_html(body, TEXT_LIMIT)
    for part in parts:
        assert len(part) <= TEXT_LIMIT
        parse_html(part)
    joined_plain = "".join(parse_html(p).text for p in parts)
    original_plain = parse_html(body).text
    assert "".join(joined_plain.split()) == "".join(original_plain.split())


def test_never_cuts_inside_an_entity_or_tag() -> None:
    body = ("&amp;" * 1500) + "<b>" + ("&lt;" * 600) + "</b>"
    for part in split_html(body, TEXT_LIMIT):
        assert len(part) <= TEXT_LIMIT
        parse_html(part)


def test_lengths_count_like_telegram() -> None:
    from lag_bot.delivery.message_parts import units

    body = "🙂 Wort " * 700  # 4,900 characters, 5,600 UTF-16 units
    parts = split_html(body, TEXT_LIMIT)
    assert len(parts) == 2 and all(units(p) <= TEXT_LIMIT for p in parts)
    caption = "🙂" * 600  # 600 characters but 1,200 units: too long for a caption
    assert [p.kind for p in build_parts(caption, media=("photo", "F"))] == ["photo", "text"]

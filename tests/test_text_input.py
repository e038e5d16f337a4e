"""The one text-cleaning module: what every package uses to fold, check and shorten typed text."""

from lag_bot.text_input import echo, excerpt, has_control, one_line


def test_one_line_folds_every_run_of_whitespace() -> None:
    assert one_line("  Kreistag \n\t vorbereiten\u00a0 ") == "Kreistag vorbereiten"
    assert one_line(" \n ") == ""


def test_control_and_format_characters_are_found_but_the_emoji_joiner_is_allowed() -> None:
    assert has_control("Erika\u0007")
    assert has_control("Erika\u200b")  # zero-width space: a format character
    assert not has_control("👩\u200d💻 Erika")


def test_excerpt_cuts_at_a_word_and_echo_keeps_a_refusal_short() -> None:
    assert excerpt("Wie geht es mit dem Radweg weiter?", 20) == "Wie geht es mit dem…"
    assert excerpt("kurz", 20) == "kurz"
    assert echo("  " + "x" * 80, 50) == "x" * 50

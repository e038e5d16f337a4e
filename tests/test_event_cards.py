"""Which group copies of an announcement may be edited now: at most one edit per message per
interval, later changes collected, lost copies never tried again."""

from __future__ import annotations

from lag_bot.events.cards import CardCopy, LiveCards


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_one_edit_per_message_per_interval_and_changes_in_between_are_collected() -> None:
    ticks = Ticks()
    cards = LiveCards(interval=5.0, monotonic=ticks)
    a, b = CardCopy(-1, 10), CardCopy(-2, 20)
    assert cards.take() == []
    cards.mark(7)
    cards.mark(7)
    assert cards.take() == [7] and cards.take() == []
    assert cards.ready(7, [a, b]) == [a, b]
    cards.edited(a)
    cards.edited(b)
    ticks.now += 1.0
    cards.mark(7)  # another answer a second later
    assert cards.take() == [7]
    assert cards.ready(7, [a, b]) == []  # both were edited just now: wait
    assert cards.pending == 1  # ... and the event stays marked
    ticks.now += 3.9
    assert cards.take() == [7] and cards.ready(7, [a, b]) == [] and cards.pending == 1
    ticks.now += 0.2  # 5.1 s after the edit
    assert cards.take() == [7] and cards.ready(7, [a, b]) == [a, b] and cards.pending == 0


def test_a_lost_copy_is_never_tried_again() -> None:
    ticks = Ticks()
    cards = LiveCards(interval=5.0, monotonic=ticks)
    a, b = CardCopy(-1, 10), CardCopy(-2, 20)
    cards.forget(a)
    assert cards.ready(3, [a, b]) == [b]
    ticks.now += 60
    assert cards.ready(3, [a, b]) == [b] and cards.pending == 0

"""The question dialogs' state as JSON: rows written before the state became a dataclass read the
same, and a state survives the round trip."""

from __future__ import annotations

from lag_bot.questions.dialogs import AskState, WriteState


def test_ask_state_reads_the_rows_as_they_were_written() -> None:
    row = {"step": "identity", "f": [7], "d": None, "t": 0, "text": "Wie …?"}
    state = AskState.from_json(row)
    assert state == AskState("identity", (7,), None, 0, "Wie …?", None)
    assert state.missing() == "identity"  # topic 0 is "no topic", a choice made
    assert AskState.from_json({"step": "to"}).missing() == "topic"
    assert AskState.from_json({"step": "to", "d": 4, "f": None}).district_id == 4
    assert AskState.from_json(state.to_json()) == state
    assert state.to_json() == {"step": "identity", "f": [7], "t": 0, "text": "Wie …?"}


def test_write_state_round_trip_and_a_broken_row() -> None:
    state = WriteState("answer", 12)
    assert state.to_json() == {"purpose": "answer", "ref": 12}
    assert WriteState.from_json(state.to_json()) == state
    assert WriteState.from_json({"purpose": "answer", "ref": "12"}) is None
    assert WriteState.from_json({"purpose": "answer"}) is None
    assert WriteState.from_json({"purpose": "answer", "ref": True}) is None

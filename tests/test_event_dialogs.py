"""The events' dialog state round-trips through the JSON stored in the dialog row, keys unchanged;
the /neuertermin actions cover the audience picker's buttons."""

from __future__ import annotations

from handlers import audience_picker as picker
from handlers.events.actions import NewAction
from lag_bot.events.dialogs import EventDialog, MessageDialog


def test_event_dialog_keeps_the_stored_keys() -> None:
    new = EventDialog("title", {"tz": "Europe/Berlin"})
    assert new.to_json() == {"step": "title", "d": {"tz": "Europe/Berlin"}}
    edit = EventDialog("menu", {"title": "Kreistag"}, edit=7, back=True)
    assert edit.to_json() == {"step": "menu", "d": {"title": "Kreistag"}, "edit": 7, "back": True}
    assert EventDialog.from_json(edit.to_json()) == edit
    assert EventDialog.from_json(new.to_json()) == new


def test_message_dialog_keeps_the_stored_keys() -> None:
    assert MessageDialog(3).to_json() == {"event": 3}
    assert MessageDialog.from_json({"event": 3}) == MessageDialog(3)


def test_the_audience_pickers_actions_are_new_event_actions() -> None:
    assert set(picker.ACTIONS) <= set(NewAction)

"""The events' dialog state round-trips through the JSON stored in the dialog row, keys unchanged;
the /neuertermin actions cover the audience picker's buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers import audience_picker as picker
from handlers.events.actions import NewAction
from lag_bot.audience import AudienceSpec
from lag_bot.events.dialogs import EventDialog, MessageDialog
from lag_bot.events.draft import EventDraft, ShiftDraft
from lag_bot.events.draft_form import DraftForm


def test_event_dialog_keeps_the_stored_keys() -> None:
    new = EventDialog("title", DraftForm(tz="Europe/Berlin"))
    assert new.to_json() == {"step": "title", "d": {"tz": "Europe/Berlin"}}
    edit = EventDialog("menu", DraftForm(title="Kreistag"), edit=7, back=True)
    assert edit.to_json() == {"step": "menu", "d": {"title": "Kreistag"}, "edit": 7, "back": True}
    assert EventDialog.from_json(edit.to_json()) == edit
    assert EventDialog.from_json(new.to_json()) == new


def test_the_draft_form_keeps_the_event_drafts_keys() -> None:
    start = datetime(2030, 5, 4, 10, tzinfo=UTC)
    shift = ShiftDraft(start, start + timedelta(hours=2), 2, None)
    draft = EventDraft(
        "Infostand", "infostand", start, start + timedelta(hours=4), place="Markt", shifts=(shift,),
        shift_alert_days=2, remind_maybe=True, audience=AudienceSpec(groups="all"),
    )
    stored = draft.to_json()
    form = DraftForm.from_draft(draft)
    assert form.to_json() == {key: value for key, value in stored.items() if value is not None}
    assert form.complete() == draft
    picking = DraftForm(view=("seg", "d", 1), remind_offsets=())
    assert picking.to_json() == {"_view": ["seg", "d", 1], "remind_offsets": []}
    assert DraftForm.from_json(picking.to_json()) == picking


def test_message_dialog_keeps_the_stored_keys() -> None:
    assert MessageDialog(3).to_json() == {"event": 3}
    assert MessageDialog.from_json({"event": 3}) == MessageDialog(3)


def test_the_audience_pickers_actions_are_new_event_actions() -> None:
    assert set(picker.Action) <= set(NewAction)

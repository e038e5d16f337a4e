"""Events as the coordinators and members live them: publish to a segment and a group, change,
cancel (all or one date), lists, attendee list and messages, and who may do what."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest

from lag_bot.audience import AudienceSpec
from lag_bot.errors import InvalidInput, NotAllowed, Stale
from lag_bot.events.attendees import attendee_rows_csv
from lag_bot.events.draft import validate
from lag_bot.events.input import (
    ShiftDraft,
    check_title,
    parse_capacity,
    parse_link,
    parse_offsets,
    parse_shift,
)
from lag_bot.repositories.personal_data import PersonalDataRepository
from lag_bot.timeparse.parse import Recurring, parse_when
from tests.event_world import BERLIN, GREIFSWALD, NOW, ROSTOCK, berlin, draft, member_actor, world
from tests.texts import plain, said


async def test_publish_announces_to_the_segment_and_the_linked_group(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn", district=ROSTOCK)
        bert = await w.member("Bert Birke", district=ROSTOCK, language="en")
        greta = await w.member("Greta Greif", district=GREIFSWALD)
        group = await w.group(-1001234, "LAG Kommunalpolitik MV", thread_id=77)
        event_id = await w.events.publishing.publish(
            w.coordinator, draft(audience=await w.segment(ROSTOCK), link="https://meet.example.org/lag")
        )
        sent = {d.chat_id: d for d in await w.sent("event")}
        assert greta.telegram_id not in sent
        assert {anna.telegram_id, bert.telegram_id, -1001234} <= set(sent)
        assert sent[-1001234].thread_id == 77
        german, english = sent[anna.telegram_id], sent[bert.telegram_id]
        assert "Donnerstag, 3. Dezember 2026, 18:00–20:00 Uhr" in german.text
        assert "Bürgerhaus Güstrow" in german.text and "https://meet.example.org/lag" in german.text
        assert "Thursday, 3 December 2026, 18:00–20:00" in english.text
        assert german.buttons == [
            (said("event-button-yes"), f"v1:ev:a:{event_id}:y"),
            (said("event-button-no"), f"v1:ev:a:{event_id}:n"),
            (said("event-button-maybe"), f"v1:ev:a:{event_id}:m"),
        ]
        assert english.buttons[0] == ("✅ Yes", f"v1:ev:a:{event_id}:y")
        assert (await w.events.records.get(event_id)).group_ids == (group,)
        # Reminder rows: a day and two hours before, in the one reminders table.
        assert await w.reminder_dues(event_id) == {
            "remind:1440": berlin(2026, 12, 2, 18),
            "remind:120": berlin(2026, 12, 3, 16),
        }
        assert (
            await w.services.db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'event.publish'") == 1
        )


async def test_bad_input_gets_its_own_refusal(tmp_path: Path) -> None:
    now = NOW
    cases = {
        "event-end-before-start": draft(ends_at=berlin(2026, 12, 3, 17)),
        "event-start-past": draft(starts_at=berlin(2026, 11, 20, 18), ends_at=berlin(2026, 11, 20, 20)),
        "event-capacity-range": draft(capacity=0),
        "event-link-invalid": draft(link="meet.example.org/lag"),
        "event-title-too-long": draft(title="x" * 121),
        "event-title-newline": draft(title="Sitzung\nund mehr"),
        "event-deadline-after-start": draft(deadline=berlin(2026, 12, 3, 19)),
        "event-place-missing": draft(place="", link=""),
        "event-shift-outside": draft(
            shifts=(ShiftDraft(berlin(2026, 12, 3, 17), berlin(2026, 12, 3, 19), 1, 2),)
        ),
        "event-shift-min-max": draft(
            shifts=(ShiftDraft(berlin(2026, 12, 3, 18), berlin(2026, 12, 3, 19), 3, 2),)
        ),
        "event-kind-unknown": draft(kind="party"),
        "event-nobody": draft(audience=AudienceSpec(members="none", groups="none")),
    }
    for key, bad in cases.items():
        with pytest.raises(InvalidInput) as refused:
            validate(bad, now)
        assert refused.value.key == key
    validate(draft(), now)  # the base draft is fine
    for text, key in (
        ("0", "event-capacity-range"),
        ("-3", "event-capacity-range"),
        ("viele", "event-capacity-invalid"),
    ):
        with pytest.raises(InvalidInput) as refused:
            parse_capacity(text)
        assert refused.value.key == key
    assert parse_capacity(" 20 ") == 20 and parse_capacity("keine") is None
    for link in ("javascript:alert(1)", "https://", "ftp://example.org/x", "https://exa mple.org"):
        with pytest.raises(InvalidInput):
            parse_link(link)
    assert parse_link(" https://meet.example.org/lag?x=1 ") == "https://meet.example.org/lag?x=1"
    assert (
        check_title("  <b>Kreistag</b>  vorbereiten ") == "<b>Kreistag</b> vorbereiten"
    )  # escaped when shown
    assert parse_offsets("1 Tag, 2 Stunden") == (1440, 120) and parse_offsets("keine") == ()
    assert parse_offsets("30 min und 1h") == (60, 30)
    shift = parse_shift("12-14 2", berlin(2027, 3, 27, 10), BERLIN)
    assert (shift.starts_at, shift.ends_at, shift.min_people, shift.max_people) == (
        berlin(2027, 3, 27, 12),
        berlin(2027, 3, 27, 14),
        2,
        None,
    )
    async with world(tmp_path) as w:  # and publish refuses the same way, writing nothing
        with pytest.raises(InvalidInput):
            await w.events.publishing.publish(w.coordinator, draft(capacity=-3))
        assert await w.services.db.fetchval("SELECT count(*) FROM events") == 0
        assert await w.services.db.fetchval("SELECT count(*) FROM deliveries") == 0


async def test_a_member_cannot_do_what_coordinators_do(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn")
        event_id = await w.events.publishing.publish(w.coordinator, draft())
        await w.events.rsvp.answer(anna, event_id, "yes")
        actor = member_actor(anna)
        for attempt in (
            w.events.publishing.publish(actor, draft()),
            w.events.admin.edit(actor, event_id, {"place": "Rathaus"}),
            w.events.admin.cancel(actor, event_id),
            w.events.admin.attendees(actor, event_id),
            w.events.admin.attendees_csv(actor, event_id, "de", BERLIN),
            w.events.admin.message_attendees(actor, event_id, "Hallo"),
        ):
            with pytest.raises(NotAllowed):
                await attempt
        event = await w.events.records.get(event_id)
        assert (event.place, event.sequence, event.status) == ("Bürgerhaus Güstrow", 0, "published")
        assert await w.services.db.fetchval("SELECT count(*) FROM events") == 1
        assert await w.services.db.fetchval("SELECT count(*) FROM deliveries WHERE kind != 'event'") == 0
        assert await w.services.db.fetchval("SELECT count(*) FROM audit_log WHERE action LIKE 'event.%'") == 1


async def test_edit_tells_those_who_answered_what_changed(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna, bert = await w.member("Anna Ahorn"), await w.member("Bert Birke", language="en")
        clara, dora = await w.member("Clara Eiche"), await w.member("Dora Linde")
        group = await w.group(-1005, "Kreistagsfraktion", thread_id=None)
        event_id = await w.events.publishing.publish(
            w.coordinator, draft(audience=AudienceSpec(members="all", groups="all"))
        )
        uid = (await w.events.records.get(event_id)).uid
        await w.events.rsvp.answer(anna, event_id, "yes")
        await w.events.rsvp.answer(bert, event_id, "maybe")
        await w.events.rsvp.answer(clara, event_id, "no")
        changed = await w.events.admin.edit(
            w.coordinator, event_id, {"starts_at": berlin(2026, 12, 4, 18), "place": "Rathaus Güstrow"}
        )
        assert changed == ["starts_at", "ends_at", "place"]
        event = await w.events.records.get(event_id)
        assert (event.uid, event.sequence) == (uid, 1)
        assert (await w.events.records.draft_of(event_id)).place == "Rathaus Güstrow"
        assert event.ends_at == berlin(2026, 12, 4, 20)  # the end moved along
        notices = {d.chat_id: d for d in await w.sent("event-change")}
        assert set(notices) == {anna.telegram_id, bert.telegram_id, clara.telegram_id, -1005}
        assert dora.telegram_id not in notices and group
        annas, berts = plain(notices[anna.telegram_id].text), plain(notices[bert.telegram_id].text)
        assert said("event-notice-changed-time", value="Freitag, 4. Dezember 2026, 18:00–20:00 Uhr") in annas
        assert said("event-notice-changed-place", value="Rathaus Güstrow") in annas
        assert said("event-notice-changed-place", "en", value="Rathaus Güstrow") in berts
        assert said("event-notice-changed-description") not in annas
        assert await w.reminder_dues(event_id) == {
            "remind:1440": berlin(2026, 12, 3, 18),
            "remind:120": berlin(2026, 12, 4, 16),
        }
        # The same values again: nothing changes, nobody hears anything.
        assert await w.events.admin.edit(w.coordinator, event_id, {"place": "Rathaus Güstrow"}) == []
        assert (await w.events.records.get(event_id)).sequence == 1
        assert len(await w.sent("event-change")) == 4
        with pytest.raises(InvalidInput):
            await w.events.admin.edit(w.coordinator, event_id, {"audience": AudienceSpec(members="none")})
        with pytest.raises(InvalidInput):
            await w.events.admin.edit(w.coordinator, event_id, {"ends_at": berlin(2026, 12, 4, 17)})
        assert (await w.events.records.get(event_id)).sequence == 1


async def test_cancel_tells_those_who_answered_and_removes_the_reminders(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna, bert = await w.member("Anna Ahorn"), await w.member("Bert Birke")
        event_id = await w.events.publishing.publish(w.coordinator, draft())
        await w.events.rsvp.answer(anna, event_id, "yes")
        await w.events.admin.cancel(w.coordinator, event_id)
        event = await w.events.records.get(event_id)
        assert event.cancelled and event.sequence == 1
        notices = await w.sent("event-cancel")
        assert [d.chat_id for d in notices] == [anna.telegram_id]
        when = "Donnerstag, 3. Dezember 2026, 18:00–20:00 Uhr"
        cancelled = said("event-notice-cancelled", title="LAG-Sitzung Dezember", when=when)
        assert cancelled in plain(notices[0].text)
        assert await w.reminder_dues(event_id) == {}
        with pytest.raises(Stale):
            await w.events.rsvp.answer(bert, event_id, "yes")
        with pytest.raises(Stale):
            await w.events.admin.cancel(w.coordinator, event_id)
        with pytest.raises(Stale):
            await w.events.admin.edit(w.coordinator, event_id, {"place": "anderswo"})
        assert await w.events.listing.upcoming_for_member(anna) == []


async def test_an_edit_racing_a_cancel_sends_no_change_notice(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn")
        event_id = await w.events.publishing.publish(w.coordinator, draft())
        await w.events.rsvp.answer(anna, event_id, "yes")
        async with w.services.db.transaction():  # the cancel holds the write lock ...
            edit = asyncio.create_task(w.events.admin.edit(w.coordinator, event_id, {"place": "Rathaus"}))
            await asyncio.sleep(0.2)  # ... while the edit starts
            await w.events.admin.cancel(w.coordinator, event_id)
        with pytest.raises(Stale):
            await edit  # it reads the event inside its transaction: cancelled
        assert await w.sent("event-change") == []
        assert (await w.events.records.get(event_id)).place != "Rathaus"


async def test_cancel_one_date_of_a_series(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn")
        when = parse_when("jeden Dienstag 19:00", now=NOW, tz=BERLIN)
        assert isinstance(when, Recurring)
        first = when.first
        event_id = await w.events.publishing.publish(
            w.coordinator,
            draft(
                title="Fraktionssitzung Kreistag",
                kind="fraktionssitzung",
                starts_at=first,
                ends_at=first + timedelta(hours=2),
                rrule=when.rrule,
            ),
        )
        await w.events.rsvp.answer(anna, event_id, "yes")
        second = first + timedelta(days=7)
        with pytest.raises(InvalidInput):  # not a date of the series
            await w.events.admin.cancel(w.coordinator, event_id, second + timedelta(hours=1))
        await w.events.admin.cancel(w.coordinator, event_id, second)
        starts = [s for s, _ in await w.events.listing.dates(event_id, 3)]
        assert starts == [first, first + timedelta(days=14), first + timedelta(days=21)]
        notice = (await w.sent("event-cancel"))[-1]
        when = "Dienstag, 1. Dezember 2026, 19:00 Uhr"
        assert notice.chat_id == anna.telegram_id
        cancelled = said("event-notice-cancelled-date", title="Fraktionssitzung Kreistag", when=when)
        assert cancelled in plain(notice.text)
        event = await w.events.records.get(event_id)
        assert event.exdates == (second,) and event.sequence == 1 and not event.cancelled
        with pytest.raises(InvalidInput):  # twice
            await w.events.admin.cancel(w.coordinator, event_id, second)
        single = await w.events.publishing.publish(w.coordinator, draft())
        with pytest.raises(InvalidInput) as refused:
            await w.events.admin.cancel(w.coordinator, single, berlin(2026, 12, 3, 18))
        assert refused.value.key == "event-not-series"


async def test_lists_show_my_audience_with_my_answer_and_drop_past_events(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn", district=ROSTOCK)
        greta = await w.member("Greta Greif", district=GREIFSWALD)
        group = await w.group(-1009, "LAG-Gruppe")
        soon = await w.events.publishing.publish(
            w.coordinator,
            draft(title="Bald", starts_at=berlin(2026, 11, 23, 18), ends_at=berlin(2026, 11, 23, 20)),
        )
        rostock = await w.events.publishing.publish(
            w.coordinator, draft(title="Rostock", audience=await w.segment(ROSTOCK))
        )
        groups_only = await w.events.publishing.publish(
            w.coordinator, draft(title="Nur Gruppen", audience=AudienceSpec(members="none", groups="all"))
        )
        await w.events.rsvp.answer(anna, rostock, "maybe")
        mine = await w.events.listing.upcoming_for_member(anna)
        assert [(u.event.id, u.answer) for u in mine] == [(soon, None), (rostock, "maybe")]
        assert [u.event.id for u in await w.events.listing.upcoming_for_member(greta)] == [soon]
        in_group = await w.events.listing.upcoming_for_group(group)
        assert [u.event.id for u in in_group] == [rostock, groups_only]
        w.at(berlin(2026, 11, 23, 19))  # "Bald" is under way: still listed
        assert next(u.event.id for u in await w.events.listing.upcoming_for_member(anna)) == soon
        w.at(berlin(2026, 11, 23, 20, 1))
        assert [u.event.id for u in await w.events.listing.upcoming_for_member(anna)] == [rostock]
        calendar = await w.events.calendar.member_calendar(anna)
        assert calendar.count(b"BEGIN:VEVENT") == 1 and b"SUMMARY:Rostock" in calendar


async def test_attendee_list_csv_and_message_to_attendees(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna, bert = await w.member("Anna Ahorn"), await w.member("=HYPERLINK(1)")
        clara = await w.member("Clara Eiche", district=GREIFSWALD)
        event_id = await w.events.publishing.publish(w.coordinator, draft(capacity=1))
        await w.events.rsvp.answer(anna, event_id, "no")
        await w.events.rsvp.answer(bert, event_id, "yes")
        await w.events.rsvp.answer(clara, event_id, "yes")
        listed = await w.events.admin.attendees(w.coordinator, event_id)
        assert [(a.name, a.district, a.answer, a.position) for a in listed] == [
            ("=HYPERLINK(1)", "Landkreis Rostock", "yes", None),
            ("Clara Eiche", "Landkreis Vorpommern-Greifswald", "waitlist", 1),
            ("Anna Ahorn", "Landkreis Rostock", "no", None),
        ]
        data = await w.events.admin.attendees_csv(w.coordinator, event_id, "de", BERLIN)
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        assert rows[0] == ["Name", "Kreis", "Antwort", "Geantwortet am", "Platz auf der Warteliste"]
        assert rows[1][0] == "'=HYPERLINK(1)" and rows[2][2:] == ["Warteliste", rows[2][3], "1"]
        assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", rows[2][3])  # as German Excel reads it
        english = attendee_rows_csv(w.events.admin.texts, "en", BERLIN, listed)  # not exported: no audit
        rows = list(csv.reader(io.StringIO(english.decode("utf-8-sig")), delimiter=";"))
        assert rows[0][:3] == ["Name", "District", "Answer"] and rows[2][2] == "Waitlist"
        admin = w.events.admin
        sent = await admin.message_attendees(w.coordinator, event_id, "Bitte <b>Ausweis</b> mitbringen")
        assert sent == 1
        messages = await w.sent("event-message")
        assert [m.chat_id for m in messages] == [bert.telegram_id]
        assert (
            "Bitte <b>Ausweis</b> mitbringen" in messages[0].text
            and "LAG-Sitzung Dezember" in messages[0].text
        )
        with pytest.raises(InvalidInput):
            await w.events.admin.message_attendees(w.coordinator, event_id, "   ")
        actions = [r[0] for r in await w.services.db.fetchall("SELECT action FROM audit_log ORDER BY id")]
        assert actions[-3:] == ["event.attendees", "event.export", "event.message"]


async def test_leaving_erases_answers_and_shift_signups(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna, bert = await w.member("Anna Ahorn"), await w.member("Bert Birke")
        stand = await w.events.publishing.publish(
            w.coordinator,
            draft(
                title="Heiße Getränke gegen soziale Kälte",
                kind="infostand",
                place="Marktplatz Güstrow",
                starts_at=berlin(2026, 12, 5, 10),
                ends_at=berlin(2026, 12, 5, 14),
                shifts=(ShiftDraft(berlin(2026, 12, 5, 10), berlin(2026, 12, 5, 12), 2, 3),),
            ),
        )
        shift = (await w.events.shifts.of_event(stand))[0]
        await w.events.rsvp.answer(anna, stand, "yes")
        await w.events.rsvp.answer(bert, stand, "yes")
        await w.events.shifts.sign_up(anna, shift.id)
        async with w.services.db.transaction():
            await PersonalDataRepository(w.services.db).erase(anna.id, anna.telegram_id)
        assert await w.services.db.fetchval("SELECT count(*) FROM rsvps WHERE member_id = ?", (anna.id,)) == 0
        assert await w.services.db.fetchval("SELECT count(*) FROM shift_signups") == 0
        assert (await w.events.rsvp.counts(stand)).yes == 1  # the others' answers stay

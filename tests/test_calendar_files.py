"""Calendar files parse with icalendar and carry the right local times (across a DST change),
a UID that survives edits, a rising SEQUENCE, EXDATEs and STATUS:CANCELLED."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr

from lag_bot.timeparse.parse import Recurring, parse_when
from tests.event_world import BERLIN, berlin, draft, world


def _vevent(data: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]
    (event,) = calendar.events
    return event


async def test_single_event_has_local_time_with_tzid_and_vtimezone(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        event_id = await w.events.publishing.publish(
            w.coordinator,
            draft(
                title="Kommunalpolitische Konferenz",
                kind="konferenz",
                place="Kulturzentrum Rostock",
                link="https://example.org/kopokon",
                starts_at=berlin(2027, 3, 27, 18),
                ends_at=berlin(2027, 3, 27, 21),
            ),
        )
        data = await w.events.calendar.ics(event_id)
        assert b"DTSTART;TZID=Europe/Berlin:20270327T180000" in data
        event = _vevent(data)
        start = event.decoded("dtstart")
        assert start.tzinfo == ZoneInfo("Europe/Berlin") and (start.hour, start.minute) == (18, 0)
        assert start.astimezone(UTC) == datetime(2027, 3, 27, 17, 0, tzinfo=UTC)
        assert event.decoded("dtend") == berlin(2027, 3, 27, 21)
        assert str(event["summary"]) == "Kommunalpolitische Konferenz"
        assert str(event["location"]) == "Kulturzentrum Rostock"
        assert str(event["url"]) == "https://example.org/kopokon"
        assert str(event["uid"]).endswith("@lag-bot") and event["sequence"] == 0
        assert str(event["status"]) == "CONFIRMED"


async def test_daily_series_keeps_18_oclock_across_the_dst_change(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        w.at(berlin(2027, 3, 25, 12))
        when = parse_when("täglich 18:00", now=w.clock(), tz=BERLIN)
        assert isinstance(when, Recurring)
        event_id = await w.events.publishing.publish(
            w.coordinator,
            draft(
                title="Telefonrunde",
                starts_at=when.first,
                ends_at=when.first + timedelta(hours=1),
                rrule=when.rrule,
            ),
        )
        await w.events.admin.cancel(w.coordinator, event_id, berlin(2027, 3, 27, 18))
        event = _vevent(await w.events.calendar.ics(event_id))
        start = event.decoded("dtstart")
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
        skipped = {d for d in event.exdates}
        dates = [d for d in rule[:6] if d not in skipped]
        assert [d.strftime("%d. %H:%M") for d in dates] == [
            "25. 18:00",
            "26. 18:00",
            "28. 18:00",
            "29. 18:00",
            "30. 18:00",
        ]
        assert [d.astimezone(UTC).hour for d in dates] == [17, 17, 16, 16, 16]
        assert event.exdates == [berlin(2027, 3, 27, 18)]


async def test_uid_stays_sequence_rises_and_cancelled_is_marked(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        event_id = await w.events.publishing.publish(w.coordinator, draft())
        before = _vevent(await w.events.calendar.ics(event_id))
        await w.events.admin.edit(w.coordinator, event_id, {"place": "Rathaus Güstrow"})
        edited = _vevent(await w.events.calendar.ics(event_id))
        assert str(edited["uid"]) == str(before["uid"])
        assert (before["sequence"], edited["sequence"]) == (0, 1)
        assert str(edited["location"]) == "Rathaus Güstrow"
        await w.events.admin.cancel(w.coordinator, event_id)
        cancelled = _vevent(await w.events.calendar.ics(event_id))
        assert str(cancelled["uid"]) == str(before["uid"]) and cancelled["sequence"] == 2
        assert str(cancelled["status"]) == "CANCELLED"

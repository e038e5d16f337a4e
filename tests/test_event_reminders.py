"""Event reminders fire through the one reminders scheduler: to those who said yes (and maybe, if
asked), to the event's groups, never to those who declined or wait; a series reminds before each
date; an understaffed shift is announced, a fully staffed one is not."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from lag_bot.audience import AudienceSpec
from lag_bot.errors import InvalidInput
from lag_bot.events.draft import ShiftDraft
from lag_bot.timeparse.parse import Recurring, parse_when
from tests.event_world import BERLIN, berlin, draft, world
from tests.texts import plain, said


async def test_reminders_go_to_yes_and_the_groups_only(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna, bert = await w.member("Anna Ahorn"), await w.member("Bert Birke", language="en")
        clara, dora = await w.member("Clara Eiche"), await w.member("Dora Linde")
        await w.group(-1007, "LAG-Gruppe", thread_id=12)
        event_id = await w.events.publishing.publish(
            w.coordinator, draft(capacity=2, audience=AudienceSpec(members="all", groups="all"))
        )
        await w.events.rsvp.answer(anna, event_id, "yes")
        await w.events.rsvp.answer(bert, event_id, "yes")
        await w.events.rsvp.answer(clara, event_id, "no")
        await w.events.rsvp.answer(dora, event_id, "yes")  # full: waitlist
        w.at(berlin(2026, 12, 2, 17, 59))
        assert (await w.services.reminders.fire_due()).sent == 0
        w.at(berlin(2026, 12, 2, 18, 0))
        assert (await w.services.reminders.fire_due()).sent == 1
        fired = await w.sent("reminder")
        assert {(d.chat_id, d.thread_id) for d in fired} == {
            (anna.telegram_id, None),
            (bert.telegram_id, None),
            (-1007, 12),
        }
        german = next(d for d in fired if d.chat_id == anna.telegram_id)
        assert german.text == (
            "⏰ Erinnerung: <b>LAG-Sitzung Dezember</b> – Donnerstag, 3. Dezember 2026, 18:00–20:00 Uhr, "
            "Bürgerhaus Güstrow"
        )
        assert next(d for d in fired if d.chat_id == bert.telegram_id).text.startswith("⏰ Reminder:")
        assert await w.reminder_dues(event_id) == {"remind:120": berlin(2026, 12, 3, 16)}


async def test_maybe_is_reminded_when_the_event_asks_for_it(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna, bert = await w.member("Anna Ahorn"), await w.member("Bert Birke")
        event_id = await w.events.publishing.publish(
            w.coordinator, draft(remind_maybe=True, remind_offsets=(120,))
        )
        await w.events.rsvp.answer(anna, event_id, "maybe")
        await w.events.rsvp.answer(bert, event_id, "no")
        w.at(berlin(2026, 12, 3, 16))
        await w.services.reminders.fire_due()
        assert [d.chat_id for d in await w.sent("reminder")] == [anna.telegram_id]


async def test_a_cancelled_event_reminds_nobody(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn")
        event_id = await w.events.publishing.publish(w.coordinator, draft())
        await w.events.rsvp.answer(anna, event_id, "yes")
        await w.events.admin.cancel(w.coordinator, event_id)
        w.at(berlin(2026, 12, 3, 17))
        await w.services.reminders.fire_due()
        assert await w.sent("reminder") == []
        assert await w.services.reminders.next_due() is None


async def test_a_series_reminds_before_each_date_across_the_dst_change(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn")
        w.at(berlin(2027, 3, 25, 12))
        when = parse_when("täglich 18:00", now=w.clock(), tz=BERLIN)
        assert isinstance(when, Recurring)
        event_id = await w.events.publishing.publish(
            w.coordinator,
            draft(
                title="Wahlkampf-Telefonrunde",
                starts_at=when.first,
                ends_at=when.first + timedelta(hours=1),
                rrule=when.rrule,
                remind_offsets=(120,),
            ),
        )
        await w.events.rsvp.answer(anna, event_id, "yes")
        await w.events.admin.cancel(w.coordinator, event_id, berlin(2027, 3, 27, 18))
        fired = []
        for _ in range(3):
            due = await w.services.reminders.next_due()
            assert due is not None
            w.at(due)
            assert (await w.services.reminders.fire_due()).sent == 1
            fired.append(due.astimezone(BERLIN).strftime("%d. %H:%M %Z"))
        # 16:00 local before each 18:00, on both sides of 28 March; the cancelled 27th is skipped.
        assert fired == ["25. 16:00 CET", "26. 16:00 CET", "28. 16:00 CEST"]
        texts = [d.text for d in await w.sent("reminder")]
        assert "Sonntag, 28. März 2027, 18:00–19:00 Uhr" in texts[-1]


async def test_understaffed_shifts_are_announced_and_full_ones_are_not(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        people = [await w.member(name) for name in ("Anna Ahorn", "Bert Birke", "Clara Eiche", "Dora Linde")]
        day = (2026, 12, 5)
        shifts = (
            ShiftDraft(berlin(*day, 10), berlin(*day, 12), 2, 3),
            ShiftDraft(berlin(*day, 12), berlin(*day, 14), 2, 2),
        )
        stand = await w.events.publishing.publish(
            w.coordinator,
            draft(
                title="Heiße Getränke gegen soziale Kälte",
                kind="infostand",
                place="Marktplatz Güstrow",
                starts_at=berlin(*day, 10),
                ends_at=berlin(*day, 14),
                shifts=shifts,
                shift_alert_days=2,
                remind_offsets=(),
            ),
        )
        staffed = await w.events.publishing.publish(
            w.coordinator,
            draft(
                title="Infostand Weihnachtsmarkt",
                kind="infostand",
                place="Markt Bützow",
                starts_at=berlin(*day, 10),
                ends_at=berlin(*day, 12),
                shifts=shifts[:1],
                shift_alert_days=2,
                remind_offsets=(),
            ),
        )
        first, _ = await w.events.shifts.of_event(stand)
        other = (await w.events.shifts.of_event(staffed))[0]
        for person in people[:2]:
            await w.events.shifts.sign_up(person, first.id)
            await w.events.shifts.sign_up(person, other.id)
        assert (await w.events.shifts.sign_up(people[0], first.id)).signed == 2  # twice: no change
        w.at(berlin(2026, 12, 3, 10))
        assert (await w.services.reminders.fire_due()).sent == 2
        alerts = await w.sent("reminder")
        everyone = {p.telegram_id for p in people} | {w.coordinator.telegram_id}
        assert {d.chat_id for d in alerts} == everyone
        text = alerts[0].text
        assert "Heiße Getränke gegen soziale Kälte" in text
        assert said("event-notice-shift-missing", shift="Samstag 12–14 Uhr", count=2) in plain(text)
        assert "10–12" not in text
        assert not any("Weihnachtsmarkt" in d.text for d in alerts)


async def test_a_shift_takes_no_more_than_its_maximum(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        people = [await w.member(f"Helfer {n}") for n in range(5)]
        stand = await w.events.publishing.publish(
            w.coordinator,
            draft(
                kind="infostand",
                starts_at=berlin(2026, 12, 5, 10),
                ends_at=berlin(2026, 12, 5, 12),
                shifts=(ShiftDraft(berlin(2026, 12, 5, 10), berlin(2026, 12, 5, 12), 1, 2),),
            ),
        )
        shift = (await w.events.shifts.of_event(stand))[0]
        results = await asyncio.gather(
            *(w.events.shifts.sign_up(p, shift.id) for p in people), return_exceptions=True
        )
        refused = [r for r in results if isinstance(r, InvalidInput)]
        assert len(refused) == 3 and all(r.key == "event-shift-full" for r in refused)
        assert (await w.events.shifts.of_event(stand))[0].signed == 2
        leaver = people[next(i for i, r in enumerate(results) if not isinstance(r, BaseException))]
        assert (await w.events.shifts.leave(leaver, shift.id)).signed == 1
        w.at(berlin(2026, 12, 5, 10))
        with pytest.raises(Exception) as closed:
            await w.events.shifts.sign_up(people[4], shift.id)
        assert getattr(closed.value, "key", "") == "event-shift-closed"

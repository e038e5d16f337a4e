"""Answering an event: counts, capacity and waitlist, moving up, the last seat pressed twice at once,
and every refusal leaving the data as it was."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from lag_bot.audience import AudienceSpec
from lag_bot.errors import InvalidInput, NotAllowed, NotFound, Stale
from lag_bot.events.models import RsvpCounts
from lag_bot.events.render import render_announcement
from lag_bot.events.rsvp import answer_for
from lag_bot.models import Status
from tests.event_world import GREIFSWALD, ROSTOCK, berlin, draft, world
from tests.texts import CATALOG, fragment, plain, said


async def test_answers_are_counted_and_the_same_answer_twice_changes_nothing(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna, bert, clara = (
            await w.member("Anna Ahorn"),
            await w.member("Bert Birke"),
            await w.member("Clara Eiche"),
        )
        event_id = await w.events.publishing.publish(w.coordinator, draft())
        await w.events.rsvp.answer(anna, event_id, "yes")
        await w.events.rsvp.answer(bert, event_id, "maybe")
        await w.events.rsvp.answer(clara, event_id, "no")
        first = await w.events.rsvp.answer(clara, event_id, "yes")  # changes her mind
        assert first.changed and first.answer_stored == "yes"
        again = await w.events.rsvp.answer(clara, event_id, "yes")
        assert not again.changed and again.answer_stored == "yes"
        assert await w.events.rsvp.counts(event_id) == RsvpCounts(yes=2, maybe=1, no=0, waitlist=0)
        stamp = await w.services.db.fetchval(
            "SELECT answered_at FROM rsvps WHERE member_id = ? AND event_id = ?", (clara.id, event_id)
        )
        w.later(minutes=5)
        await w.events.rsvp.answer(clara, event_id, "yes")
        assert (
            await w.services.db.fetchval(
                "SELECT answered_at FROM rsvps WHERE member_id = ? AND event_id = ?", (clara.id, event_id)
            )
            == stamp
        )
        # The card a member sees shows the counts and their own answer.
        event = await w.events.records.get(event_id)
        counts = await w.events.rsvp.counts(event_id)
        card = render_announcement(w.services.texts, "de", event, counts, "maybe")
        assert CATALOG.t("de", "event-card-counts", yes=2, maybe=1, no=0) in card
        assert CATALOG.t("de", "event-card-mine", answer=said("event-answer-maybe")) in card  # with its <b>


async def test_full_event_puts_a_yes_on_the_waitlist_and_a_freed_seat_moves_the_first_up(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        anna, bert = await w.member("Anna Ahorn"), await w.member("Bert Birke", language="en")
        clara, dora = await w.member("Clara Eiche"), await w.member("Dora Linde")
        event_id = await w.events.publishing.publish(w.coordinator, draft(capacity=2))
        assert (await w.events.rsvp.answer(anna, event_id, "yes")).answer_stored == "yes"
        assert (await w.events.rsvp.answer(clara, event_id, "yes")).answer_stored == "yes"
        second = await w.events.rsvp.answer(bert, event_id, "yes")
        third = await w.events.rsvp.answer(dora, event_id, "yes")
        assert (second.answer_stored, second.waitlist_position) == ("waitlist", 1)
        assert (third.answer_stored, third.waitlist_position) == ("waitlist", 2)
        again = await w.events.rsvp.answer(dora, event_id, "yes")
        assert not again.changed  # pressing again keeps her place
        before = await w.sent("event-promoted")
        freed = await w.events.rsvp.answer(anna, event_id, "no")
        assert freed.promoted_member_id == bert.id
        assert freed.counts == RsvpCounts(yes=2, maybe=0, no=1, waitlist=1)
        assert await w.events.rsvp.answer_of(bert.id, event_id) == ("yes", None)
        assert await w.events.rsvp.answer_of(dora.id, event_id) == ("waitlist", 1)
        notices = await w.sent("event-promoted")
        assert len(notices) == len(before) + 1
        assert notices[-1].chat_id == bert.telegram_id
        assert fragment("event-notice-promoted", "en") in plain(notices[-1].text)
        assert "LAG-Sitzung Dezember" in notices[-1].text
        # Someone leaving the waitlist moves nobody up and tells nobody.
        await w.events.rsvp.answer(dora, event_id, "maybe")
        assert len(await w.sent("event-promoted")) == len(notices)


async def test_two_presses_for_the_last_seat_at_once_give_it_to_exactly_one(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        people = [await w.member(f"Person {n}") for n in range(12)]
        event_id = await w.events.publishing.publish(w.coordinator, draft(capacity=5))
        for person in people[:4]:
            await w.events.rsvp.answer(person, event_id, "yes")
        results = await asyncio.gather(*(w.events.rsvp.answer(p, event_id, "yes") for p in people[4:]))
        assert sorted(r.answer_stored for r in results) == ["waitlist"] * 7 + ["yes"]
        assert sorted(r.waitlist_position for r in results if r.waitlist_position) == list(range(1, 8))
        assert await w.events.rsvp.counts(event_id) == RsvpCounts(yes=5, waitlist=7)


async def test_after_the_deadline_answers_are_refused_and_nothing_changes(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna, bert = await w.member("Anna Ahorn"), await w.member("Bert Birke")
        event_id = await w.events.publishing.publish(
            w.coordinator, draft(deadline=berlin(2026, 11, 30, 23, 59))
        )
        await w.events.rsvp.answer(anna, event_id, "yes")
        w.at(berlin(2026, 12, 1, 0, 0))
        for person, answer in ((anna, "no"), (bert, "yes")):
            with pytest.raises(Stale) as refused:
                await w.events.rsvp.answer(person, event_id, answer)
            assert refused.value.key == "event-closed"
        assert await w.events.rsvp.counts(event_id) == RsvpCounts(yes=1)


async def test_cancelled_and_past_events_refuse_answers(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn")
        cancelled = await w.events.publishing.publish(w.coordinator, draft(title="Fällt aus"))
        past = await w.events.publishing.publish(
            w.coordinator,
            draft(title="Vorbei", starts_at=berlin(2026, 11, 22, 10), ends_at=berlin(2026, 11, 22, 12)),
        )
        await w.events.admin.cancel(w.coordinator, cancelled)
        w.at(berlin(2026, 11, 22, 10, 30))  # the second one has started
        with pytest.raises(Stale) as refused:
            await w.events.rsvp.answer(anna, cancelled, "yes")
        assert refused.value.key == "event-cancelled"
        with pytest.raises(Stale) as refused:
            await w.events.rsvp.answer(anna, past, "yes")
        assert refused.value.key == "event-past"
        assert await w.services.db.fetchval("SELECT count(*) FROM rsvps") == 0


async def test_forged_answers_unknown_events_and_strangers_are_refused(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn", district=ROSTOCK)
        greta = await w.member("Greta Greif", district=GREIFSWALD)
        only_rostock = await w.events.publishing.publish(
            w.coordinator,
            draft(audience=AudienceSpec(members="segment", segment=(await w.segment(ROSTOCK)).segment)),
        )
        with pytest.raises(InvalidInput) as refused:
            await w.events.rsvp.answer(anna, only_rostock, "waitlist")  # not an answer one can give
        assert refused.value.key == "event-bad-answer"
        with pytest.raises(InvalidInput):
            answer_for("x")  # a forged button code
        assert answer_for("m") == "maybe"
        with pytest.raises(NotFound):
            await w.events.rsvp.answer(anna, 999, "yes")
        with pytest.raises(NotAllowed) as refused:  # a forged button for an event she was not invited to
            await w.events.rsvp.answer(greta, only_rostock, "yes")
        assert refused.value.key == "event-not-invited"
        async with w.services.db.transaction():
            await w.services.members.set_status(anna.id, Status.SUSPENDED, "2026-11-21T09:00:00+00:00")
        suspended = await w.services.members.get(anna.id)
        assert suspended is not None
        with pytest.raises(NotAllowed):
            await w.events.rsvp.answer(suspended, only_rostock, "yes")
        assert await w.services.db.fetchval("SELECT count(*) FROM rsvps") == 0
        # Anna (active) may answer: she is in the segment.
        assert (await w.events.rsvp.answer(anna, only_rostock, "yes")).answer_stored == "yes"


async def test_raising_the_capacity_moves_waiting_people_up(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna, bert, clara = (
            await w.member("Anna Ahorn"),
            await w.member("Bert Birke"),
            await w.member("Clara Eiche"),
        )
        event_id = await w.events.publishing.publish(w.coordinator, draft(capacity=1))
        for person in (anna, bert, clara):
            await w.events.rsvp.answer(person, event_id, "yes")
        assert await w.events.admin.edit(w.coordinator, event_id, {"capacity": 2}) == ["capacity"]
        assert await w.events.rsvp.counts(event_id) == RsvpCounts(yes=2, waitlist=1)
        assert [d.chat_id for d in await w.sent("event-promoted")] == [bert.telegram_id]


async def test_a_groups_event_takes_answers_only_from_presses_in_its_groups(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        faction = await w.group(-88001, "Kreistagsfraktion")
        other = await w.group(-88002, "Ortsgruppe")
        anna = await w.member("Anna Ahorn")
        only_group = AudienceSpec(members="none", groups="picked", group_ids=frozenset({faction}))
        event_id = await w.events.publishing.publish(w.coordinator, draft(audience=only_group))
        for where in (None, other):  # a forged press in private or in another group
            with pytest.raises(NotAllowed):
                await w.events.rsvp.answer(anna, event_id, "yes", in_group=where)
        with pytest.raises(NotFound):  # nor can she see it in private before answering
            await w.events.listing.visible_to(anna, event_id)
        assert (await w.events.rsvp.answer(anna, event_id, "yes", in_group=faction)).answer_stored == "yes"
        assert (await w.events.listing.visible_to(anna, event_id)).id == event_id

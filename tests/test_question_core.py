"""The relay's core without Telegram: routing (suggestions, districts, recipients), the pure rules,
and the archive's full-text search (FTS5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lag_bot.clock import iso
from lag_bot.errors import InvalidInput, NotAllowed, NotFound
from lag_bot.models import Level, Member
from lag_bot.questions.acting import Responder
from lag_bot.questions.archive import all_of, any_of, overlap, stem, terms
from lag_bot.questions.models import Draft, Target
from lag_bot.questions.rules import clean_reason, clean_text, median, status_of
from lag_bot.repositories.chats import ChatRepository
from tests.event_world import NOW, ROSTOCK, World, world


async def _faction(
    w: World,
    body_name: str,
    group: int | None = None,
    contacts: tuple[tuple[Member, int | None], ...] = (),
    thread: int | None = None,
) -> int:
    """The faction in a body, linked to a group (chat id; in a forum, a topic) and with contact people
    (member, topic)."""
    svc = w.services
    body = next(b for b in await svc.territory.bodies() if b.name == body_name)
    chats = ChatRepository(svc.db)
    async with svc.db.transaction():
        faction_id = await svc.territory.faction_for_body(body.id, body.name)
        if group is not None:
            await chats.joined(group, body_name, "supergroup", thread is not None, iso(NOW))
            await chats.link(group, "faction", body.territory_id, faction_id, None, iso(NOW), thread)
        for member, topic in contacts:
            await svc.questions.lookup.factions.add_contact(faction_id, member.id, topic)
    return faction_id


async def _mandate(w: World, member: Member, body_name: str) -> None:
    body = next(b for b in await w.services.territory.bodies() if b.name == body_name)
    async with w.services.db.transaction():
        await w.services.members.add_mandate(member.id, body.id, "mitglied", ())


async def _topic(w: World, code: str) -> int:
    return next(t.id for t in await w.services.territory.topics() if t.code == code)


async def test_suggestions_levels_and_local_factions(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        anna = await w.member("Anna Ahorn")
        kt = await _faction(w, "Kreistag Rostock", group=-100)
        lt = await _faction(w, "Landtag Mecklenburg-Vorpommern", group=-101)
        teterow = await _faction(w, "Stadtvertretung Teterow", group=-102)
        await _faction(w, "Stadtvertretung Bützow")  # no group, no contact: not reachable
        await _faction(w, "Stadtvertretung Parchim", group=-103)  # another district
        routing = w.services.questions.routing
        assert [f.id for f in await routing.suggestions(anna)] == [kt, lt]
        assert [d.name for d in await routing.districts_for(Level.GEMEINDE)] == [
            "Landkreis Ludwigslust-Parchim",
            ROSTOCK,
        ]
        assert [f.id for f in await routing.local_factions(w.districts[ROSTOCK])] == [teterow]
        assert [f.id for f in await routing.factions_at(Level.LAND, None)] == [lt]
        with pytest.raises(NotFound):
            await routing.resolve(Draft(faction_ids=(999,)))
        unreachable = await _faction(w, "Stadtvertretung Bad Doberan")
        with pytest.raises(InvalidInput) as refused:
            await routing.resolve(Draft(faction_ids=(unreachable,)))
        assert refused.value.key == "question-faction-unreachable"
        greifswald = w.districts["Landkreis Vorpommern-Greifswald"]
        with pytest.raises(InvalidInput) as refused:
            await routing.resolve(Draft(scope_district_id=greifswald))
        assert refused.value.key == "question-no-local-factions"


async def test_recipients_group_and_contacts_by_topic(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        bildung, wohnen = await _topic(w, "bildung"), await _topic(w, "wohnen")
        bea, carl, dora = [await w.member(n) for n in ("Bea Buche", "Carl Clever", "Dora Dorn")]
        routing = w.services.questions.routing
        with_group = await routing.factions.get(
            await _faction(
                w, "Kreistag Rostock", group=-200, contacts=((bea, bildung), (carl, None)), thread=77
            )
        )
        assert with_group is not None
        groups, people = await routing.recipients(with_group, bildung)
        assert [g.chat_id for g in groups] == [-200] and [p.member_id for p in people] == [bea.id]
        assert groups[0].thread_id == 77  # the forum topic the group was linked in
        groups, people = await routing.recipients(with_group, wohnen)
        assert [g.chat_id for g in groups] == [-200] and people == []

        without = await routing.factions.get(
            await _faction(
                w, "Stadtvertretung Teterow", contacts=((bea, bildung), (carl, None), (dora, wohnen))
            )
        )
        assert without is not None
        _, people = await routing.recipients(without, bildung)
        assert [p.member_id for p in people] == [bea.id]
        _, people = await routing.recipients(without, await _topic(w, "kultur"))
        assert [p.member_id for p in people] == [carl.id]  # the contact for every topic
        _, people = await routing.recipients(without, bildung, skip_member=bea.id)
        assert [p.member_id for p in people] == [carl.id]  # the asker never gets their own question


async def test_only_the_faction_may_answer_and_the_archive_follows_consent(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        questions = w.services.questions
        tilo = await w.member("Tilo Teich")
        kora = await w.member("Kora Kreis")
        lena = await w.member("Lena Land")
        await _mandate(w, kora, "Kreistag Rostock")
        await _mandate(w, lena, "Landtag Mecklenburg-Vorpommern")
        kt = await _faction(w, "Kreistag Rostock", group=-300)
        await _faction(w, "Landtag Mecklenburg-Vorpommern", group=-301)
        question = await questions.asking.ask(
            tilo,
            Draft(faction_ids=(kt,), body="Wie läuft die kommunale Wärmeplanung im Kreis?", identity="named"),
        )
        (target,) = await questions.lookup.targets(question.id)
        with pytest.raises(NotAllowed):
            await questions.replies.answer(Responder(lena), target.id, "Gut.")
        with pytest.raises(NotAllowed):
            await questions.replies.answer(Responder(lena, group_chat_id=-301), target.id, "Gut.")
        with pytest.raises(NotAllowed):  # a mandate typed into the profile alone proves nothing
            await questions.replies.answer(Responder(kora), target.id, "Gut.")
        kora_in_group = Responder(kora, group_chat_id=-300)
        answer = "Die Ausschreibung für Wärmenetze läuft seit Mai."
        await questions.replies.answer(kora_in_group, target.id, answer)
        assert await questions.archive.similar("Wärmeplanung der Kommunen") == []  # not archived yet

        await questions.asking.asker_archive(tilo, question.id, True)
        assert await questions.archive.similar("Wärmeplanung der Kommunen") == []  # the faction did not agree
        assert await questions.replies.faction_archive(kora_in_group, target.id, True)
        hits = await questions.archive.similar("Wie weit ist die Warmeplanung in euren Kommunen?")
        assert [h.question_id for h in hits] == [question.id]
        assert "Kreistag Rostock: Die Ausschreibung" in hits[0].answers
        assert [h.question_id for h in await questions.archive.search("Wärmenetze Ausschreibung")] == [
            question.id
        ]
        assert await questions.archive.search("Wärmenetze Schulbus") == []
        with pytest.raises(InvalidInput):
            await questions.archive.search("und die der")

        await questions.asking.asker_archive(tilo, question.id, False)
        assert await questions.archive.search("Wärmenetze") == []
        assert (await questions.lookup.get(question.id)).archived_at is None


def test_words_stems_and_queries() -> None:
    assert stem("kommunen") == "kommun" and stem("haushalte") == "haushalt" and stem("kita") == "kita"
    assert terms("Wie finanziert ihr die Schulsozialarbeit? Und die Schulsozialarbeit 2026?") == [
        "schulsozialarbeit",
        "finanziert",
    ]
    assert terms("und der die das") == []
    assert any_of(["warme", "kita"]) == '"warme"* OR "kita"*'
    assert all_of(["warme", "kita"]) == '"warme"* AND "kita"*'
    assert overlap(["wärmeplan", "kita"], "Die Warmeplanung ist fertig") == 1
    assert terms('Ein "Zitat" mit * und (Klammern) OR NOT') == ["klammer", "zitat", "not"]


def test_texts_status_and_median() -> None:
    assert clean_text("  Frage \r\n\r\n\r\n zwei  ", 100, "question") == "Frage\n\n zwei"
    with pytest.raises(InvalidInput) as empty:
        clean_text(" \n ", 100, "question")
    assert empty.value.key == "question-empty"
    with pytest.raises(InvalidInput) as long:
        clean_text("x" * 101, 100, "question")
    assert long.value.key == "question-too-long" and long.value.params == {"max": 100, "length": 101}
    assert clean_reason("  zu   spät  ") == "zu spät"
    with pytest.raises(InvalidInput):
        clean_reason("nö")
    now = datetime(2026, 11, 21, tzinfo=UTC)

    def target(days: int, claimed: int | None = None, state: str = "active") -> Target:
        return Target(
            1, 1, 1, state, iso(now + timedelta(days=days)), claimed, None, None, None, None, None, iso(now)
        )

    assert status_of("open", [target(3)], False, now) == "open"
    assert status_of("open", [target(3, claimed=7)], False, now) == "claimed"
    assert status_of("claimed", [target(-1, claimed=7)], False, now) == "overdue"
    assert status_of("overdue", [target(-1, state="forwarded"), target(14)], False, now) == "open"
    assert status_of("overdue", [target(-1)], True, now) == "answered"
    assert status_of("closed", [target(-1)], False, now) == "closed"
    assert median([]) is None and median([3.0, 1.0, 2.0]) == 2.0 and median([1.0, 2.0, 3.0, 4.0]) == 2.5


async def test_finished_questions_outside_the_archive_go_after_a_year(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        questions = w.services.questions
        tilo, kora = await w.member("Tilo Teich"), await w.member("Kora Kreis")
        await _mandate(w, kora, "Kreistag Rostock")
        kt = await _faction(w, "Kreistag Rostock", group=-400)
        asked = [
            await questions.asking.ask(
                tilo, Draft(faction_ids=(kt,), body=f"Frage Nummer {n} zur Kreisumlage?")
            )
            for n in range(3)
        ]
        for question in asked[:2]:
            (target,) = await questions.lookup.targets(question.id)
            in_group = Responder(kora, group_chat_id=-400)
            await questions.replies.answer(in_group, target.id, "Die Kreisumlage sinkt.")
        (archived_target,) = await questions.lookup.targets(asked[1].id)
        await questions.asking.asker_archive(tilo, asked[1].id, True)
        await questions.replies.faction_archive(Responder(kora, group_chat_id=-400), archived_target.id, True)

        w.later(days=300)
        assert (await w.services.retention.run())["finished-questions"] == 0
        w.later(days=70)
        assert (await w.services.retention.run())["finished-questions"] == 1
        assert await questions.lookup.repo.get(asked[0].id) is None  # answered, not archived: gone
        assert await questions.lookup.repo.get(asked[1].id) is not None  # in the archive: kept
        assert await questions.lookup.repo.get(asked[2].id) is not None  # still owed an answer: kept

"""Many people at the same moment, with Telegram some tens of milliseconds away: the bot handles
their updates side by side (each test checks that it did), and still decides each thing exactly
once: the last seats, the waitlist, an approval, a double press, an invite's last use. One
person's dialog steps keep their order, a press answered too late is no error, and SQLite never
says "database is locked"."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest

from lag_bot.audience import AudienceSpec
from lag_bot.broadcasts.model import Draft
from lag_bot.emulator import FakeTelegram, SimMessage, SimUser
from lag_bot.events.models import RsvpCounts
from lag_bot.models import Role
from tests.concurrency import InFlight, assert_never_locked, joined
from tests.event_story import MAYBE, NO, YES, answer_of, card, counts, publish, shows
from tests.harness import RunningBot
from tests.story import TIMEOUT, choose, expect, join
from tests.texts import fragment, opening, said

pytestmark = pytest.mark.usefixtures("running_clock")
APOLOGY = said("error-apology")
SEAT_FREE = fragment("event-notice-promoted")
SAVED_YES = said("event-ui-saved", answer=said("event-answer-yes"))
WAITLIST_PLACE = re.compile(re.escape(said("event-ui-waitlist", position="PLACE")).replace("PLACE", r"(\d+)"))
APPROVAL_CARD = fragment("approval-card")


@pytest.fixture(autouse=True)
def never_locked(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Whatever a story does at once, SQLite never refuses with "database is locked"."""
    yield
    assert_never_locked(caplog)


def apologies(people: list[SimUser]) -> list[str]:
    """Every apology the bot sent to these people."""
    return [m.text for p in people for m in p.messages if APOLOGY in m.text]


async def toasts(people: list[SimUser], queries: list[str]) -> list[str]:
    """The pop-up each person got for their press."""
    return [
        str((await p.callback_answer(q, timeout=TIMEOUT))["text"])
        for p, q in zip(people, queries, strict=True)
    ]


def says(answer: str) -> str:
    """The reader's own answer on an event card."""
    return said("event-card-mine", answer=answer)


def on_waitlist(place: int | None) -> str:
    """The answer label of a place on the waitlist."""
    return said("event-answer-waitlist-at", position=place)


async def test_fifteen_presses_for_five_seats_give_exactly_five(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    people = await joined(bot, fake, [f"Person {n}" for n in range(1, 16)], first_id=7101)
    event_id = await publish(bot, admin, capacity=5)
    cards = [await card(p) for p in people]
    fake.set_latency(40, jitter_ms=40)
    async with InFlight(bot) as seen:
        queries = await asyncio.gather(*(p.press(c, YES) for p, c in zip(people, cards, strict=True)))
        told = await toasts(people, queries)
    assert seen.conversations > 1  # the presses were handled side by side
    assert told.count(SAVED_YES) == 5
    places = sorted(int(m.group(1)) for t in told if (m := WAITLIST_PLACE.search(t)))
    assert places == list(range(1, 11))  # ten on the waitlist, each with a place of their own
    assert await counts(bot, event_id) == RsvpCounts(yes=5, waitlist=10)
    # Every card ends up showing what was stored for its reader.
    for person, message in zip(people, cards, strict=True):
        answer, place = await answer_of(bot, person, event_id)
        shown = says(said("event-answer-yes")) if answer == "yes" else says(on_waitlist(place))
        await shows(person, message, lambda m, shown=shown: shown in m.text)
    assert not apologies(people)


async def test_freed_seats_go_to_the_waitlist_in_order_while_new_answers_come_in(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    holders = await joined(bot, fake, ["Sitz A", "Sitz B", "Sitz C"], first_id=7201)
    waiting = await joined(bot, fake, ["Warte 1", "Warte 2", "Warte 3"], first_id=7211)
    newcomers = await joined(bot, fake, [f"Neu {n}" for n in range(1, 5)], first_id=7221)
    event_id = await publish(bot, admin, capacity=3)
    cards = {p.id: await card(p) for p in holders + waiting + newcomers}
    for person in holders + waiting:  # one after the other: seats first, then the waitlist 1, 2, 3
        query = await person.press(cards[person.id], YES)
        await person.callback_answer(query)
    assert await counts(bot, event_id) == RsvpCounts(yes=3, waitlist=3)

    fake.set_latency(40, jitter_ms=40)
    # At the same moment: two seat holders cancel, the first on the waitlist is only "maybe" now,
    # and four newcomers say yes.
    moves = [(holders[0], NO), (holders[1], NO), (waiting[0], MAYBE)] + [(p, YES) for p in newcomers]
    async with InFlight(bot) as seen:
        queries = await asyncio.gather(*(p.press(cards[p.id], label) for p, label in moves))
        await toasts([p for p, _ in moves], queries)
    assert seen.conversations > 1

    # The freed seats went to the 2nd and 3rd waiting, never to a newcomer, who queue behind them.
    assert await counts(bot, event_id) == RsvpCounts(yes=3, maybe=1, no=2, waitlist=4)
    for person in (holders[2], waiting[1], waiting[2]):
        assert (await answer_of(bot, person, event_id))[0] == "yes"
    assert sorted([(await answer_of(bot, p, event_id))[1] for p in newcomers]) == [1, 2, 3, 4]  # type: ignore[type-var]
    for person in (waiting[1], waiting[2]):
        await person.wait_for(lambda m: SEAT_FREE in m.text, timeout=TIMEOUT)
    await asyncio.sleep(0.3)
    told = [p.first_name for p in holders + waiting + newcomers for m in p.messages if SEAT_FREE in m.text]
    # Each of them told once; the first on the waitlist too if a seat reached her before her
    # "maybe" did (the order of presses at the same moment is open). No one else is told.
    assert {"Warte 2", "Warte 3"} <= set(told) <= {"Warte 1", "Warte 2", "Warte 3"}
    assert len(told) == len(set(told))


async def coordinators(bot: RunningBot, fake: FakeTelegram, admin: SimUser) -> list[SimUser]:
    """Two coordinators and the admin, each with a chat with the bot."""
    team = await joined(
        bot, fake, ["Koordination Nord", "Koordination Süd"], first_id=7301, role=Role.COORDINATOR
    )
    await admin.send("/hilfe")  # the admin has a chat with the bot, so cards reach them too
    await expect(admin, fragment("help-member"))
    return [*team, admin]


def approval_cards(team: list[SimUser], name: str) -> list[SimMessage]:
    """The approval card about `name` in each coordinator's chat, as it looks now."""
    found = []
    for person in team:
        [message] = [m for m in person.messages if APPROVAL_CARD in m.text and name in m.text]
        found.append(message)
    return found


async def all_closed(team: list[SimUser], name: str) -> list[SimMessage]:
    """Wait until every coordinator's card about `name` has lost its buttons."""
    cards = []
    for person in team:
        message = await person.wait_for(
            lambda m: APPROVAL_CARD in m.text and name in m.text, timeout=TIMEOUT
        )
        cards.append(await shows(person, message, lambda m: not m.buttons))
    return cards


async def test_two_coordinators_deciding_at_once_decide_once(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    team = await coordinators(bot, fake, admin)
    newcomer = fake.user(7311, "Neue Person")
    await join(newcomer, name="Neue Person", mandate=None, topics=())
    for person in team:
        await person.wait_for(
            lambda m: APPROVAL_CARD in m.text and "Neue Person" in m.text, timeout=TIMEOUT
        )
    north, south, _ = team
    north_card, south_card, _ = approval_cards(team, "Neue Person")

    fake.set_latency(40, jitter_ms=40)
    async with InFlight(bot) as seen:
        queries = await asyncio.gather(
            north.press(north_card, said("approval-approve")),
            south.press(south_card, said("approval-reject")),
        )
        replies = [await north.callback_answer(queries[0]), await south.callback_answer(queries[1])]
    assert seen.conversations > 1

    # One decision: one audit entry, the member told once, every card closed with that outcome.
    audit = await bot.services.db.fetchall("SELECT action FROM audit_log WHERE action LIKE 'member.%'")
    assert len(audit) == 1
    approved = audit[0][0] == "member.approve"
    refused = [r for r in replies if said("approval-already-decided") in str(r["text"])]
    assert len(refused) == 1 and refused[0]["show_alert"]
    status = await bot.services.db.fetchval(
        "SELECT status FROM members WHERE telegram_id = ?", (newcomer.id,)
    )
    assert status == ("active" if approved else "rejected")
    outcome = opening("approval-done-approved" if approved else "approval-done-rejected")
    assert all(outcome in c.text for c in await all_closed(team, "Neue Person"))
    await asyncio.sleep(0.3)
    decided = (said("approval-you-approved"), said("approval-you-rejected"))
    told = [m for m in newcomer.messages if any(text in m.text for text in decided)]
    assert len(told) == 1
    assert not apologies([*team, newcomer])


async def test_a_decision_while_the_cards_still_go_out_closes_every_card(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    team = await coordinators(bot, fake, admin)
    fake.set_latency(60, jitter_ms=20)
    newcomer = fake.user(7312, "Schnelle Entscheidung")
    # The first coordinator approves the moment their card arrives, before the others have theirs.
    first = team[0]
    join_done = asyncio.ensure_future(join(newcomer, name="Schnelle Entscheidung", mandate=None, topics=()))
    first_card = await first.wait_for(lambda m: APPROVAL_CARD in m.text, timeout=TIMEOUT)
    async with InFlight(bot) as seen:
        await first.press(first_card, said("approval-approve"))
        await expect(newcomer, said("approval-you-approved"))
        await join_done
        cards = await all_closed(team, "Schnelle Entscheidung")
    assert seen.conversations > 1  # the card sending and the decision ran side by side
    assert all(opening("approval-done-approved") in c.text for c in cards)
    assert (
        await bot.services.db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'member.approve'") == 1
    )


async def test_the_same_button_pressed_twice_at_once_counts_once(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    people = await joined(bot, fake, ["Doppel A", "Doppel B", "Doppel C"], first_id=7401)
    event_id = await publish(bot, admin, capacity=2)
    cards = [await card(p) for p in people]
    actor = await bot.services.authorizer.actor(admin.id)
    labels = {lang: said("broadcast-read-label", lang) for lang in ("de", "en")}
    broadcast_id = await bot.services.broadcasts.create(
        actor,
        Draft("<b>Bitte lesen</b>: Haushalt 2027", read_button=True, audience=AudienceSpec(members="all")),
        labels,
    )
    letters = [await p.wait_for(lambda m: "Bitte lesen" in m.text, timeout=TIMEOUT) for p in people]

    fake.set_latency(40, jitter_ms=40)
    async with InFlight(bot) as seen:
        # Each presses yes twice and "Gelesen ✓" twice, all at the same moment.
        presses = [
            press
            for p, c, letter in zip(people, cards, letters, strict=True)
            for press in (
                p.press(c, YES),
                p.press(c, YES),
                p.press(letter, labels["de"]),
                p.press(letter, labels["de"]),
            )
        ]
        queries = await asyncio.gather(*presses)
        told = await toasts([p for p in people for _ in range(4)], list(queries))
    assert (
        seen.conversations > 1 and seen.updates > seen.conversations
    )  # presses of one chat waited their turn

    assert await counts(bot, event_id) == RsvpCounts(yes=2, waitlist=1)
    assert (await bot.services.broadcasts.report(broadcast_id)).read == 3
    for n in range(3):  # per person: stored once, the second press changed nothing
        first, second, read, read_again = told[4 * n : 4 * n + 4]
        unchanged = opening("event-ui-unchanged")
        assert unchanged in second and unchanged not in first
        read_answers = [said("broadcast-read-thanks"), said("broadcast-read-noted")]
        assert sorted([read, read_again]) == sorted(read_answers)
    assert not apologies(people)


async def test_a_press_in_the_group_and_in_private_at_once_counts_once(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    from tests.test_broadcast import coordinator, link_group

    await coordinator(admin)
    group = await link_group(fake, admin, -6901, "Kreistagsfraktion Rostock")
    [person] = await joined(bot, fake, ["Zwei Orte"], first_id=7451)
    event_id = await publish(bot, admin, capacity=1, audience=AudienceSpec(members="all", groups="all"))
    mine, on_group = await card(person), await card(group)
    fake.set_latency(40, jitter_ms=40)
    async with InFlight(bot) as seen:
        queries = await asyncio.gather(person.press(mine, YES), person.press(on_group, YES))
        told = await toasts([person, person], list(queries))
    assert seen.conversations == 2  # the group's and the private chat's press ran side by side
    assert sorted(t.startswith(opening("event-ui-saved")) for t in told) == [False, True]
    assert await counts(bot, event_id) == RsvpCounts(yes=1)


async def test_a_dialog_typed_in_a_hurry_keeps_its_steps_in_order(
    fake: FakeTelegram, bot: RunningBot
) -> None:
    hurried = [fake.user(7501, "Eilig"), fake.user(7502, "Flink")]
    for person in hurried:
        await person.send("/start")
        await choose(person, fragment("start-greeting"), said("consent-accept"))
        await expect(person, said("wizard-name"))
    fake.set_latency(40, jitter_ms=40)
    async with InFlight(bot) as seen:
        # Each types name, district and place without waiting for a single reply.
        for step in ("{name}", "vorpommern-rügen", "Bergen auf Rügen"):
            await asyncio.gather(*(p.send(step.format(name=f"{p.first_name} Beispiel")) for p in hurried))
        for person in hurried:
            await expect(person, fragment("wizard-mandates"))
    assert seen.updates > seen.conversations > 1  # two chats side by side, each one's steps queued

    for person in hurried:
        member = await bot.services.members.by_telegram_id(person.id)
        assert member is not None and member.display_name == f"{person.first_name} Beispiel"
        district = await bot.services.territory.territory(member.district_id or 0)
        place = await bot.services.territory.territory(member.municipality_id or 0)
        assert district is not None and district.name == "Landkreis Vorpommern-Rügen"
        assert place is not None and place.name == "Bergen auf Rügen"
        dialog = await bot.services.dialogs.get(person.id)
        assert dialog is not None and dialog.step == "mandates"
        # The replies came in the order of the steps, and none was a refusal.
        prompts = [m.text for m in person.messages]
        asks = [
            next(i for i, t in enumerate(prompts) if key in t)
            for key in (said("wizard-district"), said("wizard-municipality"), fragment("wizard-mandates"))
        ]
        assert asks == sorted(asks)
        refusals = (said("profile-district-unknown"), said("profile-municipality-unknown"), APOLOGY)
        assert not [t for t in prompts if any(refusal in t for refusal in refusals)]


async def test_an_invite_for_three_taken_by_five_at_once_admits_three(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await admin.send("/einladen 3 7")
    created = await expect(admin, fragment("invite-created"))
    match = re.search(r"start=([A-Za-z0-9_-]+)", created.text)
    assert match
    code = match.group(1)
    guests = [fake.user(7601 + n, f"Gast {n}") for n in range(1, 6)]
    greetings = []
    for guest in guests:
        await guest.send(f"/start {code}")
        greetings.append(await expect(guest, fragment("start-greeting")))
    fake.set_latency(40, jitter_ms=40)
    async with InFlight(bot) as seen:
        await asyncio.gather(
            *(g.press(m, said("consent-accept")) for g, m in zip(guests, greetings, strict=True))
        )
        for guest in guests:
            await expect(guest, said("wizard-name"))
    assert seen.conversations > 1
    assert await bot.services.db.fetchval("SELECT uses FROM invites") == 3
    invited = await bot.services.db.fetchval(
        "SELECT count(*) FROM members WHERE joined_via_invite IS NOT NULL"
    )
    assert invited == 3
    used_up = [g for g in guests if any(said("invite-used-up") in m.text for m in g.messages)]
    assert len(used_up) == 2  # told, and they join with approval instead
    assert not apologies(guests)


async def test_presses_answered_too_late_are_stored_and_shown_without_an_apology(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    people = await joined(bot, fake, [f"Spät {n}" for n in range(1, 7)], first_id=7701)
    event_id = await publish(bot, admin, capacity=4)
    cards = [await card(p) for p in people]
    fake.set_latency(30, jitter_ms=30)
    fake.callback_query_timeout = 0.01  # every answer comes too late for Telegram
    async with InFlight(bot) as seen:
        await asyncio.gather(*(p.press(c, YES) for p, c in zip(people, cards, strict=True)))
        for person, message in zip(people, cards, strict=True):
            await shows(person, message, lambda m: opening("event-card-mine") in m.text)
    assert seen.conversations > 1
    assert not fake.callback_answers  # no pop-up reached anyone
    late = [c for c in fake.calls_of("answerCallbackQuery") if not c.ok]
    assert len(late) == len(people)  # one try each, no second one from an error path
    assert await counts(bot, event_id) == RsvpCounts(yes=4, waitlist=2)
    for person, message in zip(people, cards, strict=True):  # the card tells what the pop-up could not
        answer, place = await answer_of(bot, person, event_id)
        shown = says(said("event-answer-yes")) if answer == "yes" else says(on_waitlist(place))
        await shows(person, message, lambda m, shown=shown: shown in m.text)
    await asyncio.sleep(0.3)
    assert not apologies(people)


async def test_two_faction_members_claiming_a_question_at_once_one_gets_it(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    from tests.question_world import KREISTAG, ask, card_in, councillor, faction_group, send_question
    from tests.test_broadcast import coordinator

    await coordinator(admin)
    kt = await faction_group(fake, admin, -7901, "KT-Fraktion Rostock", "Kreistagsfraktion", KREISTAG)
    asker = await councillor(fake, admin, 7801, "Frage Steller")
    first = await councillor(fake, admin, 7802, "Erste Hand", level="Kreistag")
    second = await councillor(fake, admin, 7803, "Zweite Hand", level="Kreistag")
    confirm = await ask(asker, f"⭐ {KREISTAG}", "Bildung", "Wie geht es mit der Schulsozialarbeit weiter?")
    question_id = await send_question(asker, confirm)
    card_message = await card_in(kt, question_id, bot=bot)

    fake.set_latency(40, jitter_ms=40)
    async with InFlight(bot) as seen:
        queries = await asyncio.gather(
            first.press(card_message, said("question-btn-claim")),
            second.press(card_message, said("question-btn-claim")),
        )
        told = await toasts([first, second], list(queries))
    assert seen.conversations > 1  # two people in one group: their presses ran side by side
    holder = await bot.services.db.fetchval(
        "SELECT m.display_name FROM question_targets t JOIN members m ON m.id = t.claimed_by "
        "WHERE t.question_id = ?",
        (question_id,),
    )
    assert holder in ("Erste Hand", "Zweite Hand")
    # The one who came second is told who has it (the name, not a placeholder).
    assert sorted(told) == sorted(
        [said("question-claimed"), said("question-claimed-already", name=holder)]
    )
    assert (await bot.services.questions.lookup.get(question_id)).status == "claimed"


async def test_a_question_closed_twice_at_once_is_closed_once(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    from lag_bot.errors import InvalidInput
    from tests.question_world import KREISTAG, ask, card_in, councillor, faction_group, send_question
    from tests.test_broadcast import coordinator

    await coordinator(admin)
    kt = await faction_group(fake, admin, -7902, "KT-Fraktion Rostock", "Kreistagsfraktion", KREISTAG)
    asker = await councillor(fake, admin, 7811, "Frage Stellerin")
    question_id = await send_question(
        asker, await ask(asker, f"⭐ {KREISTAG}", "Bildung", "Gibt es Schulbusse?")
    )
    await card_in(kt, question_id, bot=bot)
    svc = bot.services
    member = await svc.members.by_telegram_id(asker.id)
    assert member is not None
    # The asker and a coordinator close it at the same moment (the service calls of their buttons).
    results = await asyncio.gather(
        svc.questions.asking.asker_close(member, question_id),
        svc.questions.board.close(await svc.authorizer.actor(admin.id), question_id),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, InvalidInput)]
    assert len(refused) == 1 and refused[0].key == "question-closed"
    notices = await svc.db.fetchval("SELECT count(*) FROM deliveries WHERE kind = 'question-notice'")
    assert notices == 1  # the faction's group is told once

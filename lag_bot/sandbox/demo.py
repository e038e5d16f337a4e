"""The sandbox's demo world: a fictional state (Nordmark), a dozen fictional members with mandates
at all three levels, a coordinator, the Kreistag faction's and the Landtag faction's groups, a
few events and answered questions. Everything is made through the bot's own services and the
emulator, as the real onboarding and /verbinden would make it; no real person appears (who they
are: cast.py).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from lag_bot.audience import AudienceSpec
from lag_bot.authorization import Actor
from lag_bot.emulator import SimGroup, SimUser
from lag_bot.events.draft import EventDraft
from lag_bot.events.input import ShiftDraft
from lag_bot.models import Member
from lag_bot.questions.acting import Responder
from lag_bot.questions.models import Draft
from lag_bot.sandbox.cast import (
    ANSWERED,
    DEMO_ADMIN_ID,
    KREISTAG_GROUP,
    LANDTAG_GROUP,
    MEMBERS,
    NEWCOMER,
    NEWCOMER_NOW,
    DemoMember,
)
from lag_bot.sandbox.web import Person, World
from lag_bot.services import Services


async def populate(world: World, services: Services) -> None:
    """Create the demo people, groups, events and questions."""
    fake = world.fake
    users: dict[int, SimUser] = {}
    for m in MEMBERS:
        users[m.telegram_id] = fake.user(m.telegram_id, m.first, last_name=m.last, language_code="de")
        users[m.telegram_id].started = True  # they wrote /start long ago: the bot may write to them
        world.people.append(Person(users[m.telegram_id], m.about))
    newcomer = fake.user(NEWCOMER[0], NEWCOMER[1], last_name=NEWCOMER[2], language_code="de")
    world.people.append(Person(newcomer, NEWCOMER[3]))
    world.label = lambda telegram_id: _label(services, telegram_id)
    members = {m.telegram_id: await _member(services, m) for m in MEMBERS}
    admin = await services.authorizer.actor(DEMO_ADMIN_ID)  # active at once: the admin
    for m in MEMBERS[1:]:  # the others wait for approval, as after a real onboarding
        await services.member_admin.decide(admin, members[m.telegram_id].id, True)
    kreistag = await _group(world, services, admin, users, KREISTAG_GROUP, (7003, 7004))
    await _group(world, services, admin, users, LANDTAG_GROUP, (7007, 7008))
    await _events(services, admin, kreistag)
    await _questions(services, members)


async def _label(services: Services, telegram_id: int) -> str | None:
    """The newcomer's label as she joins (the others' never change)."""
    if telegram_id != NEWCOMER[0]:
        return None
    member = await services.members.by_telegram_id(telegram_id)
    return NEWCOMER_NOW.get(member.status.value) if member else None


async def _member(services: Services, m: DemoMember) -> Member:
    membership = services.membership
    territory = services.territory
    member = await membership.consent(m.telegram_id, "de", True)
    assert member is not None
    await membership.set_name(member, f"{m.first} {m.last}")
    district = next(d for d in await territory.districts() if d.name == m.district)
    await membership.set_district(member, district.id)
    member = await _fresh(services, member)
    if m.municipality:
        place = next(p for p in await territory.children(district.id) if p.name == m.municipality)
        await membership.set_municipality(member, place.id)
    topics = {t.name("de"): t.id for t in await territory.topics()}
    if m.body:
        body = next(b for b in await territory.bodies() if b.name == m.body)
        await membership.add_mandate(member, body.id, m.function, tuple(topics[t] for t in m.topics[:1]))
    await membership.set_topics(member, tuple(topics[t] for t in m.topics))
    return await membership.submit(await _fresh(services, member))


async def _fresh(services: Services, member: Member) -> Member:
    found = await services.members.get(member.id)
    assert found is not None
    return found


async def _group(
    world: World,
    services: Services,
    admin: Actor,
    users: dict[int, SimUser],
    spec: tuple[int, str, str],
    member_ids: tuple[int, ...],
) -> SimGroup:
    chat_id, title, body_name = spec
    group = world.fake.group(chat_id, title, supergroup=True)
    group.members[DEMO_ADMIN_ID] = users[DEMO_ADMIN_ID]
    for telegram_id in member_ids:
        group.members[telegram_id] = users[telegram_id]
    await group.add_bot(by=users[DEMO_ADMIN_ID])
    for _ in range(100):  # the bot learns of the group from Telegram's update
        if await services.groups.get(chat_id) is not None:
            break
        await asyncio.sleep(0.05)
    body = next(b for b in await services.territory.bodies() if b.name == body_name)
    await services.groups.link(admin, chat_id, "faction", body.id)
    world.groups.append((group, f"Gruppe der {body_name}-Fraktion"))
    return group


async def _events(services: Services, admin: Actor, kreistag: SimGroup) -> None:
    zone = ZoneInfo(services.settings.timezone.key)
    today = services.clock().astimezone(zone).date()

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(today + timedelta(days=days), time(hour, minute), zone)

    stored_group = await services.groups.get(kreistag.id)
    assert stored_group is not None
    drafts = (
        EventDraft(
            title="LAG-Sitzung: Kommunalfinanzen 2027",
            kind="sitzung",
            starts_at=at(9, 18),
            ends_at=at(9, 20, 30),
            place="Rathaus Lindenhafen, Raum 204",
            link="https://meet.example.org/lag-nordmark",
            description="Tagesordnung: Haushaltslage der Kommunen, Bericht aus dem Landtag, Verschiedenes.",
            audience=AudienceSpec(members="all"),
            capacity=30,
            deadline=at(8, 12),
        ),
        EventDraft(
            title="Heiße Getränke gegen soziale Kälte",
            kind="infostand",
            starts_at=at(12, 10),
            ends_at=at(12, 16),
            place="Marktplatz Seedorf",
            description="Infostand mit Tee und Kaffee. Trag dich in eine Schicht ein!",
            audience=AudienceSpec(members="all"),
            shifts=(
                ShiftDraft(at(12, 10), at(12, 12), 2, 3),
                ShiftDraft(at(12, 12), at(12, 14), 2, 3),
                ShiftDraft(at(12, 14), at(12, 16), 2, 3),
            ),
            shift_alert_days=2,
        ),
        EventDraft(
            title="Fraktionssitzung Kreistag Heidesee",
            kind="fraktionssitzung",
            starts_at=at(3, 19),
            ends_at=at(3, 21),
            place="Kreishaus Seedorf",
            audience=AudienceSpec(members="none", groups="picked", group_ids=frozenset({stored_group.id})),
        ),
    )
    for draft in drafts:
        await services.events.publishing.publish(admin, draft)


async def _questions(services: Services, members: dict[int, Member]) -> None:
    """Two questions asked, answered and archived with both sides' consent."""
    questions = services.questions
    topics = {t.name("de"): t.id for t in await services.territory.topics()}
    factions: dict[str, int] = {}
    for chat_id, _, body in (KREISTAG_GROUP, LANDTAG_GROUP):  # linked above: their factions exist
        group = await services.groups.get(chat_id)
        assert group is not None and group.faction_id is not None
        factions[body] = group.faction_id
    for asker, body, topic, text, answerer, answer in ANSWERED:
        draft = Draft(faction_ids=(factions[body],), topic_id=topics[topic], body=text, identity="named")
        member = await _fresh(services, members[asker])  # approved since it was made
        question = await questions.asking.ask(member, draft)
        (target,) = await questions.lookup.targets(question.id)
        chat_id = next(c for c, _, b in (KREISTAG_GROUP, LANDTAG_GROUP) if b == body)
        responder = Responder(await _fresh(services, members[answerer]), group_chat_id=chat_id)
        await questions.replies.answer(responder, target.id, answer)
        await questions.replies.faction_archive(responder, target.id, True)
        await questions.asking.asker_archive(member, question.id, True)

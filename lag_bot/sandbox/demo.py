"""The sandbox's demo world: a fictional state (Nordmark), a dozen fictional members with mandates
at all three levels, a coordinator, the Kreistag faction's and the Landtag faction's groups, a
few events and answered questions. Everything is made through the bot's own services and the
emulator, as the real onboarding and /verbinden would make it; no real person appears.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
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
from lag_bot.sandbox.web import Person, World
from lag_bot.services import Services

DEMO_ADMIN_ID = 7001  # the coordinator (an admin of the sandbox)


@dataclass(frozen=True)
class DemoMember:
    """One fictional member: who, where, which mandate."""

    telegram_id: int
    first: str
    last: str
    district: str
    municipality: str | None
    body: str | None  # the mandate's body
    function: str
    topics: tuple[str, ...]
    about: str


MEMBERS = (
    DemoMember(
        DEMO_ADMIN_ID,
        "Kim",
        "Koordinatorin",
        "Stadt Lindenhafen",
        None,
        None,
        "",
        ("Finanzen/Haushalt",),
        "Koordinatorin der LAG",
    ),
    DemoMember(
        7002,
        "Jonas",
        "Birkner",
        "Landkreis Heidesee",
        "Birkenau",
        "Gemeindevertretung Birkenau",
        "mitglied",
        ("Bildung",),
        "Gemeindevertreter in Birkenau",
    ),
    DemoMember(
        7003,
        "Mira",
        "Seewald",
        "Landkreis Heidesee",
        "Seedorf",
        "Kreistag Heidesee",
        "vorsitz",
        ("Finanzen/Haushalt", "Soziales"),
        "Kreistag Heidesee, Fraktionsvorsitzende",
    ),
    DemoMember(
        7004,
        "Paul",
        "Dünhaupt",
        "Landkreis Heidesee",
        "Seedorf",
        "Kreistag Heidesee",
        "fachsprecher",
        ("Bildung",),
        "Kreistag Heidesee, Bildung",
    ),
    DemoMember(
        7005,
        "Lea",
        "Strandt",
        "Landkreis Bernsteinküste",
        "Möwenhafen",
        "Stadtvertretung Möwenhafen",
        "mitglied",
        ("Wohnen",),
        "Stadtvertreterin in Möwenhafen",
    ),
    DemoMember(
        7006,
        "Tarek",
        "Bernstein",
        "Landkreis Bernsteinküste",
        "Dünenwalde",
        "Kreistag Bernsteinküste",
        "mitglied",
        ("Klima/Umwelt",),
        "Kreistag Bernsteinküste",
    ),
    DemoMember(
        7007,
        "Anna",
        "Landmann",
        "Stadt Lindenhafen",
        None,
        "Landtag Nordmark",
        "fachsprecher",
        ("Finanzen/Haushalt", "Bildung"),
        "Landtagsabgeordnete, Kommunalfinanzen",
    ),
    DemoMember(
        7008,
        "Ole",
        "Hafner",
        "Stadt Lindenhafen",
        None,
        "Landtag Nordmark",
        "vorsitz",
        ("Soziales",),
        "Landtag, Fraktionsvorsitz",
    ),
    DemoMember(
        7009,
        "Sina",
        "Linde",
        "Stadt Lindenhafen",
        None,
        "Bürgerschaft Lindenhafen",
        "mitglied",
        ("ÖPNV/Mobilität",),
        "Bürgerschaft Lindenhafen",
    ),
    DemoMember(
        7010,
        "Emil",
        "Heider",
        "Landkreis Heidesee",
        "Birkenau",
        None,
        "",
        ("Jugend",),
        "Mitglied ohne Mandat",
    ),
    DemoMember(
        7011,
        "Rosa",
        "Weide",
        "Landkreis Bernsteinküste",
        "Möwenhafen",
        None,
        "",
        ("Wohnen",),
        "Mitglied ohne Mandat",
    ),
    DemoMember(
        7012,
        "Finn",
        "Kogge",
        "Landkreis Bernsteinküste",
        "Dünenwalde",
        "Gemeindevertretung Dünenwalde",
        "mitglied",
        ("Klima/Umwelt",),
        "Gemeindevertreter in Dünenwalde",
    ),
)
NEWCOMER = (7013, "Nele", "Neu", "noch nicht angemeldet – zum Ausprobieren von /start")
KREISTAG_GROUP = (-100700001, "Kreistagsfraktion Heidesee", "Kreistag Heidesee")
LANDTAG_GROUP = (-100700002, "Landtagsfraktion Nordmark", "Landtag Nordmark")


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
    members = {m.telegram_id: await _member(services, m) for m in MEMBERS}
    admin = await services.authorizer.actor(DEMO_ADMIN_ID)  # active at once: the admin
    for m in MEMBERS[1:]:  # the others wait for approval, as after a real onboarding
        await services.member_admin.decide(admin, members[m.telegram_id].id, True)
    kreistag = await _group(world, services, admin, users, KREISTAG_GROUP, (7003, 7004))
    await _group(world, services, admin, users, LANDTAG_GROUP, (7007, 7008))
    await _events(services, admin, kreistag)
    await _questions(services, members)


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


ANSWERED = (  # (asker, faction's body, topic, question, answerer, answer)
    (
        7002,
        "Landtag Nordmark",
        "Energie/Wärmeplanung",
        "Bis wann müssen kleine Gemeinden ihre kommunale Wärmeplanung vorlegen, und gibt es Fördergeld?",
        7007,
        "Gemeinden unter 10.000 Einwohnern haben bis Mitte 2028 Zeit. Das Land fördert die Planung "
        "mit bis zu 90 Prozent; den Antrag stellt die Gemeinde bei der Landesenergieagentur.",
    ),
    (
        7005,
        "Kreistag Heidesee",
        "Soziales",
        "Wie organisiert ihr im Kreis die Schulsozialarbeit – über freie Träger oder beim Kreis angestellt?",
        7003,
        "Bei uns über zwei freie Träger mit Leistungsvereinbarung; der Kreis zahlt 80 Prozent, die Gemeinden "
        "den Rest. Die Vereinbarung schicke ich gern als Muster.",
    ),
)


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

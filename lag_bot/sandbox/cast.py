"""The sandbox's cast: the fictional members (who, where, which mandate), the newcomer, the two
faction groups and the questions answered in the archive. No real person appears; demo.py makes
them through the bot's own services."""

from __future__ import annotations

from dataclasses import dataclass

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
NEWCOMER_NOW = {  # her label once she has begun (by her member status)
    "onboarding": "meldet sich gerade an",
    "pending": "angemeldet, wartet auf Freigabe",
    "active": "neues Mitglied",
    "rejected": "abgelehnt",
    "suspended": "gesperrt",
}
KREISTAG_GROUP = (-100700001, "Kreistagsfraktion Heidesee", "Kreistag Heidesee")
LANDTAG_GROUP = (-100700002, "Landtagsfraktion Nordmark", "Landtag Nordmark")


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

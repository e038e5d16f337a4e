"""The question relay with an archive of 50,000 answered questions: the similar-question lookup
(SQLite FTS5) and the full path from the asker's last choice to the card in the faction's group.

    python bench/relay.py                       # from the repository root, ~1-2 min on 2 cores
    python bench/relay.py --archive 10000 --lookups 300 --asks 100
    python bench/relay.py --smoke               # tiny, a few seconds: does it still run?

The real application (tests/harness.running_bot, in this process, with the real clock) polls the
project's fake Telegram Bot API over HTTP on 127.0.0.1. Every faction (one per body of the shipped
territory seed) has a linked group. Printed: p50/p95/p99/max of (1) `Archive.similar` called
directly, (2) the confirmation screen (the identity press until the screen with the similar
questions is in the asker's chat), and (3) ask-to-delivery (the identity press until the card is in
the faction's group: confirmation, "send", storing, outbox, sender). See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/relay.py` puts bench/, not the root, on the path
    sys.path.insert(0, str(ROOT))

from bench.broadcast import WallClock  # noqa: E402
from bench.updates import FIRST_TELEGRAM_ID, machine, seed_database  # noqa: E402
from lag_bot.callbacks import encode  # noqa: E402
from lag_bot.clock import iso  # noqa: E402
from lag_bot.db import Database  # noqa: E402
from lag_bot.delivery.ratelimit import SendLimits  # noqa: E402
from lag_bot.emulator import FakeTelegram, SimGroup, SimUser  # noqa: E402
from lag_bot.models import Dialog  # noqa: E402
from tests.harness import TOKEN, running_bot  # noqa: E402

GROUP_GAP = 3.1  # seconds between two cards to one group: the bot keeps Telegram's 20 per minute
OVERALL_GAP = 0.05  # seconds between two cards at all: the bot sends at most 30 messages per second
FIRST_GROUP = -1_000_000_000

WORDS = {
    "bildung": (
        "Schulsozialarbeit Schulbau Ganztag Kita-Plätze Kitagebühren "
        "Schulentwicklungsplan Digitalpakt Schulbusse Förderschulen Inklusion Hort "
        "Lehrkräfte Schulträger Mensa Schulwegsicherung"
    ),
    "jugend": (
        "Jugendclub Jugendparlament Streetwork Jugendhilfe Ferienfreizeit Jugendbeteiligung Skatepark"
    ),
    "soziales": (
        "Sozialticket Pflegestützpunkt Tafel Obdachlosigkeit Seniorenbeirat "
        "Grundsicherung Quartiersmanagement"
    ),
    "wohnen": (
        "Wohnungsbau Mietspiegel Leerstand Bodenfonds Erbbaurecht Sozialwohnungen "
        "Wohnraumkonzept Bebauungsplan"
    ),
    "finanzen": (
        "Kreisumlage Haushaltssicherung Doppik Kassenkredite FAG-Zuweisung Gewerbesteuer "
        "Grundsteuer Investitionsstau Haushaltsplan Rücklagen Fördermittel Eigenanteil"
    ),
    "mobilitaet": (
        "Rufbus ÖPNV-Takt Radwege Schülerbeförderung Carsharing Bahnhof Busnetz Tempo-30 Deutschlandticket"
    ),
    "energie": (
        "Wärmeplanung Wärmenetz Windkraft Bürgerenergie Photovoltaik Stadtwerke Energieberatung Solarpflicht"
    ),
    "klima": (
        "Klimaschutzkonzept Baumschutz Hochwasserschutz Starkregen Biotopverbund "
        "Flächenversiegelung Moorschutz"
    ),
    "demokratie": (
        "Bürgerhaushalt Einwohnerfragestunde Livestream Ratsinformationssystem Beteiligungssatzung Ortsbeirat"
    ),
    "kultur": ("Bibliothek Musikschule Heimatmuseum Kulturförderung Stadtfest Denkmalschutz Theater"),
    "gesundheit": (
        "Landarzt Medizinisches-Versorgungszentrum Rettungsdienst Hebammen Krankenhausplanung Impfzentrum"
    ),
    "wirtschaft": (
        "Gewerbegebiet Tourismusabgabe Kurtaxe Breitband Innenstadt Wirtschaftsförderung Fachkräfte"
    ),
}
GENERAL = (
    "Satzung Ausschuss Verwaltung Landkreis Gemeindevertretung Antrag Beschluss "
    "Kosten Zuständigkeit Förderung"
)
ASKING = (
    "Wie geht ihr mit {a} und {b} um?",
    "Gibt es bei euch Erfahrungen mit {a}, vor allem bei {b}?",
    "Wer ist für {a} zuständig, und wie wird {b} finanziert?",
    "Wie hoch sind bei euch die Kosten für {a}? Hat jemand einen {c} zu {b}?",
    "Wir planen {a}. Was hat bei {b} funktioniert, was nicht?",
)
ANSWERING = (
    "Bei uns läuft {a} über den {c}; {b} ist noch offen.",
    "Für {a} gibt es Landesmittel, für {b} müssen die Gemeinden selbst aufkommen.",
    "Wir haben {a} mit einem {c} gelöst und {b} zurückgestellt.",
)


def text_for(rng: random.Random, templates: tuple[str, ...]) -> tuple[str, str]:
    """A question or answer about one topic (its code and text)."""
    topic = rng.choice(list(WORDS))
    a, b = rng.sample(WORDS[topic].split(), 2)
    c = rng.choice(GENERAL.split())
    return topic, rng.choice(templates).format(a=a, b=b, c=c)


async def seed_relay(path: Path, archive: int, rng: random.Random) -> None:
    """Factions in every body, each linked to a group; `archive` answered, archived questions."""
    db = await Database.open(path)
    try:
        now = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
        async with db.transaction():
            await db.execute("INSERT INTO factions (body_id, name) SELECT id, name FROM bodies")
            await db.execute(
                "INSERT INTO chats (chat_id, title, kind, active, link_kind, territory_id, faction_id, "
                "added_at, updated_at) SELECT ? - f.id, f.name, 'supergroup', 1, 'faction', b.territory_id, "
                "f.id, ?, ? FROM factions f JOIN bodies b ON b.id = f.body_id",
                (FIRST_GROUP, iso(now), iso(now)),
            )
        factions = [r[0] for r in await db.fetchall("SELECT id, name FROM factions")]
        names = {r[0]: r[1] for r in await db.fetchall("SELECT id, name FROM factions")}
        topics = {r[1]: r[0] for r in await db.fetchall("SELECT id, code FROM topics")}
        members = int(await db.fetchval("SELECT count(*) FROM members"))
        questions, targets, answers, index = [], [], [], []
        for qid in range(1, archive + 1):
            topic, question = text_for(rng, ASKING)
            _, answer = text_for(rng, ANSWERING)
            asked = now - timedelta(days=rng.uniform(1, 730))
            answered = asked + timedelta(hours=rng.uniform(2, 400))
            faction = rng.choice(factions)
            questions.append(
                (qid, rng.randint(1, members), rng.choice(("named", "pseudonymous")), topics[topic], question,
                 "closed", iso(asked), iso(answered), iso(answered), 1, iso(answered))
            )  # fmt: skip
            targets.append((qid, qid, faction, iso(asked + timedelta(days=14)), iso(answered), 1, iso(asked)))
            answers.append((qid, qid, qid, "answer", 0, answer, iso(answered)))
            index.append((qid, question, f"{names[faction]}: {answer}"))
        async with db.transaction():
            await db.executemany(
                "INSERT INTO questions (id, asker_id, identity, topic_id, body, status, created_at, "
                "answered_at, closed_at, asker_archive, archived_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                questions,
            )
            await db.executemany(
                "INSERT INTO question_targets (id, question_id, faction_id, deadline, answered_at, "
                "archive_ok, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                targets,
            )
            await db.executemany(
                "INSERT INTO question_answers (id, question_id, target_id, kind, as_faction, body, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                answers,
            )
            await db.executemany(
                "INSERT INTO question_archive (rowid, question, answers) VALUES (?, ?, ?)", index
            )
        await db.execute("INSERT INTO question_archive (question_archive) VALUES ('optimize')")
        await db.execute("PRAGMA optimize")
    finally:
        await db.close()


def percentiles(samples: list[float]) -> str:
    """p50/p95/p99/max in ms (inclusive interpolation)."""
    q = statistics.quantiles(samples, n=100, method="inclusive")
    figures = f"p50 {q[49]:7.2f}   p95 {q[94]:7.2f}   p99 {q[98]:7.2f}   max {max(samples):7.2f} ms"
    return f"{figures}   (n={len(samples)})"


async def run(args: argparse.Namespace) -> None:
    """Seed, start the bot, measure."""
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="lag-bench-relay-") as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        await seed_database(tmp / "lag.sqlite3", args.members, rng)
        await seed_relay(tmp / "lag.sqlite3", args.archive, rng)
        print(
            f"seeded {args.members} members and {args.archive} archived questions "
            f"in {time.perf_counter() - started:.1f} s"
        )
        fake = FakeTelegram(token=TOKEN, bot_username="lag_test_bot")
        await fake.start()
        try:
            # Telegram's limits, which the pauses between asks keep (the harness relaxes them).
            async with running_bot(fake, tmp, WallClock(), send_limits=SendLimits()) as bot:
                svc = bot.services
                assert await svc.questions.archive.repo.count() == args.archive
                similar = []
                for _ in range(args.lookups):
                    _, text = text_for(rng, ASKING)
                    t0 = time.perf_counter()
                    await svc.questions.archive.similar(text)
                    similar.append((time.perf_counter() - t0) * 1000)
                groups: dict[int, SimGroup] = {}
                for row in await svc.db.fetchall(
                    "SELECT chat_id, title, faction_id FROM chats WHERE link_kind = 'faction'"
                ):
                    group = fake.group(row[0], row[1], supergroup=True)
                    group.bot_status = "member"
                    groups[row[2]] = group
                askers = [fake.user(FIRST_TELEGRAM_ID + i, f"Mitglied {i}") for i in range(args.asks)]
                for user in askers:  # a bot message in each chat to press on, as after any command
                    await user.send("/meinefragen")
                    await user.next_message(timeout=10)
                confirm_ms, delivery_ms, after_send_ms = await ask_loop(bot, askers, groups, rng)
        finally:
            await fake.stop()
    print(f"machine: {machine()}")
    print(f"similar-question lookup (Archive.similar, {args.archive} archived): {percentiles(similar)}")
    print(f"identity press -> confirmation with similar questions:        {percentiles(confirm_ms)}")
    print(f"identity press -> card in the faction's group (ask-to-delivery): {percentiles(delivery_ms)}")
    print(f"  of which 'send' press -> card in the group:                {percentiles(after_send_ms)}")


async def ask_loop(bot, askers: list[SimUser], groups: dict[int, SimGroup], rng: random.Random):  # type: ignore[no-untyped-def]
    """One question per asker, each to the next faction in turn, never faster than a group may get it."""
    svc = bot.services
    factions = sorted(groups)
    last: dict[int, float] = {}
    confirm_ms: list[float] = []
    delivery_ms: list[float] = []
    after_send_ms: list[float] = []
    shown = 0
    for n, user in enumerate(askers):
        faction = factions[n % len(factions)]
        group = groups[faction]
        now = time.perf_counter()
        # Not measured: the bot keeps Telegram's limits (20 per minute per group, 30 per second
        # overall), and waiting for them is not the bot's latency.
        wait = max(
            GROUP_GAP - (now - last.get(faction, -GROUP_GAP)),
            OVERALL_GAP - (now - max(last.values(), default=0.0)),
        )
        if wait > 0:
            await asyncio.sleep(wait)
        topic, text = text_for(rng, ASKING)
        topic_id = next(t.id for t in await svc.territory.topics() if t.code == topic)
        data = {"step": "identity", "f": [faction], "d": None, "t": topic_id, "text": text}
        async with svc.db.transaction():
            await svc.dialogs.save(Dialog(user.id, "question", "identity", data))
        anchor = user.messages[-1]
        t0 = time.perf_counter()
        await user.press_data(anchor, encode("qa", "id", "named"))
        confirm = await user.wait_for(lambda m: "So geht deine Frage raus" in m.text, timeout=10)
        confirm_ms.append((time.perf_counter() - t0) * 1000)
        similar = "📨 Trotzdem fragen" in confirm.button_texts()
        shown += similar
        label = "📨 Trotzdem fragen" if similar else "📨 Frage senden"
        t_send = time.perf_counter()
        await user.press(confirm, label)
        await group.wait_for(
            lambda m, u=user: "Frage #" in m.text and f"Mitglied {u.id - FIRST_TELEGRAM_ID}" in m.text,
            timeout=10,
        )
        delivery_ms.append((time.perf_counter() - t0) * 1000)
        after_send_ms.append((time.perf_counter() - t_send) * 1000)
        last[faction] = time.perf_counter()
    print(f"similar questions were shown before {shown} of {len(askers)} questions")
    return confirm_ms, delivery_ms, after_send_ms


def main() -> int:
    """Run the benchmark; non-zero (a traceback) only if the run itself breaks."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--archive", type=int, default=50_000, help="archived questions (default 50000)")
    parser.add_argument("--members", type=int, default=1_000, help="active members (default 1000)")
    parser.add_argument("--lookups", type=int, default=1_000, help="direct similar lookups (default 1000)")
    parser.add_argument("--asks", type=int, default=200, help="questions asked end to end (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--smoke", action="store_true", help="2,000 archived, 50 lookups, 10 asks, 200 members: a quick check"
    )
    args = parser.parse_args()
    if args.smoke:
        args.archive, args.lookups, args.asks, args.members = 2000, 50, 10, 200
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())

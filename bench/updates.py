"""Command round trip (update in -> reply out) of lag-bot against a bare PTB echo bot.

    python bench/updates.py                     # from the repository root
    python bench/updates.py --latency-n 1000 --burst 4000 --bots lag
    python bench/updates.py --latency-ms 80     # every Bot API call 80 ms away; echo bot concurrent
    python bench/updates.py --smoke             # tiny, a few seconds: does it still run?

Both bots poll the project's fake Telegram Bot API (lag_bot/emulator) over real HTTP on
127.0.0.1, one after the other, each with its own FakeTelegram, all in one asyncio loop. lag-bot
runs with a database of --members active members and answers `/profil`; the echo bot answers
`/echo …` with `reply_text`. At 0 ms the echo bot handles updates one after the other (PTB's
default); with --latency-ms above 0 it is built with `.concurrent_updates(True)`, the fair
comparison for lag-bot's concurrent update processing (--echo overrides). See bench/README.md for
what is measured and the last results.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/updates.py` puts bench/, not the root, on the path
    sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes  # noqa: E402

from lag_bot.clock import iso  # noqa: E402
from lag_bot.db import Database  # noqa: E402
from lag_bot.emulator import FakeTelegram, SimUser  # noqa: E402
from lag_bot.membership.service import PRIVACY_VERSION  # noqa: E402
from lag_bot.membership.territory_seed import default_seed, load_seed  # noqa: E402
from lag_bot.migrate import apply_migrations  # noqa: E402
from tests.harness import TOKEN, running_bot  # noqa: E402

FIRST_TELEGRAM_ID = 100_000
REPLY_TIMEOUT = 10.0  # seconds for one reply in the closed loop
THROUGHPUT_GOAL = 0.52  # at 0 ms: lag-bot updates/s at least this share of the sequential echo bot's
THROUGHPUT_GOAL_LATENCY = 0.8  # with latency: at least this share of the concurrent echo bot's
P95_GOAL_MS = 50.0  # closed-loop p95 at 0 ms


# --- the database ----------------------------------------------------------------------------------


async def seed_database(path: Path, members: int, rng: random.Random) -> None:
    """Create the bot's database at `path`: migrations, the territory seed, and `members` members.

    Every member is active and has consented (as after onboarding); 40 % hold one or two mandates,
    80 % named their municipality, most have a few topics of interest.
    """
    db = await Database.open(path)
    try:
        await apply_migrations(db)
        await load_seed(db, default_seed())
        districts = [
            r[0]
            for r in await db.fetchall(
                "SELECT id FROM territories WHERE kind IN ('landkreis', 'kreisfreie_stadt') ORDER BY id"
            )
        ]
        places = {
            d: [
                r[0]
                for r in await db.fetchall("SELECT id FROM territories WHERE parent_id = ? ORDER BY id", (d,))
            ]
            for d in districts
        }
        bodies = [r[0] for r in await db.fetchall("SELECT id FROM bodies ORDER BY id")]
        topics = [r[0] for r in await db.fetchall("SELECT id FROM topics ORDER BY id")]
        now = iso(datetime(2026, 11, 21, 8, 0, tzinfo=UTC))
        member_rows: list[tuple[Any, ...]] = []
        consent_rows: list[tuple[int, str, int, str]] = []
        mandate_rows: list[tuple[int, int, int, str]] = []
        mandate_topic_rows: list[tuple[int, int]] = []
        topic_rows: list[tuple[int, int]] = []
        for i in range(members):
            member_id = i + 1
            district = rng.choice(districts)
            place = rng.choice(places[district]) if places[district] and rng.random() < 0.8 else None
            member_rows.append(
                (
                    member_id,
                    FIRST_TELEGRAM_ID + i,
                    f"Mitglied {i}",
                    "de",
                    "active",
                    "member",
                    district,
                    place,
                    int(rng.random() < 0.3),
                    now,
                    now,
                )
            )
            consent_rows.append((FIRST_TELEGRAM_ID + i, PRIVACY_VERSION, 1, now))
            if rng.random() < 0.4:  # some hold one or two mandates, with topics
                for body in rng.sample(bodies, rng.randint(1, 2)):
                    mandate_id = len(mandate_rows) + 1
                    mandate_rows.append((mandate_id, member_id, body, "mitglied"))
                    mandate_topic_rows.extend((mandate_id, t) for t in rng.sample(topics, rng.randint(0, 3)))
            topic_rows.extend((member_id, t) for t in rng.sample(topics, rng.randint(0, 4)))
        async with db.transaction():
            await db.executemany(
                "INSERT INTO members (id, telegram_id, display_name, language, status, role, district_id, "
                "municipality_id, directory_opt_in, created_at, status_changed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                member_rows,
            )
            await db.executemany(
                "INSERT INTO consents (telegram_id, version, granted, decided_at) VALUES (?, ?, ?, ?)",
                consent_rows,
            )
            await db.executemany(
                "INSERT INTO mandates (id, member_id, body_id, function) VALUES (?, ?, ?, ?)", mandate_rows
            )
            await db.executemany(
                "INSERT INTO mandate_topics (mandate_id, topic_id) VALUES (?, ?)", mandate_topic_rows
            )
            await db.executemany("INSERT INTO member_topics (member_id, topic_id) VALUES (?, ?)", topic_rows)
        await db.execute("PRAGMA optimize")
    finally:
        await db.close()


# --- the two bots ----------------------------------------------------------------------------------


async def on_echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer with the text after the command."""
    assert update.message is not None
    await update.message.reply_text(" ".join(context.args or ()) or "echo")


@asynccontextmanager
async def running_echo_bot(
    fake: FakeTelegram, concurrent: bool | int = False
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """A bare PTB application with one CommandHandler, started like tests/harness.py does;
    `concurrent`: `.concurrent_updates(True)` (PTB's SimpleUpdateProcessor, 256 at a time), or
    that many at a time."""
    builder = ApplicationBuilder().token(TOKEN).base_url(fake.base_url).base_file_url(fake.base_file_url)
    app = builder.concurrent_updates(concurrent).build()
    app.add_handler(CommandHandler("echo", on_echo))
    await app.initialize()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@dataclass(frozen=True)
class Subject:
    """One bot under measurement: how to start it, what to send, how to recognise its answer."""

    name: str
    start: Callable[[FakeTelegram], AbstractAsyncContextManager[Any]]
    command: Callable[[int], str]  # member index -> message text
    expected: Callable[[int, str], bool]  # (member index, reply text) -> is it the right answer


# --- measuring -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """The figures of one bot in one round (or the medians over rounds)."""

    name: str
    throughput: float  # updates per second in the burst
    p50: float  # closed-loop latencies in ms
    p95: float
    p99: float
    max_ms: float

    @classmethod
    def of(cls, name: str, throughput: float, latencies_ms: list[float]) -> Result:
        """Percentiles by the inclusive method (linear interpolation between samples)."""
        q = statistics.quantiles(latencies_ms, n=100, method="inclusive")
        return cls(name, throughput, q[49], q[94], q[98], max(latencies_ms))

    @classmethod
    def median(cls, rounds: list[Result]) -> Result:
        """Each figure's median over the rounds (robust against one disturbed round)."""
        figures = ("throughput", "p50", "p95", "p99", "max_ms")
        return cls(rounds[0].name, *(statistics.median(getattr(r, f) for r in rounds) for f in figures))

    def row(self, label: str) -> str:
        """One line of the table."""
        return (
            f"{label:<16} {self.throughput:>10.1f} {self.p50:>8.1f} {self.p95:>8.1f} {self.p99:>8.1f} "
            f"{self.max_ms:>8.1f}"
        )


def users_of(fake: FakeTelegram, indices: list[int]) -> list[tuple[int, SimUser]]:
    """The simulated Telegram users behind member indices (index i has Telegram id 100000 + i)."""
    return [(i, fake.user(FIRST_TELEGRAM_ID + i, f"Mitglied {i}", language_code="de")) for i in indices]


async def closed_loop(subject: Subject, users: list[tuple[int, SimUser]]) -> list[float]:
    """One outstanding request at a time; each round trip in ms, every answer checked."""
    latencies: list[float] = []
    for index, user in users:
        text = subject.command(index)
        t0 = time.perf_counter()
        await user.send(text)
        reply = await user.next_message(timeout=REPLY_TIMEOUT)
        t1 = time.perf_counter()
        if not subject.expected(index, reply.text):
            raise RuntimeError(f"{subject.name}: unexpected answer to {text!r}: {reply.text[:200]!r}")
        latencies.append((t1 - t0) * 1000.0)
    return latencies


async def burst(fake: FakeTelegram, subject: Subject, users: list[tuple[int, SimUser]]) -> float:
    """Enqueue all updates at once, wait for all answers; updates per second.

    The answers are counted on the fake's call log (`fake.calls`); the end time is the moment the
    fake recorded the last sendMessage, so the polling interval here does not distort the result.
    """
    first = len(fake.calls)
    t0 = time.time()  # ApiCall.at is time.time() too
    for index, user in users:
        await user.send(subject.command(index))  # synchronous inside: no other task runs in between
    answered = 0
    last = t0
    seen = first
    deadline = time.monotonic() + REPLY_TIMEOUT + len(users) * 0.05
    while answered < len(users):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{subject.name}: only {answered} of {len(users)} answers arrived")
        await asyncio.sleep(0.01)
        calls = fake.calls
        while seen < len(calls):
            call = calls[seen]
            seen += 1
            if call.method.lower() == "sendmessage":
                answered += 1
                last = call.at
    elapsed = last - t0
    # Check afterwards (not timed): every answer is the right one, and nothing failed.
    sent = [c for c in fake.calls[first:] if c.method.lower() == "sendmessage"]
    wanted = {FIRST_TELEGRAM_ID + i: i for i, _ in users}
    for call in sent:
        index = wanted.get(int(call.params["chat_id"]))
        if not call.ok or index is None or not subject.expected(index, str(call.params.get("text", ""))):
            raise RuntimeError(f"{subject.name}: unexpected answer in the burst: {call}")
    failed = [c for c in fake.calls[first:] if not c.ok]
    if failed:
        raise RuntimeError(f"{subject.name}: failed API calls in the burst: {failed[:3]}")
    return len(users) / elapsed


async def measure(subject: Subject, args: argparse.Namespace) -> Result:
    """Warm-up, closed-loop latency, open-loop burst; on a fresh fake with the same user sequence."""
    rng = random.Random(args.seed)
    warm = [rng.randrange(args.members) for _ in range(args.warmup)]
    timed = [rng.randrange(args.members) for _ in range(args.latency_n)]
    if args.burst <= args.members:
        burst_members = rng.sample(range(args.members), args.burst)
    else:
        burst_members = [rng.randrange(args.members) for _ in range(args.burst)]
    fake = FakeTelegram(token=TOKEN, bot_username="lag_test_bot")
    await fake.start()
    fake.set_latency(args.latency_ms, args.jitter_ms)
    try:
        async with subject.start(fake):
            await closed_loop(subject, users_of(fake, warm))
            latencies = await closed_loop(subject, users_of(fake, timed))
            throughput = await burst(fake, subject, users_of(fake, burst_members))
    finally:
        await fake.stop()
    return Result.of(subject.name, throughput, latencies)


def subjects(tmp: Path, args: argparse.Namespace) -> dict[str, Subject]:
    """The echo bot and lag-bot (whose database must already be at tmp/lag.sqlite3)."""
    concurrent: bool | int = args.echo == "concurrent"
    if concurrent and args.echo_in_flight is not None:
        concurrent = args.echo_in_flight
    overrides: dict[str, Any] = {}
    if args.update_concurrency is not None:
        overrides["update_concurrency"] = args.update_concurrency
    return {
        "echo": Subject(
            ("echo (concurrent)" if concurrent is True else f"echo (concurrent {concurrent})")
            if concurrent
            else "echo",
            lambda fake: running_echo_bot(fake, concurrent),
            lambda i: f"/echo hallo {i}",
            lambda i, text: text == f"hallo {i}",
        ),
        "lag": Subject(
            "lag-bot",
            lambda fake: running_bot(fake, tmp, **overrides),
            lambda i: "/profil",
            lambda i, text: "Dein Profil" in text and f"Name: Mitglied {i}\n" in text,
        ),
    }


def header(label: str) -> str:
    """The table's head line."""
    return f"{label:<16} {'updates/s':>10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"


def goals(lag: Result | None, echo: Result | None, latency_ms: float) -> str:
    """OK/MISSED for each goal that these results can judge."""
    verdicts = []
    goal = THROUGHPUT_GOAL_LATENCY if latency_ms > 0 else THROUGHPUT_GOAL
    if lag is not None and echo is not None:
        ratio = lag.throughput / echo.throughput
        verdict = "OK" if ratio >= goal else "MISSED"
        verdicts.append(f"ratio (lag/{echo.name}) throughput: {ratio:.2f}   goal >= {goal}: {verdict}")
    if lag is not None and latency_ms == 0:
        verdicts.append(f"p95 goal < {P95_GOAL_MS:.0f} ms: {'OK' if lag.p95 < P95_GOAL_MS else 'MISSED'}")
    return "    ".join(verdicts)


def report(rounds: list[dict[str, Result]], latency_ms: float) -> None:
    """Every round, then the medians and the goals judged on them."""
    if len(rounds) > 1:
        print(header("bot #round"))
        for number, results in enumerate(rounds, start=1):
            for result in results.values():
                print(result.row(f"{result.name} #{number}"))
        print()
    medians = {key: Result.median([r[key] for r in rounds]) for key in rounds[0]}
    print(header("bot" if len(rounds) == 1 else f"median of {len(rounds)}"))
    for result in medians.values():
        print(result.row(result.name))
    verdicts = goals(medians.get("lag"), medians.get("echo"), latency_ms)
    if verdicts:
        print(verdicts)


def machine() -> str:
    """CPUs, CPU model, Python, load average: what the figures depend on."""
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({model}), Python {sys.version.split()[0]}, load average {load}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--latency-n", type=int, default=None, help="closed-loop round trips (default 500; 100 with latency)"
    )
    parser.add_argument("--burst", type=int, default=2000, help="open-loop burst size (default 2000)")
    parser.add_argument("--warmup", type=int, default=50, help="uncounted round trips first (default 50)")
    parser.add_argument("--members", type=int, default=10_000, help="active members in the database")
    parser.add_argument("--seed", type=int, default=1, help="random seed (users and database)")
    parser.add_argument("--bots", choices=("both", "echo", "lag"), default="both", help="which bots to run")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of echo then lag-bot; medians reported (default 3)"
    )
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay of every API call (default 0)")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="plus up to this much at random")
    parser.add_argument(
        "--echo",
        choices=("auto", "sequential", "concurrent"),
        default="auto",
        help="the echo bot's update processing (auto: sequential at 0 ms, concurrent with latency)",
    )
    parser.add_argument(
        "--echo-in-flight",
        type=int,
        default=None,
        help="concurrent echo bot: updates at a time (default PTB's 256 of concurrent_updates(True))",
    )
    parser.add_argument(
        "--update-concurrency", type=int, default=None, help="lag-bot's UPDATE_CONCURRENCY (default: its own)"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="300 members, 20 round trips, burst 100, 1 round: a quick check"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.members, args.latency_n, args.burst, args.warmup, args.repeat = 300, 20, 100, 5, 1
    if args.latency_n is None:
        args.latency_n = 100 if args.latency_ms > 0 else 500
    if args.echo == "auto":
        args.echo = "concurrent" if args.latency_ms > 0 else "sequential"
    if min(args.latency_n, args.burst, args.members, args.repeat) < 1 or args.warmup < 0:
        parser.error("counts must be positive")
    if args.latency_n < 2:
        parser.error("--latency-n must be at least 2 for percentiles")
    return args


async def main_async(args: argparse.Namespace) -> None:
    """Seed, run the chosen bots one after the other (in rounds), print the figures."""
    print(machine(), flush=True)
    rounds: list[dict[str, Result]] = []
    with tempfile.TemporaryDirectory(prefix="lag-bench-") as tmp_name:
        tmp = Path(tmp_name)
        chosen = ["echo", "lag"] if args.bots == "both" else [args.bots]
        if "lag" in chosen:
            started = time.perf_counter()
            await seed_database(tmp / "lag.sqlite3", args.members, random.Random(args.seed))
            print(f"seeded {args.members} members in {time.perf_counter() - started:.1f} s", flush=True)
        for number in range(1, args.repeat + 1):
            results: dict[str, Result] = {}
            for key in chosen:
                subject = subjects(tmp, args)[key]
                started = time.perf_counter()
                results[key] = await measure(subject, args)
                print(
                    f"round {number}: {subject.name} measured in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            rounds.append(results)
    print(
        f"\nwarm-up {args.warmup}, latency N={args.latency_n} (closed loop), burst K={args.burst} "
        f"(open loop), {args.members} members, {args.repeat} round(s), API latency {args.latency_ms:.0f} ms "
        f"(+ jitter up to {args.jitter_ms:.0f} ms), echo bot {args.echo}\n"
    )
    report(rounds, args.latency_ms)


def main(argv: list[str] | None = None) -> int:
    """Entry point; always 0 (a measurement, not a test), unless the run itself breaks."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())

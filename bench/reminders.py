"""10,000 pending reminders: start-up, memory, and the lateness of 100 reminders due together.

    python bench/reminders.py                  # from the repository root, ~25 s
    python bench/reminders.py --pending 50000 --due 300 --no-tracemalloc
    python bench/reminders.py --smoke          # tiny, ~10 s: does it still run?

The database (bench/updates.seed_database: migrations, territory seed, 1,000 members) gets
`--pending` personal reminders inserted directly, spread over the next 7 days (one in five a
daily RRULE), plus `--due` one-off reminders to as many different members, all due at the same
instant about 5 s after the bot is ready (the worst case of "due in the same minute"). Every
member started the bot in the fake; the fake enforces Telegram's limits (30/s overall, 1/s per
chat) and the bot sends with Telegram's SendLimits (passed explicitly: the harness relaxes them).
The real application runs in this process (tests/harness.running_bot) with the real clock.

Printed: start-up time (post_init alone, and build -> polling and jobs started), memory (maxrss,
and the tracemalloc peak during the start-up), and for the due reminders the lateness of each
(arrival of its sendMessage at the fake - its due time) as p50/p95/p99/max, and the "excess
lateness": for the i-th delivered message (i = 0, 1, ...) lateness - i / 30 s, the part the rate
limit does not explain. Goal: p99 of the excess lateness under 1 s. Prints OK/MISSED, exits 0
(1 only if the run breaks: not every due reminder arrived).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/reminders.py` puts bench/, not the root, on the path
    sys.path.insert(0, str(ROOT))

import composition.application as app_module  # noqa: E402
import tests.harness as harness  # noqa: E402
from bench.broadcast import WallClock  # noqa: E402
from bench.updates import FIRST_TELEGRAM_ID, machine, seed_database  # noqa: E402
from lag_bot.clock import iso, iso_ms  # noqa: E402
from lag_bot.db import Database  # noqa: E402
from lag_bot.delivery.ratelimit import SendLimits  # noqa: E402
from lag_bot.emulator import FakeTelegram  # noqa: E402
from tests.harness import TOKEN  # noqa: E402

LIMIT = 30.0  # Telegram's overall limit, the fake's and the bot's default (messages/s)
EXCESS_GOAL = 1.0  # seconds: p99 of the excess lateness under this
MEMBERS = 1000
BERLIN = "Europe/Berlin"


@dataclass(frozen=True)
class Figures:
    """What one run measured."""

    pending: int
    due: int
    post_init_s: float
    startup_s: float  # build_application -> polling and the job queue started
    maxrss_ready_kib: int
    maxrss_end_kib: int
    traced_peak_bytes: int | None
    lateness: list[float]  # per delivered message, in arrival order
    excess: list[float]
    first_fire_lag_s: (
        float  # the due time -> the outbox rows written (not_before of the first row = the firing time)
    )


def pct(values: list[float]) -> tuple[float, float, float, float]:
    """p50, p95, p99 (inclusive interpolation) and max."""
    q = statistics.quantiles(values, n=100, method="inclusive")
    return q[49], q[94], q[98], max(values)


async def seed(path: Path, pending: int, due: int, due_at: datetime, rng: random.Random) -> None:
    """1,000 members, `pending` future reminders spread over 7 days, `due` due at `due_at`."""
    await seed_database(path, MEMBERS, rng)
    db = await Database.open(path)
    try:
        now = datetime.now(UTC)
        created = iso(now)
        rows: list[tuple[Any, ...]] = []
        for i in range(pending):
            member_id = i % MEMBERS + 1
            at = (now + timedelta(hours=1) + timedelta(seconds=rng.randrange(7 * 24 * 3600))).replace(
                second=0, microsecond=0
            )
            rrule = "FREQ=DAILY" if i % 5 == 0 else None
            rows.append(
                (
                    member_id,
                    "member",
                    member_id,
                    None,
                    f"Erinnerung {i}",
                    rrule,
                    BERLIN,
                    at.astimezone(ZoneInfo(BERLIN)).isoformat(),
                    iso_ms(at),
                    "active",
                    created,
                )
            )
        for i in range(due):
            member_id = i + 1
            rows.append(
                (
                    member_id,
                    "member",
                    member_id,
                    None,
                    f"Fällig {i}",
                    None,
                    BERLIN,
                    due_at.isoformat(),
                    iso_ms(due_at),
                    "active",
                    created,
                )
            )
        async with db.transaction():
            await db.executemany(
                "INSERT INTO reminders (created_by, target_kind, member_id, group_id, body, rrule, tz, "
                "first_at, next_due, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        await db.execute("PRAGMA optimize")
    finally:
        await db.close()


def timed_build(timings: dict[str, float]) -> Any:
    """composition.application.build_application (which the harness's `polling` calls), with
    post_init timed."""
    original = app_module.build_application

    def build(settings: Any, clock: Any, *args: Any) -> Any:
        app = original(settings, clock, *args)
        inner = app.post_init
        assert inner is not None

        async def post_init(a: Any) -> None:
            start = time.perf_counter()
            await inner(a)
            timings["post_init"] = time.perf_counter() - start

        app.post_init = post_init
        return app

    return build


async def run(pending: int, due: int, lead: float, trace: bool) -> Figures:
    """Seed, start the bot (timed), wait for the due reminders, measure."""
    with tempfile.TemporaryDirectory(prefix="lag-bench-reminders-") as tmp_name:
        tmp = Path(tmp_name)
        rng = random.Random(5)
        # A placeholder due time for seeding; the real one is set right before the start below.
        due_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=30)
        await seed(tmp / "lag.sqlite3", pending, due, due_at, rng)
        fake = FakeTelegram(token=TOKEN, bot_username="lag_test_bot")
        await fake.start()
        timings: dict[str, float] = {}
        original_build = app_module.build_application
        app_module.build_application = timed_build(timings)
        try:
            for i in range(MEMBERS):
                fake.user(FIRST_TELEGRAM_ID + i, f"Mitglied {i}").started = True
            fake.rate_limits = True  # 30/s overall, 1/s per private chat
            # The due reminders are set ~`lead` s after the bot will be ready: moved now, before start.
            due_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=lead + 2)
            db = await Database.open(tmp / "lag.sqlite3")
            async with db.transaction():
                await db.execute(
                    "UPDATE reminders SET first_at = ?, next_due = ? WHERE body LIKE 'Fällig %'",
                    (due_at.isoformat(), iso_ms(due_at)),
                )
            await db.close()
            if trace:
                tracemalloc.start()
            started = time.perf_counter()
            async with harness.running_bot(fake, tmp, WallClock(), send_limits=SendLimits()) as bot:
                startup = time.perf_counter() - started
                traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
                if trace:
                    tracemalloc.stop()
                maxrss_ready = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                left = (due_at - datetime.now(UTC)).total_seconds()
                if left < 0.5:
                    raise RuntimeError(f"start-up took too long: the due time passed {-left:.1f} s ago")
                first_due = await bot.services.reminders.next_due()
                assert first_due == due_at, (first_due, due_at)
                deadline = time.time() + left + 60
                want = {FIRST_TELEGRAM_ID + i for i in range(due)}
                while time.time() < deadline:
                    got = {int(c.params["chat_id"]) for c in fake.calls_of("sendMessage") if c.ok}
                    if want <= got:
                        break
                    await asyncio.sleep(0.05)
                else:
                    raise RuntimeError(f"only {len(want & got)} of {due} due reminders arrived")
                first_row = await bot.services.db.fetchval(
                    "SELECT min(not_before) FROM deliveries WHERE kind = 'reminder'"
                )
                maxrss_end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        finally:
            app_module.build_application = original_build
            await fake.stop()
    arrivals = sorted(c.at for c in fake.calls_of("sendMessage") if c.ok and int(c.params["chat_id"]) in want)
    due_ts = due_at.timestamp()
    lateness = [at - due_ts for at in arrivals]
    excess = [late - i / LIMIT for i, late in enumerate(lateness)]
    return Figures(
        pending=pending,
        due=due,
        post_init_s=timings.get("post_init", float("nan")),
        startup_s=startup,
        maxrss_ready_kib=maxrss_ready,
        maxrss_end_kib=maxrss_end,
        traced_peak_bytes=traced_peak,
        lateness=lateness,
        excess=excess,
        first_fire_lag_s=(datetime.fromisoformat(str(first_row)) - due_at).total_seconds(),
    )


def show(f: Figures) -> None:
    """Print the figures and the goal."""
    print(f"\n{f.pending:,} pending reminders (+ {f.due} due together) in the database, {MEMBERS:,} members")
    print(
        f"start-up: post_init {1000 * f.post_init_s:.0f} ms; build -> polling and jobs running "
        f"{1000 * f.startup_s:.0f} ms"
    )
    traced = (
        f"; tracemalloc peak during start-up {f.traced_peak_bytes / 2**20:.1f} MiB"
        if f.traced_peak_bytes
        else ""
    )
    print(
        f"memory: maxrss when ready {f.maxrss_ready_kib / 1024:.1f} MiB, at the end "
        f"{f.maxrss_end_kib / 1024:.1f} MiB (bot, fake and bench in one process){traced}"
    )
    print(f"due -> outbox rows written: {1000 * f.first_fire_lag_s:.0f} ms (stored with ms precision)")
    p50, p95, p99, top = pct(f.lateness)
    print(
        f"lateness (arrival at the fake - due), {len(f.lateness)} messages: p50 {p50:.2f} s, "
        f"p95 {p95:.2f} s, p99 {p99:.2f} s, max {top:.2f} s "
        f"(the rate limit alone forces up to {(len(f.lateness) - 1) / LIMIT:.2f} s)"
    )
    e50, e95, e99, etop = pct(f.excess)
    print(
        f"excess lateness (lateness - i/{LIMIT:.0f} s): p50 {e50:.2f} s, p95 {e95:.2f} s, p99 {e99:.2f} s, "
        f"max {etop:.2f} s, min {min(f.excess):.2f} s"
    )
    print(f"goal: p99 excess lateness < {EXCESS_GOAL:.0f} s: {'OK' if e99 < EXCESS_GOAL else 'MISSED'}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pending", type=int, default=10_000, help="future reminders (default 10000)")
    parser.add_argument("--due", type=int, default=100, help="reminders due together (default 100, max 1000)")
    parser.add_argument(
        "--lead", type=float, default=5.0, help="seconds from start to the due time (default 5)"
    )
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the tracemalloc peak")
    parser.add_argument("--smoke", action="store_true", help="500 pending, 20 due, lead 3 s: a quick check")
    args = parser.parse_args(argv)
    if args.smoke:
        args.pending, args.due, args.lead, args.no_tracemalloc = 500, 20, 3.0, True
    if not 2 <= args.due <= MEMBERS:
        parser.error(f"--due must be between 2 and {MEMBERS}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point; 0 whatever the goal says, 1 only if the run broke."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(machine(), flush=True)
    try:
        figures = asyncio.run(run(args.pending, args.due, args.lead, not args.no_tracemalloc))
    except RuntimeError as exc:
        print(f"reminders bench failed: {exc}", file=sys.stderr)
        return 1
    show(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A broadcast to 1,000 members against the fake API enforcing Telegram's 30 messages/s.

    python bench/broadcast.py                   # from the repository root, ~40 s
    python bench/broadcast.py --members 300 --no-tracemalloc

The real application (tests/harness.running_bot, in this process) drains the outbox with its
default SendLimits (30/s overall, 1/s per chat); the fake (lag_bot/emulator) runs with
`rate_limits = True` and its default limits (30/s overall, 1/s per private chat with a burst
of 3) and answers 429 whenever the bot goes faster. The broadcast is created with
`services.broadcasts.create(...)` like the /rundschreiben confirmation does. Printed: the achieved
rate as a share of 30/s (goal >= 0.9), the share of 429 answers among sends (goal < 1 %), the time
from `create` to the first message, and peak memory. See bench/README.md for the last results.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/broadcast.py` puts bench/, not the root, on the path
    sys.path.insert(0, str(ROOT))

from bench.updates import FIRST_TELEGRAM_ID, machine, seed_database  # noqa: E402
from lag_bot.audience import AudienceSpec  # noqa: E402
from lag_bot.authorization import Actor  # noqa: E402
from lag_bot.broadcasts import Draft, Report  # noqa: E402
from lag_bot.emulator import ApiCall, FakeTelegram  # noqa: E402
from lag_bot.models import Role  # noqa: E402
from tests.harness import ADMIN_ID, TOKEN, TestClock, running_bot  # noqa: E402

LIMIT = 30.0  # messages per second: Telegram's, the fake's and the bot's default
RATE_GOAL = 0.9  # achieved rate at least this share of LIMIT
RATE_429_GOAL = 0.01  # 429 answers under this share of all sends
BODY = (
    "<b>Einladung zur Landesversammlung</b>\n\n"
    "Liebe Mitglieder, am Samstag treffen wir uns in Güstrow. Beginn 10 Uhr, "
    '<a href="https://example.org/lv">Tagesordnung</a>.'
)


class WallClock(TestClock):
    """The real time (the sender schedules retries by the clock, so it must move)."""

    __test__ = False

    def __call__(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Figures:
    """What one run measured."""

    members: int
    delivered: int  # successful sendMessage calls to members
    attempts: int  # all sendMessage calls
    too_many: int  # of which answered 429
    created_at: float  # wall time just before `create`
    create_seconds: float  # how long `create` took
    first_at: float  # the fake's time of the first delivered message
    last_at: float
    max_in_one_second: int  # most deliveries in any sliding 1 s window at the fake
    maxrss_before_kib: int
    maxrss_after_kib: int
    traced_peak_bytes: int | None
    report: Report

    @property
    def elapsed(self) -> float:
        """From `create` to the last delivery."""
        return self.last_at - self.created_at

    @property
    def rate(self) -> float:
        """Delivered messages per second from `create` to the last delivery."""
        return self.delivered / self.elapsed

    @property
    def share_429(self) -> float:
        """429 answers among all sendMessage calls."""
        return self.too_many / self.attempts if self.attempts else 0.0


def max_in_window(times: list[float], span: float = 1.0) -> int:
    """The most events in any window of `span` seconds (times sorted)."""
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= span:
            start += 1
        best = max(best, end - start + 1)
    return best


def sends(calls: list[ApiCall]) -> list[ApiCall]:
    """The sendMessage calls (the only method a text broadcast uses)."""
    return [c for c in calls if c.method.lower() == "sendmessage"]


async def run(members: int, trace: bool, drain_seconds: float) -> Figures:
    """Seed, start the bot, create the broadcast, wait until the outbox is drained."""
    with tempfile.TemporaryDirectory(prefix="lag-bench-broadcast-") as tmp_name:
        tmp = Path(tmp_name)
        await seed_database(tmp / "lag.sqlite3", members, random.Random(1))
        fake = FakeTelegram(token=TOKEN, bot_username="lag_test_bot")
        await fake.start()
        try:
            for i in range(members):  # every member wrote to the bot once (as after onboarding)
                fake.user(FIRST_TELEGRAM_ID + i, f"Mitglied {i}").started = True
            fake.rate_limits = True  # the fake's default limits: 30/s, 1/s per chat (burst 3)
            async with running_bot(fake, tmp, WallClock()) as bot:
                sender = bot.services.sender
                assert sender is not None
                before = len(fake.calls)
                maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                if trace:
                    tracemalloc.start()
                actor = Actor(ADMIN_ID, None, Role.ADMIN)
                draft = Draft(body_html=BODY, audience=AudienceSpec(members="all"))
                created_at = time.time()
                broadcast_id = await bot.services.broadcasts.create(actor, draft, read_labels={})
                create_seconds = time.time() - created_at
                await sender.drained(drain_seconds)
                traced_peak = tracemalloc.get_traced_memory()[1] if trace else None
                if trace:
                    tracemalloc.stop()
                report = await bot.services.broadcasts.report(broadcast_id)
                errors = await bot.services.db.fetchall(
                    "SELECT last_error, count(*) FROM deliveries WHERE status = 'failed' GROUP BY 1"
                )
                maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        finally:
            await fake.stop()
    attempts = sends(fake.calls[before:])
    delivered = [c.at for c in attempts if c.ok]
    if not delivered:
        why = "; ".join(f"{row[1]} x {row[0]!r}" for row in errors)
        raise RuntimeError(f"nothing was delivered: {report.failed} of {report.total} rows failed: {why}")
    return Figures(
        members=members,
        delivered=len(delivered),
        attempts=len(attempts),
        too_many=sum(1 for c in attempts if c.error_code == 429),
        created_at=created_at,
        create_seconds=create_seconds,
        first_at=delivered[0],
        last_at=delivered[-1],
        max_in_one_second=max_in_window(delivered),
        maxrss_before_kib=maxrss_before,
        maxrss_after_kib=maxrss_after,
        traced_peak_bytes=traced_peak,
        report=report,
    )


def verdict(ok: bool) -> str:
    """OK or MISSED."""
    return "OK" if ok else "MISSED"


def show(f: Figures) -> None:
    """Print the figures and the goals."""
    r = f.report
    print(
        f"\n{f.members} recipients; report: sent {r.sent}, unreachable {r.unreachable}, failed {r.failed}, "
        f"pending {r.pending}, possible duplicates {r.duplicates}"
    )
    print(
        f"delivered {f.delivered} in {f.elapsed:.2f} s (create -> last message); "
        f"first -> last {f.last_at - f.first_at:.2f} s; most in any 1 s window: {f.max_in_one_second}"
    )
    ratio = f.rate / LIMIT
    print(
        f"rate: {f.rate:.2f} msg/s = {ratio:.3f} of {LIMIT:.0f}/s    goal >= {RATE_GOAL}: "
        f"{verdict(ratio >= RATE_GOAL)}"
    )
    print(
        f"429 answers: {f.too_many} of {f.attempts} sendMessage calls = {100 * f.share_429:.2f} %    "
        f"goal < {100 * RATE_429_GOAL:.0f} %: {verdict(f.share_429 < RATE_429_GOAL)}"
    )
    print(
        f"time to first message: {1000 * (f.first_at - f.created_at):.0f} ms after create() was called "
        f"(create() itself: {1000 * f.create_seconds:.0f} ms)"
    )
    traced = (
        f"; tracemalloc peak during the broadcast {f.traced_peak_bytes / 2**20:.1f} MiB"
        if f.traced_peak_bytes is not None
        else ""
    )
    print(
        f"memory: maxrss {f.maxrss_after_kib / 1024:.1f} MiB (before create: "
        f"{f.maxrss_before_kib / 1024:.1f} MiB; bot, fake and bench in one process){traced}"
    )
    if r.sent != f.members or r.pending or r.failed:
        print("NOTE: not every recipient was delivered: see the report line above")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1000, help="recipients (default 1000)")
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="skip the tracemalloc peak (it slows Python a little)"
    )
    parser.add_argument("--drain-seconds", type=float, default=300.0, help="how long to wait at most")
    args = parser.parse_args(argv)
    if args.members < 1:
        parser.error("--members must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point; 0 whatever the goals say, 1 only if nothing could be delivered at all."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(machine(), flush=True)
    try:
        figures = asyncio.run(run(args.members, not args.no_tracemalloc, args.drain_seconds))
    except RuntimeError as exc:
        print(f"broadcast bench failed: {exc}", file=sys.stderr)
        return 1
    show(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Memory of the bot process: 10,000 members, 10,000 pending reminders and a running broadcast.

    python bench/memory.py                     # from the repository root, ~75 s
    python bench/memory.py --fast              # the whole broadcast drained, limits lifted (~40 s)
    python bench/memory.py --smoke             # tiny, ~15 s: does it still run?

The bot runs as its own process, exactly as deployed (`python -m composition run`, configured through
the environment like tests/bot_process.py does; Telegram's default SendLimits), so its RSS is the
bot's alone; the fake Telegram API (lag_bot/emulator, `rate_limits = True`) and this script run in
this process. The database (bench/updates.seed_database) holds `--members` active members and
`--reminders` pending personal reminders (due 1 h to 7 days ahead, one in five daily). The admin
from ADMIN_IDS sends a broadcast to all members through the /rundschreiben dialog
(bench/broadcast.send_via_dialog), and the bot's RSS is sampled every 0.25 s from
/proc/<pid>/status (VmRSS; VmHWM is the kernel's peak) while the broadcast runs for `--seconds`
(at 30/s, ~1,300 of the 10,000 in 45 s), or, with `--fast` (SEND_PER_SECOND=1000, the fake's
limits off), until the whole broadcast is delivered. Goal: peak RSS under 150 MB (MB = 10^6 bytes).
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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/memory.py` puts bench/, not the root, on the path
    sys.path.insert(0, str(ROOT))

from bench.broadcast import MARK, final_report, send_via_dialog  # noqa: E402
from bench.updates import FIRST_TELEGRAM_ID, machine, seed_database  # noqa: E402
from lag_bot.clock import iso, iso_ms  # noqa: E402
from lag_bot.db import Database  # noqa: E402
from lag_bot.emulator import FakeTelegram, NoMessageError  # noqa: E402
from tests.bot_process import start_bot, stop_bot  # noqa: E402
from tests.harness import ADMIN_ID, TOKEN  # noqa: E402

GOAL_BYTES = 150_000_000
BERLIN = "Europe/Berlin"


async def seed_reminders(path: Path, members: int, count: int, rng: random.Random) -> None:
    """`count` pending personal reminders, due 1 h to 7 days ahead, one in five daily."""
    db = await Database.open(path)
    try:
        now = datetime.now(UTC)
        created = iso(now)
        rows: list[tuple[Any, ...]] = []
        for i in range(count):
            member_id = i % members + 1
            at = (now + timedelta(hours=1, seconds=rng.randrange(7 * 24 * 3600))).replace(
                second=0, microsecond=0
            )
            rows.append(
                (
                    member_id,
                    "member",
                    member_id,
                    None,
                    f"Erinnerung {i}",
                    "FREQ=DAILY" if i % 5 == 0 else None,
                    BERLIN,
                    at.astimezone(ZoneInfo(BERLIN)).isoformat(),
                    iso_ms(at),
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
    finally:
        await db.close()


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in bytes."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            figures[key] = int(value.split()[0]) * 1024
    return figures


@dataclass
class Samples:
    """RSS samples of the bot process: (seconds since the start, bytes)."""

    rss: list[tuple[float, int]] = field(default_factory=list)
    marks: dict[str, int] = field(default_factory=dict)  # phase -> VmRSS at its end

    @property
    def peak(self) -> int:
        """The largest VmRSS seen (samples and phase ends)."""
        return max([b for _, b in self.rss] + list(self.marks.values()))


async def sample(pid: int, samples: Samples, start: float) -> None:
    """Sample VmRSS every 0.25 s until cancelled."""
    while True:
        try:
            samples.rss.append((time.monotonic() - start, proc_status(pid)["VmRSS"]))
        except (OSError, KeyError):
            return
        await asyncio.sleep(0.25)


def mb(value: int) -> str:
    """Bytes as MB (10^6) and MiB."""
    return f"{value / 1e6:.1f} MB ({value / 2**20:.1f} MiB)"


async def run(args: argparse.Namespace) -> int:
    """Seed, start the bot process, broadcast, sample, stop; 0 unless the run broke."""
    with tempfile.TemporaryDirectory(prefix="lag-bench-memory-") as tmp_name:
        tmp = Path(tmp_name)
        started = time.perf_counter()
        await seed_database(tmp / "lag.sqlite3", args.members, random.Random(3))
        await seed_reminders(tmp / "lag.sqlite3", args.members, args.reminders, random.Random(4))
        print(
            f"seeded {args.members} members and {args.reminders} pending reminders in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        fake = FakeTelegram(token=TOKEN, bot_username="lag_test_bot")
        await fake.start()
        users = [fake.user(FIRST_TELEGRAM_ID + i, f"Mitglied {i}") for i in range(args.members)]
        for user in users:
            user.started = True
        admin = fake.user(ADMIN_ID, "Ada", last_name="Admin", language_code="de")
        extra = {"LOG_LEVEL": "WARNING"}
        if args.fast:
            extra.update(SEND_PER_SECOND="1000", SEND_PER_CHAT_PER_SECOND="100")
        else:
            fake.rate_limits = True
        samples = Samples()
        begin = time.monotonic()
        sampler: asyncio.Task[None] | None = None
        status = 0
        delivered = 0
        try:
            with (tmp / "bot.log").open("ab") as log:
                proc = await start_bot(fake, tmp, log, **extra)
                sampler = asyncio.create_task(sample(proc.pid, samples, begin))
                try:
                    while not fake.calls_of("getUpdates"):
                        if proc.returncode is not None or time.monotonic() - begin > 60:
                            raise RuntimeError("the bot did not start polling")
                        await asyncio.sleep(0.05)
                    await asyncio.sleep(1.0)  # post_init done, polling: the idle bot
                    samples.marks["ready (polling)"] = proc_status(proc.pid)["VmRSS"]
                    dialog = await send_via_dialog(admin)
                    samples.marks["broadcast created"] = proc_status(proc.pid)["VmRSS"]
                    if args.fast:
                        await final_report(admin, dialog.progress, args.members / 100 + 120)
                    else:
                        await asyncio.sleep(args.seconds)
                    samples.marks["broadcast running" if not args.fast else "broadcast done"] = proc_status(
                        proc.pid
                    )["VmRSS"]
                    delivered = sum(1 for u in users if any(MARK in m.text for m in u.messages))
                    hwm = proc_status(proc.pid)["VmHWM"]
                finally:
                    code = await stop_bot(proc)
                    if sampler is not None:
                        sampler.cancel()
            if code != 0:
                print(f"the bot exited with {code}; its log:", file=sys.stderr)
                print((tmp / "bot.log").read_text()[-3000:], file=sys.stderr)
                status = 1
        except (RuntimeError, NoMessageError) as exc:
            print(f"memory bench failed: {exc}", file=sys.stderr)
            print((tmp / "bot.log").read_text()[-3000:], file=sys.stderr)
            return 1
        finally:
            await fake.stop()
    if args.fast and delivered != args.members:
        print(f"only {delivered} of {args.members} members got the broadcast", file=sys.stderr)
        status = 1
    peak = max(samples.peak, hwm)
    print(
        f"\n{args.members} members, {args.reminders} pending reminders, broadcast to all "
        f"({'limits lifted, drained' if args.fast else f'30/s, observed {args.seconds:.0f} s'}): "
        f"{delivered} delivered while sampled"
    )
    for phase, value in samples.marks.items():
        print(f"  bot VmRSS {phase:<20} {mb(value)}")
    print(
        f"  bot VmRSS peak of {len(samples.rss)} samples and the phase ends: {mb(samples.peak)}; "
        f"VmHWM (kernel's peak): {mb(hwm)}"
    )
    verdict = "OK" if peak < GOAL_BYTES else "MISSED"
    print(f"goal: bot peak RSS < {GOAL_BYTES / 1e6:.0f} MB: {verdict}")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"(this process, the fake and the bench: ru_maxrss {mb(own)})")
    return status


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=10_000, help="active members (default 10000)")
    parser.add_argument("--reminders", type=int, default=10_000, help="pending reminders (default 10000)")
    parser.add_argument(
        "--seconds", type=float, default=45.0, help="how long the broadcast runs while sampled (default 45)"
    )
    parser.add_argument("--fast", action="store_true", help="lift the limits and drain the whole broadcast")
    parser.add_argument("--smoke", action="store_true", help="300 members and reminders, 5 s: a quick check")
    args = parser.parse_args(argv)
    if args.smoke:
        args.members, args.reminders, args.seconds = 300, 300, 5.0
    if args.members < 1 or args.reminders < 0 or args.seconds <= 0:
        parser.error("need members >= 1, reminders >= 0, seconds > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point: 0 whatever the goal says, 1 if the run broke."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(machine(), flush=True)
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())

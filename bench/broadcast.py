"""A broadcast to 1,000 members through the real /rundschreiben dialog, at Telegram's 30 messages/s.

    python bench/broadcast.py                   # from the repository root, ~40 s
    python bench/broadcast.py --latency-ms 80   # every Bot API call 80 ms away
    python bench/broadcast.py --smoke           # tiny, a few seconds: does it still run?

The real application (tests/harness.running_bot, in this process, real clock) with Telegram's
SendLimits (30/s overall, 1/s per chat), against the fake (lag_bot/emulator) with
`rate_limits = True` (30/s overall, 1/s per private chat after a burst of 3), which answers 429
whenever the bot goes faster. The admin from ADMIN_IDS (no profile of their own, so not a
recipient) drives the dialog as a coordinator would: /rundschreiben, "Neues Rundschreiben", the
text, audience "Alle Mitglieder", "Vorschau" (the preview and the confirmation go to their chat),
"Senden" (the progress message, edited every 2 s into the final report). So every message the bot
sends around a broadcast is part of the measurement. Goals: rate >= 0.97 of 30/s, 429 answers
under 0.5 % of all sends, 0 lost (every recipient exactly one copy). See bench/README.md.
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
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/broadcast.py` puts bench/, not the root, on the path
    sys.path.insert(0, str(ROOT))

from bench.updates import FIRST_TELEGRAM_ID, machine, seed_database  # noqa: E402
from lag_bot.broadcasts.model import Report  # noqa: E402
from lag_bot.delivery.ratelimit import SendLimits  # noqa: E402
from lag_bot.emulator import ApiCall, FakeTelegram, NoMessageError, SimMessage, SimUser  # noqa: E402
from tests.harness import ADMIN_ID, TOKEN, TestClock, running_bot  # noqa: E402

LIMIT = 30.0  # messages per second: Telegram's, the fake's and the bot's default
RATE_GOAL = 0.97  # achieved rate at least this share of LIMIT
RATE_429_GOAL = 0.005  # 429 answers under this share of all sends
MARK = "Einladung zur Landesversammlung"
BODY = (
    f"<b>{MARK}</b>\n\n"
    "Liebe Mitglieder, am Samstag treffen wir uns in Güstrow. Beginn 10 Uhr, "
    '<a href="https://example.org/lv">Tagesordnung</a>.'
)
NEW = "✍️ Neues Rundschreiben"
STEP_TIMEOUT = 30.0  # seconds for one dialog step (the bot keeps 1/s in the admin's chat)


class WallClock(TestClock):
    """The real time (the sender schedules retries by the clock, so it must move)."""

    __test__ = False

    def __call__(self) -> datetime:
        return datetime.now(UTC)


def counted(call: ApiCall) -> bool:
    """Whether Telegram counts the call against the message limits (sends and edits)."""
    name = call.method.lower()
    return (name.startswith("send") and name != "sendchataction") or name.startswith(
        ("edit", "copymessage", "forwardmessage")
    )


@dataclass(frozen=True)
class Dialog:
    """When the coordinator did what, and the progress message."""

    started_at: float  # wall time of /rundschreiben
    preview_at: float  # the "Vorschau" press
    press_at: float  # the "Senden" press (put into the update queue)
    progress: SimMessage


async def press_and_edit(user: SimUser, message: SimMessage, label: str) -> SimMessage:
    """Press a button of a screen edited in place; its new state."""
    await user.press(message, label)
    return await user.wait_edit(message, timeout=STEP_TIMEOUT)


async def expect(user: SimUser, fragment: str) -> SimMessage:
    """The next bot message (or edit) to `user` containing `fragment`."""
    return await user.wait_for(lambda m: fragment in m.text, timeout=STEP_TIMEOUT)


async def send_via_dialog(admin: SimUser, body: str = BODY) -> Dialog:
    """/rundschreiben as a coordinator: new, text, all members, preview, send; returns at the
    progress message (the outbox is running by then)."""
    started_at = time.time()
    await admin.send("/rundschreiben")
    listing = await admin.wait_for(lambda m: NEW in m.button_texts(), timeout=STEP_TIMEOUT)
    await admin.press(listing, NEW)
    await expect(admin, "Schreib jetzt den Text")
    await admin.send(body)
    screen = await expect(admin, "Erreicht jetzt")
    if "Mitglieder: alle" not in screen.text:
        screen = await press_and_edit(admin, screen, "Alle Mitglieder")
    preview_at = time.time()
    await admin.press(screen, "👁 Vorschau")
    confirm = await expect(admin, "Jetzt senden?")
    press_at = time.time()  # ApiCall.at is time.time() too
    await admin.press(confirm, "📨 Senden")
    progress = await expect(admin, "Rundschreiben #")
    return Dialog(started_at, preview_at, press_at, progress)


async def final_report(admin: SimUser, progress: SimMessage, seconds: float) -> SimMessage:
    """Wait until the progress message has become the final report."""
    return await admin.wait_for(
        lambda m: (
            m.message_id == progress.message_id
            and "nicht erreichbar" in m.text
            and "noch offen" not in m.text
        ),
        timeout=seconds,
    )


@dataclass(frozen=True)
class Figures:
    """What one run measured."""

    members: int
    latency_ms: float
    jitter_ms: float
    delivered: int  # successful sendMessage calls to members
    copies: Counter[int]  # member telegram id -> copies of the broadcast in their chat
    sends_all: int  # counted calls (sends and edits) from /rundschreiben to the final report
    too_many_all: int  # of which answered 429
    sends_after_press: int  # counted calls from the "Senden" press on
    too_many_after_press: int
    admin_sends: int  # counted calls to the admin's chat from the press on (progress edits)
    dialog: Dialog
    first_at: float  # the fake's time of the first delivered copy
    last_at: float
    max_in_one_second: int  # most successful counted calls in any sliding 1 s window at the fake
    busy_times: list[float]  # the fake's times of the successful counted calls, press -> last copy
    maxrss_before_kib: int
    maxrss_after_kib: int
    traced_peak_bytes: int | None
    report: Report
    report_text: str

    @property
    def rate(self) -> float:
        """Delivered copies per second from the "Senden" press to the last delivery."""
        return self.delivered / (self.last_at - self.dialog.press_at)

    @property
    def rate_first(self) -> float:
        """Delivered copies per second from the first to the last delivery."""
        return (self.delivered - 1) / (self.last_at - self.first_at) if self.delivered > 1 else 0.0

    @property
    def lost(self) -> int:
        """Recipients without a copy."""
        return self.members - len(self.copies)

    @property
    def duplicated(self) -> int:
        """Recipients with more than one copy."""
        return sum(1 for n in self.copies.values() if n > 1)


def max_in_window(times: list[float], span: float = 1.0) -> int:
    """The most events in any window of `span` seconds (times sorted)."""
    best, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= span:
            start += 1
        best = max(best, end - start + 1)
    return best


async def run(args: argparse.Namespace) -> Figures:
    """Seed, start the bot, drive the dialog, wait for the final report, count."""
    members = args.members
    with tempfile.TemporaryDirectory(prefix="lag-bench-broadcast-") as tmp_name:
        tmp = Path(tmp_name)
        await seed_database(tmp / "lag.sqlite3", members, random.Random(1))
        fake = FakeTelegram(token=TOKEN, bot_username="lag_test_bot")
        await fake.start()
        try:
            users = [fake.user(FIRST_TELEGRAM_ID + i, f"Mitglied {i}") for i in range(members)]
            for user in users:  # every member wrote to the bot once (as after onboarding)
                user.started = True
            admin = fake.user(ADMIN_ID, "Ada", last_name="Admin", language_code="de")
            fake.rate_limits = True  # the fake's default limits: 30/s, 1/s per chat (burst 3)
            fake.set_latency(args.latency_ms, args.jitter_ms)
            async with running_bot(fake, tmp, WallClock(), send_limits=SendLimits()) as bot:
                first_call = len(fake.calls)
                maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                if args.trace:
                    tracemalloc.start()
                dialog = await send_via_dialog(admin)
                report_message = await final_report(admin, dialog.progress, args.drain_seconds)
                traced_peak = tracemalloc.get_traced_memory()[1] if args.trace else None
                if args.trace:
                    tracemalloc.stop()
                broadcast_id = await bot.services.db.fetchval("SELECT max(id) FROM broadcasts")
                report = await bot.services.broadcasts.report(int(broadcast_id))
                maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        finally:
            await fake.stop()
    calls = fake.calls[first_call:]
    after = [c for c in calls if c.at >= dialog.press_at]
    member_ids = {u.id for u in users}
    delivered = [
        c.at
        for c in after
        if c.ok and c.method.lower() == "sendmessage" and int(c.params.get("chat_id", 0)) in member_ids
    ]
    if not delivered:
        raise RuntimeError(f"nothing was delivered: {report}")
    copies = Counter({u.id: sum(1 for m in u.messages if MARK in m.text) for u in users})
    copies = +copies  # drop the zeros
    counted_all = [c for c in calls if counted(c)]
    counted_after = [c for c in after if counted(c)]
    return Figures(
        members=members,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        delivered=len(delivered),
        copies=copies,
        sends_all=len(counted_all),
        too_many_all=sum(1 for c in counted_all if c.error_code == 429),
        sends_after_press=len(counted_after),
        too_many_after_press=sum(1 for c in counted_after if c.error_code == 429),
        admin_sends=sum(1 for c in counted_after if int(c.params.get("chat_id", 0)) == ADMIN_ID),
        dialog=dialog,
        first_at=min(delivered),
        last_at=max(delivered),
        max_in_one_second=max_in_window(sorted(c.at for c in counted_after if c.ok)),
        busy_times=sorted(c.at for c in counted_after if c.ok and c.at <= max(delivered)),
        maxrss_before_kib=maxrss_before,
        maxrss_after_kib=maxrss_after,
        traced_peak_bytes=traced_peak,
        report=report,
        report_text=report_message.text,
    )


def verdict(ok: bool) -> str:
    """OK or MISSED."""
    return "OK" if ok else "MISSED"


def show(f: Figures) -> bool:
    """Print the figures and the goals; False if copies were lost or duplicated."""
    r = f.report
    d = f.dialog
    print(
        f"\n{f.members} recipients, latency {f.latency_ms:.0f} ms (+ jitter up to {f.jitter_ms:.0f} ms); "
        f"report: sent {r.sent}, unreachable {r.unreachable}, failed {r.failed}, pending {r.pending}, "
        f"possible duplicates {r.duplicates}"
    )
    print(
        f"dialog: /rundschreiben -> 'Senden' pressed {d.press_at - d.started_at:.2f} s "
        f"(preview -> press {d.press_at - d.preview_at:.2f} s); press -> first copy "
        f"{1000 * (f.first_at - d.press_at):.0f} ms; press -> last copy {f.last_at - d.press_at:.2f} s"
    )
    print(
        f"delivered {f.delivered}; most sends+edits in any 1 s window at the fake: {f.max_in_one_second}; "
        f"{f.admin_sends} sends/edits to the coordinator's chat after the press (progress)"
    )
    ratio = f.rate / LIMIT
    print(
        f"rate (delivered / (last copy - 'Senden' press)): {f.rate:.2f} msg/s = {ratio:.3f} of "
        f"{LIMIT:.0f}/s    goal >= {RATE_GOAL}: {verdict(ratio >= RATE_GOAL)}    "
        f"(first -> last copy: {f.rate_first:.2f} msg/s = {f.rate_first / LIMIT:.3f})"
    )
    span = f.last_at - f.dialog.press_at
    gaps = [b - a for a, b in zip(f.busy_times, f.busy_times[1:], strict=False)]
    long_gaps = [g for g in gaps if g > 2 / LIMIT]
    print(
        f"all sends and edits press -> last copy: {len(f.busy_times)} = {len(f.busy_times) / span:.2f}/s = "
        f"{len(f.busy_times) / span / LIMIT:.3f} of {LIMIT:.0f}/s; gaps between two over "
        f"{2000 / LIMIT:.0f} ms: {len(long_gaps)}, {sum(long_gaps) - len(long_gaps) / LIMIT:.2f} s lost in "
        f"them, longest {1000 * max(gaps, default=0):.0f} ms"
    )
    share = f.too_many_all / f.sends_all if f.sends_all else 0.0
    print(
        f"429 answers: {f.too_many_all} of {f.sends_all} sends and edits = {100 * share:.2f} %    "
        f"goal < {100 * RATE_429_GOAL:.1f} %: {verdict(share < RATE_429_GOAL)}    "
        f"(from the press on: {f.too_many_after_press} of {f.sends_after_press})"
    )
    intact = f.lost == 0 and f.duplicated == 0
    print(
        f"copies: {len(f.copies)} of {f.members} recipients have one or more, lost {f.lost}, "
        f"more than one {f.duplicated}    goal 0 lost: {verdict(intact)}"
    )
    traced = (
        f"; tracemalloc peak from /rundschreiben to the report {f.traced_peak_bytes / 2**20:.1f} MiB"
        if f.traced_peak_bytes is not None
        else ""
    )
    print(
        f"memory: maxrss {f.maxrss_after_kib / 1024:.1f} MiB (before: {f.maxrss_before_kib / 1024:.1f} MiB; "
        f"bot, fake and bench in one process){traced}"
    )
    print("final report: " + f.report_text.replace("\n", " | "))
    return intact and r.sent == f.members


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--members", type=int, default=1000, help="recipients (default 1000)")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay of every API call (default 0)")
    parser.add_argument("--jitter-ms", type=float, default=0.0, help="plus up to this much at random")
    parser.add_argument(
        "--no-tracemalloc", dest="trace", action="store_false", help="skip the tracemalloc peak"
    )
    parser.add_argument("--drain-seconds", type=float, default=300.0, help="how long to wait at most")
    parser.add_argument("--smoke", action="store_true", help="60 recipients, no tracemalloc: a quick check")
    args = parser.parse_args(argv)
    if args.smoke:
        args.members, args.trace, args.drain_seconds = 60, False, 30.0
    if args.members < 1 or args.latency_ms < 0 or args.jitter_ms < 0:
        parser.error("--members must be positive, latencies not negative")
    return args


def main(argv: list[str] | None = None) -> int:
    """Entry point; 0 whatever the goals say, 1 if the run broke (dialog stuck, copies lost or twice)."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(machine(), flush=True)
    try:
        figures = asyncio.run(run(args))
    except (RuntimeError, NoMessageError) as exc:
        print(f"broadcast bench failed: {exc}", file=sys.stderr)
        return 1
    return 0 if show(figures) else 1


if __name__ == "__main__":
    sys.exit(main())

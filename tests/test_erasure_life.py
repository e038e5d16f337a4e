"""A member's whole life, then `/austreten`: afterwards no table, and no byte of the database file or
its write-ahead log, holds her Telegram id, her internal id (in a member reference), any name she
used or her username. What stays is anonymous: the audit entry that an erasure happened, and her
question in the archive without any trace of who asked. Then: a restored backup loses her again."""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from lag_bot.db import Database
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.migrate import apply_migrations
from lag_bot.operations.backup import backup_database
from lag_bot.operations.erasure_ledger import ErasureLedger
from lag_bot.repositories.personal_data import PersonalDataRepository
from tests.event_world import draft
from tests.harness import RunningBot, TestClock, running_bot
from tests.question_world import (
    KREIS_FACTION,
    KREIS_LEVEL,
    KREISTAG,
    answer_in,
    ask,
    card_in,
    councillor,
    faction_group,
    send_question,
)
from tests.story import choose, expect, join
from tests.test_backup_restore import _lag_bot
from tests.test_broadcast import compose, coordinator, preview, send_now
from tests.texts import fragment, said

pytestmark = pytest.mark.usefixtures("running_clock")

TELEGRAM_ID = 7_355_608
USERNAME = "erika_eib"
FIRST_NAME, OLD_NAME, NEW_NAME = "Erika Eibenstock", "Eibenstock", "Ehlers"


async def member_references(db: Database) -> list[tuple[str, str]]:
    """(table, column) of every column that refers to a member: by foreign key, and the audit's."""
    found = [("audit_log", "actor_id"), ("audit_log", "target_id")]
    for (table,) in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in await db.fetchall(f"PRAGMA foreign_key_list({table})"):
            if row["table"] == "members":
                found.append((table, row["from"]))
    return found


async def scan_tables(db: Database, member_id: int) -> list[str]:
    """Every row (all columns as text) that still holds her."""
    words = (str(TELEGRAM_ID), USERNAME.lower(), OLD_NAME.lower(), NEW_NAME.lower())
    leaks = []
    tables = [r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert "members" in tables and "dialogs" in tables
    for table in tables:
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            text = " ".join(str(v) for v in tuple(row)).lower()
            leaks += [f"{table}: {word} in {tuple(row)}" for word in words if word in text]
    for table, column in await member_references(db):
        count = await db.fetchval(f"SELECT count(*) FROM {table} WHERE {column} = ?", (member_id,))
        if count:
            leaks.append(f"{table}.{column} still refers to member #{member_id} ({count} rows)")
    return leaks


def scan_files(database: Path) -> list[str]:
    """Her traces in the raw bytes of the database file and its write-ahead log."""
    words = [w.encode() for w in (str(TELEGRAM_ID), USERNAME, OLD_NAME, NEW_NAME)]
    leaks = []
    for path in (database, database.with_name(database.name + "-wal")):
        raw = path.read_bytes() if path.exists() else b""
        leaks += [f"{path.name}: {word!r} x{raw.count(word)}" for word in words if word in raw]
    return leaks


async def test_a_whole_life_then_erasure_leaves_nothing(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7401, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    fake.user(TELEGRAM_ID, "Erika", last_name=OLD_NAME, username=USERNAME)
    erika = await councillor(fake, admin, TELEGRAM_ID, FIRST_NAME)
    kora = await councillor(fake, admin, 7_355_700, "Kora Kreis", level=KREIS_LEVEL)
    db = bot.services.db
    member_id = int(await db.fetchval("SELECT id FROM members WHERE telegram_id = ?", (TELEGRAM_ID,)))

    # An event: she says yes.
    actor = await bot.services.authorizer.actor(admin.id)
    await bot.services.events.publishing.publish(actor, draft())
    await erika.press(await expect(erika, "LAG-Sitzung Dezember"), "✅ Zusage")
    await erika.wait_for(lambda m: "Deine Antwort: Zusage" in m.text)
    # A reminder.
    await erika.send("/erinnerung in 10 Minuten Kreistag vorbereiten")
    await choose(erika, fragment("reminder-confirm"), said("reminder-btn-yes"))
    await expect(erika, "Gespeichert")
    # A named and a pseudonymous question to the Kreistag faction.
    named = await send_question(
        erika, await ask(erika, f"⭐ {KREISTAG}", "Bildung", "Wann kommt der Schulentwicklungsplan?")
    )
    hidden = await send_question(
        erika,
        await ask(erika, f"⭐ {KREISTAG}", "Bildung", "Wer zahlt die Schulbusse?", pseudonymous=True),
    )
    named_card = await card_in(kt, named, bot=bot)
    assert FIRST_NAME in named_card.text
    hidden_card = await card_in(kt, hidden, bot=bot)
    # The faction answers the named one; both agree to put it into the archive.
    await kora.send_in(kt, "Im Frühjahr.", reply_to=named_card)
    done = await kt.wait_for(lambda m: said("question-answer-sent", id=named) in m.text)
    answer = await answer_in(erika, named, bot)
    await kora.press(done, said("question-btn-archive-yes"))
    await kt.wait_edit(done)
    await erika.press(answer, said("question-btn-archive-yes"))
    await expect(erika, said("question-archive-now-asker", id=named))
    # A broadcast with "Gelesen ✓".
    mark = "Bitte lest den Haushaltsentwurf"
    screen = await compose(admin, f"{mark} bis Freitag.")
    await admin.press(screen, said("broadcast-btn-read-off"))
    screen = await admin.wait_edit(screen)
    await send_now(admin, await preview(admin, screen))
    copy = await erika.wait_for(lambda m: mark in m.text)
    await erika.press(copy, said("broadcast-read-label"))
    # She changes her name; a coordinator searches her new surname and opens her card.
    await erika.send("/profil")
    await erika.press(await expect(erika, fragment("profile-show")), said("profile-edit-name"))
    await expect(erika, said("wizard-name"))
    await erika.send(f"Erika {NEW_NAME}")
    await expect(erika, f"Erika {NEW_NAME}")
    await admin.send(f"/mitglieder {NEW_NAME}")
    listing = await expect(admin, said("members-header", total=1, page=1, pages=1))
    await admin.press(listing, f"Erika {NEW_NAME}")
    await expect(admin, f"Erika {NEW_NAME}")
    assert await db.fetchval("SELECT count(*) FROM dialogs WHERE data LIKE ?", (f"%{NEW_NAME}%",))

    await erika.send("/meinedaten")
    export = await erika.wait_for(lambda m: m.document is not None)
    assert export.document is not None
    assert json.loads(export.document.content)["member"]["telegram_id"] == TELEGRAM_ID
    assert await scan_tables(db, member_id) and scan_files(bot.settings.database_path)  # the scans see her
    await erika.send("/austreten")
    await choose(erika, fragment("privacy-leave-confirm"), said("leave-confirm-yes"))
    await expect(erika, fragment("privacy-leave-done"))
    assert bot.services.sender is not None and await bot.services.sender.drained(5)

    # The named card in the faction group no longer names her (nor do the pseudonymous one's buttons work).
    stripped = await kt.wait_for(
        lambda m: m.message_id == named_card.message_id and FIRST_NAME not in m.text, timeout=5
    )
    assert stripped.text == said("privacy-leave-card", id=named) and stripped.buttons == []
    anonymous = said("privacy-leave-card", id=hidden)  # the pseudonymous card, too
    await kt.wait_for(lambda m: m.message_id == hidden_card.message_id and m.text == anonymous, timeout=5)

    assert await scan_tables(db, member_id) == []
    # What stays: the archived question, verifiably anonymous (no asker, no pseudonym's parts).
    archived = await db.fetchone("SELECT * FROM questions WHERE id = ?", (named,))
    assert archived is not None and archived["archived_at"] is not None
    assert archived["asker_id"] is None and archived["identity"] == "anonymous"
    assert archived["asker_district_id"] is None and archived["asker_level"] is None
    assert archived["asker_body_id"] is None
    assert await db.fetchval("SELECT count(*) FROM questions WHERE id = ?", (hidden,)) == 0
    assert scan_files(bot.settings.database_path) == []
    assert await db.fetchval("SELECT count(*) FROM audit_log WHERE action = 'member.erase'") == 1


async def test_restore_after_erasure_and_every_start_keep_her_gone(
    fake: FakeTelegram, tmp_path: Path, clock: TestClock
) -> None:
    database = tmp_path / "lag.sqlite3"
    backup = tmp_path / "backups" / "lag-bot-2026-11-21.sqlite3"
    erika = fake.user(TELEGRAM_ID, "Erika", last_name=OLD_NAME, username=USERNAME)
    olaf = fake.user(7_355_609, "Olaf", last_name="Bleibt")
    async with running_bot(fake, tmp_path, clock):
        await join(erika)
        await join(olaf)
        backup_database(database, backup)  # the daily backup, while she is a member
        clock.advance(hours=1)
        await erika.send("/austreten")
        await choose(erika, fragment("privacy-leave-confirm"), said("leave-confirm-yes"))
        await expect(erika, fragment("privacy-leave-done"))
    ledger = ErasureLedger.beside(database).path
    assert ledger.exists() and str(TELEGRAM_ID) not in ledger.read_text()
    assert not ledger.is_relative_to(backup.parent)

    done = _lag_bot(fake, database, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "erased again (left after the backup was written): 1" in done.stdout
    assert people(database) == [7_355_609]

    # A backup put back by hand (no `lag-bot restore`): the next start erases her again.
    shutil.copyfile(backup, database)
    assert people(database) == [TELEGRAM_ID, 7_355_609]
    clock.advance(hours=1)
    async with running_bot(fake, tmp_path, clock) as bot:
        assert people(database) == [7_355_609]
        # She may come back: joining anew after her erasure is not undone by the next start.
        await join(erika, start="/start")
        assert bot.services.db is not None
    async with running_bot(fake, tmp_path, clock):
        assert people(database) == [TELEGRAM_ID, 7_355_609]


def people(database: Path) -> list[int]:
    """The Telegram ids of the members a database file holds (read besides the bot)."""
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return sorted(int(r[0]) for r in conn.execute("SELECT telegram_id FROM members"))


async def test_the_rule_for_others_dialogs(tmp_path: Path) -> None:
    """Another person's dialog goes when it holds a part of a name she used, a word of one, her
    Telegram id, or her internal id under a member key; short words ("von") and other ids do not count."""
    db = await Database.open(tmp_path / "rule.sqlite3")
    try:
        await apply_migrations(db)
        at = "2026-11-21T09:00:00+00:00"
        await db.execute(
            "INSERT INTO members (telegram_id, display_name, created_at, status_changed_at) "
            "VALUES (?, ?, ?, ?)",
            (TELEGRAM_ID, "Anna von Ehlers", at, at),
        )
        member_id = int(await db.fetchval("SELECT id FROM members"))
        dialogs = {
            1: {"search": "EHL"},  # part of her name, typed as a search
            2: {"text": "Termin mit Anna Ehlers-Berg"},  # a word of her name inside a text
            3: {"card": {"member_id": member_id, "page": 2}},  # her internal id under a member key
            4: {"people": [TELEGRAM_ID]},  # her Telegram id anywhere
            5: {"event": member_id, "search": "Berg"},  # the same number, but not a member's
            6: {"text": "Treffen von Ortsverbänden"},  # "von" is too short to count
            7: {"search": "an"},  # too short a search
            8: {"username": "@anna_e"},  # a name from Telegram, passed in by the caller
        }
        for owner, data in dialogs.items():
            await db.execute(
                "INSERT INTO dialogs (telegram_id, kind, step, data, updated_at) VALUES (?, 'x', 'y', ?, ?)",
                (owner, json.dumps(data), at),
            )
        async with db.transaction():
            await PersonalDataRepository(db).erase(member_id, TELEGRAM_ID, ("Anna", "anna_e"))
        left = [int(r[0]) for r in await db.fetchall("SELECT telegram_id FROM dialogs ORDER BY 1")]
        assert left == [5, 6, 7]
    finally:
        await db.close()

"""`/meinedaten`: the export holds every table's rows about the member (a walk over the migrated
schema finds every member reference), and comes as JSON and as a readable HTML document in the
member's language."""

from __future__ import annotations

import html
import json
import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from lag_bot.db import Database, Params
from lag_bot.emulator import FakeTelegram, SimUser
from lag_bot.membership.export import ALIASES, PARTS
from lag_bot.migrate import apply_migrations
from lag_bot.repositories.personal_export import PersonalExportRepository
from tests.harness import RunningBot
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
from tests.story import approve, choose, expect, join
from tests.test_broadcast import coordinator
from tests.texts import CATALOG, fragment, said

# A column refers to a member when it is a foreign key to `members`, or by its name: a Telegram id,
# a chat (a private chat is a person), a member id, who made or did something, an asker, a name.
MEMBER_COLUMN = re.compile(
    r"^(telegram_id|\w+_telegram_id|chat_id|\w+_chat_id|member_id|\w+_member_id|\w+_by|asker\w*|"
    r"author_id|display_name)$"
)
# An action the code writes to the audit log (as in tests/test_audit_log.py; `{suffix}` adds ".edit").
AUDIT_ACTION = re.compile(
    r'"((?:member|members|invite|group|faction|broadcast|reminder|event|question)\.[a-z_]+)(\{suffix\})?"'
)
# Member references the export does not read, each with the reason. Keep it short.
NOT_EXPORTED = {
    # `chats` holds groups only (kind 'group' or 'supergroup'): its chat_id is never a person's.
    ("chats", "chat_id"): "a group",
}


class RecordingDatabase:
    """The database, recording every statement the export runs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.statements: list[tuple[str, Params]] = []

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        self.statements.append((sql, params))
        return await self.db.fetchall(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        self.statements.append((sql, params))
        return await self.db.fetchone(sql, params)


@pytest.fixture
async def schema(tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database with every migration applied."""
    db = await Database.open(tmp_path / "schema.sqlite3")
    await apply_migrations(db)
    yield db
    await db.close()


async def _export_statements(db: Database) -> list[tuple[str, Params]]:
    recorder = RecordingDatabase(db)
    await PersonalExportRepository(cast(Database, recorder)).collect(1, 1001)
    return recorder.statements


async def _member_references(db: Database) -> set[tuple[str, str]]:
    """Every (table, column) of the schema that refers to a member."""
    found: set[tuple[str, str]] = set()
    tables = await db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for (table,) in tables:
        for key in await db.fetchall("SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?)", (table,)):
            if key[1] == "members":
                found.add((table, key[0]))
        for (column,) in await db.fetchall("SELECT name FROM pragma_table_info(?)", (table,)):
            if MEMBER_COLUMN.match(column):
                found.add((table, column))
    return found


def _reads(sql: str, table: str, column: str) -> bool:
    """Whether a statement reads `table` and uses `column` of it (or all of its columns)."""
    if not re.search(rf"\b(FROM|JOIN)\s+{table}\b", sql):
        return False
    return bool(re.search(rf"\b{column}\b", sql) or re.search(rf"SELECT \* FROM {table}\b", sql))


async def test_every_member_reference_of_the_schema_is_exported(schema: Database) -> None:
    references = await _member_references(schema)
    # The walk finds what it must (else the check below would pass for nothing).
    expected = {("approval_cards", "member_id"), ("question_messages", "chat_id"), ("members", "telegram_id")}
    assert expected | {("audit_log", "actor_id"), ("question_targets", "claimed_by")} <= references
    assert set(NOT_EXPORTED) <= references, "an allow-list entry no longer refers to a member"
    statements = [sql for sql, _ in await _export_statements(schema)]
    missing = sorted(
        (table, column)
        for table, column in references - set(NOT_EXPORTED)
        if not any(_reads(sql, table, column) for sql in statements)
    )
    assert not missing, (
        f"member references /meinedaten does not export: {missing}. Read them in "
        "lag_bot/repositories/personal_export.py (or question_export.py), or explain them in NOT_EXPORTED."
    )


async def test_every_part_and_field_has_its_texts(schema: Database) -> None:
    data = await PersonalExportRepository(schema).collect(1, 1001)
    assert set(data) == set(PARTS)
    fields = {"district", "municipality"}  # the keys of `places`
    with sqlite3.connect(schema.path) as plain:
        for sql, params in await _export_statements(schema):
            fields.update(d[0] for d in plain.execute(sql, params).description)
    fields -= {"field", "name"}  # the rows `places` is built from
    fields |= set(ALIASES.values())
    for lang in ("de", "en"):
        keys = CATALOG.texts[lang]
        labels = {k.removeprefix("export-col-") for k in keys if k.startswith("export-col-")}
        assert labels == fields, lang
        for prefix in ("export-part-", "export-about-"):
            named = {k.removeprefix(prefix) for k in keys if k.startswith(prefix)}
            assert named == set(PARTS), (lang, prefix)


def test_every_audited_action_has_a_word() -> None:
    root = Path(__file__).resolve().parents[1]
    written: set[str] = set()
    for path in [*root.joinpath("lag_bot").rglob("*.py"), *root.joinpath("handlers").rglob("*.py")]:
        for name, suffix in AUDIT_ACTION.findall(path.read_text(encoding="utf-8")):
            written |= {name, f"{name}.edit"} if suffix else {name}
    assert {"member.approve", "question.reveal"} <= written
    for lang in ("de", "en"):
        missing = sorted(a for a in written if f"export-word-action-{a}" not in CATALOG.texts[lang])
        assert not missing, f"audit actions without a word in lag_bot/texts/{lang}.export.toml: {missing}"


async def _documents(user: SimUser, lang: str) -> tuple[dict[str, Any], str]:
    """The JSON and the readable document of one /meinedaten."""
    machine = await user.wait_for(lambda m: m.document is not None)
    readable = await user.wait_for(lambda m: m.document is not None)
    assert machine.document is not None and readable.document is not None
    assert machine.document.file_name == "meine-daten.json"
    assert readable.document.file_name == said("export-file", lang)
    assert machine.text == said("privacy-export-caption", lang)
    assert readable.text == said("export-caption", lang)
    return json.loads(machine.document.content), readable.document.content.decode()


def _local(stored: str, lang: str) -> str:
    moment = datetime.fromisoformat(stored).astimezone(ZoneInfo("Europe/Berlin"))
    return moment.strftime(said("export-time", lang))


pytestmark = pytest.mark.usefixtures("running_clock")

QUESTION = "Wie hoch wird die Miete <b>jetzt</b> & später?"


async def test_export_is_complete_and_readable_in_german_and_english(
    fake: FakeTelegram, bot: RunningBot, admin: SimUser
) -> None:
    await coordinator(admin)
    kt = await faction_group(fake, admin, -7401, "KT-Fraktion Rostock", KREIS_FACTION, KREISTAG)
    kora = await councillor(fake, admin, 3402, "Kora Kreis", level=KREIS_LEVEL)
    lena = fake.user(3401, "Lena", last_name="Muster")
    await join(lena)  # Kreistag, Fachsprecher:in, Bildung; approved from a card in the admin's chat
    await approve(admin, "Lena Muster")
    await expect(lena, fragment("approval-you-approved"))
    question_id = await send_question(lena, await ask(lena, f"⭐ {KREISTAG}", "Wohnen", QUESTION))
    card = await card_in(kt, question_id, bot=bot)
    await kora.send_in(kt, "Sie steigt um 3 %.", reply_to=card)
    await answer_in(lena, question_id, bot)

    await lena.send("/meinedaten")
    data, page = await _documents(lena, "de")
    # Complete: the approval card about her, the card in the faction group, the answer she got.
    assert [c["part"] for c in data["approval_cards"]] == ["subject"]
    assert data["approval_cards"][0]["message_id"] > 0
    assert {(m["question_id"], m["chat"]) for m in data["question_messages"]} >= {
        (question_id, "KT-Fraktion Rostock")
    }
    received = data["answers_received"]
    assert [(a["question_id"], a["body"]) for a in received] == [(question_id, "Sie steigt um 3 %.")]
    assert [r["faction"] for r in data["question_routing"]] == [received[0]["faction"]]
    assert [q["body"] for q in data["questions_asked"]] == [QUESTION]

    # Readable, in German: labels, explanations, words for codes, local times, escaped input.
    assert page.startswith("<!DOCTYPE html>") and '<html lang="de">' in page
    assert said("export-intro", zone="Europe/Berlin") in page
    for part in ("member", "mandates", "answers_received", "approval_cards", "question_messages"):
        assert said(f"export-part-{part}") in page and said(f"export-about-{part}") in page
    for word in (said("function-fachsprecher"), said("level-kreis"), said("status-active")):
        assert f"<td>{html.escape(word, quote=False)}</td>" in page
    for code in ("fachsprecher", "kreis", "active", "named"):
        assert f"<td>{code}</td>" not in page
    assert f"<td>{said('export-word-identity-named')}</td>" in page
    assert f"<td>{said('export-word-action-member.approve')}</td>" in page  # the audit entry
    assert "<td>member.approve</td>" not in page
    created = data["member"]["created_at"]
    assert _local(created, "de") in page and created not in page
    assert html.escape(QUESTION, quote=False) in page and "<b>jetzt</b>" not in page
    assert "Sie steigt um 3 %." in page

    # In English once she chose English.
    await lena.send("/sprache")
    await choose(lena, said("language-choose"), said("language-en"))
    await expect(lena, said("language-set", "en"))
    await lena.send("/meinedaten")
    again, page_en = await _documents(lena, "en")
    assert again["member"]["language"] == "en" and again["answers_received"] == received
    assert '<html lang="en">' in page_en and said("export-title", "en") in page_en
    assert said("export-about-answers_received", "en") in page_en
    assert "<td>Spokesperson</td>" in page_en and f"<td>{said('level-kreis', 'en')}</td>" in page_en
    assert _local(created, "en") in page_en
    assert said("export-part-mandates") not in page_en

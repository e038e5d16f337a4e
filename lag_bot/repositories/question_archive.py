"""The archive's full-text index (SQLite FTS5, table `question_archive`, rowid = question id)."""

from __future__ import annotations

from lag_bot.db import Database
from lag_bot.questions.models import ArchiveHit

# The question's own words weigh twice as much as the answers'.
_RANK = "bm25(question_archive, 2.0, 1.0)"


class ArchiveRepository:
    """Reads and writes `question_archive` (writes inside the caller's transaction)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def put(self, question_id: int, question: str, answers: str) -> None:
        """Index (or re-index) an archived question with the answers that may be shown."""
        await self.db.execute("DELETE FROM question_archive WHERE rowid = ?", (question_id,))
        await self.db.execute(
            "INSERT INTO question_archive (rowid, question, answers) VALUES (?, ?, ?)",
            (question_id, question, answers),
        )

    async def remove(self, question_id: int) -> None:
        """Take a question out of the archive."""
        await self.db.execute("DELETE FROM question_archive WHERE rowid = ?", (question_id,))

    async def get(self, question_id: int) -> ArchiveHit | None:
        """One archived question."""
        rows = await self.db.fetchall(
            "SELECT a.rowid, a.question, a.answers, q.topic_id, q.created_at FROM question_archive a "
            "JOIN questions q ON q.id = a.rowid WHERE a.rowid = ?",
            (question_id,),
        )
        return ArchiveHit(*rows[0]) if rows else None

    async def match(self, query: str, limit: int) -> list[ArchiveHit]:
        """Archived questions matching an FTS5 query (built by `lag_bot.questions.archive`), best first."""
        # Ranked in the index alone, then the few hits joined: joining inside the ranked query
        # costs a third more time on a large archive (bench/relay.py).
        found = await self.db.fetchall(
            f"SELECT rowid, question, answers FROM question_archive WHERE question_archive MATCH ? "
            f"ORDER BY {_RANK} LIMIT ?",
            (query, limit),
        )
        if not found:
            return []
        marks = ", ".join("?" for _ in found)
        rows = await self.db.fetchall(
            f"SELECT id, topic_id, created_at FROM questions WHERE id IN ({marks})", [r[0] for r in found]
        )
        meta = {r[0]: (r[1], r[2]) for r in rows}
        return [ArchiveHit(r[0], r[1], r[2], *meta[r[0]]) for r in found if r[0] in meta]

    async def count(self) -> int:
        """How many questions are archived."""
        return int(await self.db.fetchval("SELECT count(*) FROM question_archive"))

"""The erasure ledger: which people left, kept beside the database so that a restored backup (which
still holds them) loses them again.

    ledger = ErasureLedger.beside(Path("lag-bot.sqlite3"))   # lag-bot.sqlite3.erasures
    ledger.record(telegram_id, "2026-12-01T10:00:00+00:00")  # before the erasure is carried out
    ledger.entries()              # [(hash, "2026-12-01T10:00:00+00:00"), …]
    ledger.digest(telegram_id)    # the hash an entry of this person would hold

Minimal on purpose: one line per erasure with its time and the salted SHA-256 of the Telegram id;
no name, no internal id. The random salt is the file's first line (without it the hashes of all
Telegram ids could be computed ahead; with it the file alone is needed to test one id). The file is
not in BACKUP_DIR and not in the backups' rotation, and a restore leaves it alone: it is the record
that outlives the backups. It grows by one short line per erasure.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import threading
from pathlib import Path

log = logging.getLogger(__name__)


class ErasureLedger:
    """Appends erasures to, and reads them from, one small JSON-lines file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writing = threading.Lock()  # two erasures at once: one salt, both lines

    @classmethod
    def beside(cls, database: Path) -> ErasureLedger:
        """The ledger of a database: `<database>.erasures` in the same folder."""
        return cls(database.with_name(database.name + ".erasures"))

    def record(self, telegram_id: int, at: str) -> None:
        """Note that the person with `telegram_id` was erased at `at` (UTC ISO), durably."""
        with self._writing:
            salt = self._salt() or self._start()
            line = json.dumps({"at": at, "id": _digest(salt, telegram_id)}) + "\n"
            if not self._ends_a_line():  # after a torn line: start a new one
                line = "\n" + line
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line)
                file.flush()
                os.fsync(file.fileno())

    def entries(self) -> list[tuple[str, str]]:
        """(hash, time) of every erasure, oldest first."""
        if not self.path.exists():
            return []
        found = []
        for line in self.path.read_text("utf-8").splitlines()[1:]:
            try:
                row = json.loads(line)
                found.append((str(row["id"]), str(row["at"])))
            except (ValueError, KeyError, TypeError):  # a line torn by a crash while it was written
                log.warning("erasure ledger %s: an unreadable line is skipped", self.path)
        return found

    def digest(self, telegram_id: int) -> str | None:
        """The hash of a Telegram id as the ledger stores it; None while the ledger is empty."""
        salt = self._salt()
        return _digest(salt, telegram_id) if salt else None

    def _ends_a_line(self) -> bool:
        with self.path.open("rb") as file:
            file.seek(-1, os.SEEK_END)
            return file.read(1) == b"\n"

    def _salt(self) -> str | None:
        if not self.path.exists():
            return None
        with self.path.open(encoding="utf-8") as file:
            first = file.readline()
        return str(json.loads(first)["salt"]) if first.strip() else None

    def _start(self) -> str:
        """Create the file with a new salt (written to a temporary file and renamed: never half a header)."""
        salt = secrets.token_hex(16)
        part = self.path.with_name(self.path.name + ".part")
        with part.open("w", encoding="utf-8") as file:
            file.write(json.dumps({"salt": salt, "hash": "sha256 of salt:telegram_id"}) + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.chmod(part, 0o600)
        os.replace(part, self.path)
        return salt


def _digest(salt: str, telegram_id: int) -> str:
    return hashlib.sha256(f"{salt}:{telegram_id}".encode()).hexdigest()

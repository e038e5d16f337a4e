"""The lock a running bot holds on its database, so a restore (or a second bot) cannot take it over.

    lock = DatabaseLock.acquire(Path("lag-bot.sqlite3"))   # raises DatabaseInUse
    ...
    lock.release()

The lock is `flock` on `<database>.lock`, which holds the owner's process id for the message.
The kernel releases it when the process ends, however it ends (SIGKILL included), so a stale
lock file is harmless: only a held lock counts. The file is never deleted (deleting a lock file
races with another process opening it).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path


class DatabaseInUse(RuntimeError):
    """Another process (a running bot, or a restore) holds the database's lock."""

    def __init__(self, database: Path, owner: str) -> None:
        who = f"process {owner}" if owner else "another process"
        super().__init__(f"the database {database} is in use by {who} (lock {lock_path(database)})")
        self.database = database
        self.owner = owner


def lock_path(database: Path) -> Path:
    """Where the lock of `database` lives."""
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    """An exclusive hold on one database, for as long as the owner lives or until `release()`."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, database: Path) -> DatabaseLock:
        """Take the lock without waiting; DatabaseInUse if someone holds it."""
        path = lock_path(database)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            raise DatabaseInUse(database, owner) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        return cls(fd)

    def release(self) -> None:
        """Give the lock up (closing the file releases it)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)
            self._fd = None

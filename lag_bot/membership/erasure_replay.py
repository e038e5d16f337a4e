"""Erasures made again after a restore: a backup written before someone left still holds them.

    erased = await ErasureReplay(db, ErasureLedger.beside(path), clock).run()

At every start (`Services.open`) and right after `lag-bot restore`, each person the database holds
is checked against the erasure ledger (lag_bot/operations/erasure_ledger.py). A person goes again
when the ledger says they left after they were stored here: a member who joined anew after leaving
(a new row, younger than the erasure) stays.
"""

from __future__ import annotations

import asyncio
import logging

from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.operations.erasure_ledger import ErasureLedger
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.personal_data import PersonalDataRepository

log = logging.getLogger(__name__)


class ErasureReplay:
    """Applies the ledger's erasures to one database."""

    def __init__(self, db: Database, ledger: ErasureLedger, clock: Clock) -> None:
        self.db = db
        self.ledger = ledger
        self.clock = clock
        self.personal = PersonalDataRepository(db)
        self.audit = AuditRepository(db)

    async def run(self) -> int:
        """Erase again everyone who left after they were stored here; return how many went."""
        entries = await asyncio.to_thread(self.ledger.entries)
        if not entries:
            return 0
        left: dict[str, str] = {}
        for digest, at in entries:
            left[digest] = max(at, left.get(digest, at))
        erased = 0
        for telegram_id, member_id, since in await self.personal.stored_people():
            left_at = left.get(self.ledger.digest(telegram_id) or "")
            if left_at is None or since > left_at:
                continue
            async with self.db.transaction():
                await self.personal.erase(member_id, telegram_id)
                # As the erasure's own entry: that it happened, not whom it concerned.
                detail = {"replayed_from": left_at}
                await self.audit.record(iso(self.clock()), None, "member.erase", detail=detail)
            erased += 1
        if erased:
            await self.db.checkpoint()
            log.warning("erased %d people again who had left after this database was backed up", erased)
        return erased

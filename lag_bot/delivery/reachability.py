"""Which members cannot be written to (their chat answered 403), until they write to the bot.

The set is kept in memory as well, so checking every incoming update costs no query.
"""

from __future__ import annotations

import logging

from lag_bot.clock import Clock, iso
from lag_bot.repositories.members import MemberRepository

log = logging.getLogger(__name__)


class Reachability:
    """Marks members unreachable on a 403 and reachable again when they write."""

    def __init__(self, members: MemberRepository, clock: Clock) -> None:
        self.members = members
        self.clock = clock
        self._unreachable: set[int] = set()

    async def load(self) -> None:
        """Read the current set from the database."""
        self._unreachable = await self.members.unreachable_telegram_ids()

    async def mark_unreachable(self, member_id: int, telegram_id: int) -> None:
        """Telegram answered 403 for this member's chat."""
        # Into the set before the write: a message from them that arrives during the write then
        # finds them in it and makes them reachable again (its write queues behind this one).
        self._unreachable.add(telegram_id)
        await self.members.set_unreachable(member_id, iso(self.clock()))
        log.info("member #%s is unreachable", member_id)

    async def heard_from(self, telegram_id: int) -> None:
        """The person wrote to the bot: they can be reached again."""
        if telegram_id not in self._unreachable:
            return
        # Out of the set before the writes: a 403 noted meanwhile puts them back in it, whichever
        # write lands last. (So the set may hold someone reachable, never miss someone unreachable.)
        self._unreachable.discard(telegram_id)
        member = await self.members.by_telegram_id(telegram_id)
        if member is not None:
            await self.members.set_unreachable(member.id, None)
        log.info("member #%s is reachable again", member.id if member else "-")

"""Invite links: unguessable codes, single- or n-use, with an expiry; only hashes are stored.

code = await invites.create(actor, max_uses=5, valid_days=7)
link = invite_link("lag_bot", code)        # https://t.me/lag_bot?start=<code>
await invites.redeem(code)                 # raises InvalidInput("invite-…") if it is not valid
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from lag_bot.authorization import Actor
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotAllowed
from lag_bot.models import Role
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.invites import InviteRepository
from lag_bot.repositories.members import MemberRepository

MAX_USES = 500
MAX_DAYS = 90
# Telegram's deep-link payload allows up to 64 characters of [A-Za-z0-9_-]; 22 give 128 bits.
_CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def hash_code(code: str) -> str:
    """The stored form of an invite code."""
    return hashlib.sha256(code.encode()).hexdigest()


def invite_link(bot_username: str, code: str) -> str:
    """The deep link that starts the bot with the code."""
    return f"https://t.me/{bot_username}?start={code}"


def looks_like_code(text: str) -> bool:
    """Whether a /start payload has the shape of an invite code."""
    return bool(_CODE.match(text))


class Invites:
    """Creates and redeems invite codes."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.repo = InviteRepository(db)
        self.members = MemberRepository(db)
        self.audit = AuditRepository(db)

    async def create(self, actor: Actor, max_uses: int, valid_days: int) -> str:
        """Make a new code (coordinators only); the code is returned once and never stored."""
        if not actor.at_least(Role.COORDINATOR):
            raise NotAllowed()
        if not 1 <= max_uses <= MAX_USES:
            raise InvalidInput("invite-uses-range", max=MAX_USES)
        if not 1 <= valid_days <= MAX_DAYS:
            raise InvalidInput("invite-days-range", max=MAX_DAYS)
        code = secrets.token_urlsafe(16)
        now = self.clock()
        async with self.db.transaction():
            invite_id = await self.repo.create(
                hash_code(code),
                actor.member_id,
                max_uses,
                iso(now),
                iso(now + timedelta(days=valid_days)),
            )
            await self.audit.record(
                iso(now),
                actor.member_id,
                "invite.create",
                None,
                {"invite": invite_id, "max_uses": max_uses, "days": valid_days},
            )
        return code

    async def check(self, code: str) -> int:
        """The invite's id if the code can still be used; else InvalidInput saying why."""
        invite = await self.repo.by_hash(hash_code(code)) if looks_like_code(code) else None
        if invite is None:
            raise InvalidInput("invite-unknown")
        if invite.expires_at <= iso(self.clock()):
            raise InvalidInput("invite-expired")
        if invite.uses >= invite.max_uses:
            raise InvalidInput("invite-used-up")
        return invite.id

    async def redeem(self, invite_id: int, member_id: int) -> None:
        """Count one use for the member, atomically; InvalidInput if the last use is gone."""
        async with self.db.transaction():
            if not await self.repo.use(invite_id, iso(self.clock())):
                raise InvalidInput("invite-used-up")
            await self.members.set_invite(member_id, invite_id)

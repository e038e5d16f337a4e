"""Telegram groups: joined, left, migrated to a supergroup, and linked to the LAG's structure."""

from __future__ import annotations

import logging

from lag_bot.authorization import Actor
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import NotAllowed, NotFound
from lag_bot.models import GroupChat, Role
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.chats import ChatRepository
from lag_bot.repositories.territory import TerritoryRepository

log = logging.getLogger(__name__)
LINK_KINDS = ("lag", "district", "faction")


class Groups:
    """Keeps the `chats` table in step with where the bot is."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.chats = ChatRepository(db)
        self.territory = TerritoryRepository(db)
        self.audit = AuditRepository(db)

    async def joined(self, chat_id: int, title: str, kind: str, is_forum: bool) -> None:
        """The bot was added to a group (or the group's details changed)."""
        kind = "supergroup" if kind == "supergroup" else "group"
        async with self.db.transaction():
            await self.chats.joined(chat_id, title[:255], kind, is_forum, iso(self.clock()))
        log.info("joined group %s", chat_id)

    async def left(self, chat_id: int) -> None:
        """The bot was removed from a group."""
        async with self.db.transaction():
            await self.chats.left(chat_id, iso(self.clock()))
        log.info("left group %s", chat_id)

    async def migrated(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup with a new id."""
        async with self.db.transaction():
            moved = await self.chats.migrated(old_id, new_id, iso(self.clock()))
        log.info("group %s migrated to %s (known: %s)", old_id, new_id, moved)

    async def thread_gone(self, chat_id: int, thread_id: int) -> None:
        """The forum topic a group was linked in was deleted: it gets its messages in General now."""
        async with self.db.transaction():
            forgotten = await self.chats.forget_thread(chat_id, thread_id, iso(self.clock()))
        log.warning(
            "group %s: topic %s is gone, sending to General (link updated: %s)", chat_id, thread_id, forgotten
        )

    async def get(self, chat_id: int) -> GroupChat | None:
        """The stored group."""
        return await self.chats.get(chat_id)

    async def link(
        self, actor: Actor, chat_id: int, kind: str, ref: int | None, thread_id: int | None = None
    ) -> GroupChat:
        """Link a group to the whole LAG, a district (territory id) or a faction (body id)."""
        if not actor.at_least(Role.COORDINATOR):
            raise NotAllowed()
        if await self.chats.get(chat_id) is None:
            raise NotFound("groups-unknown")
        territory_id = faction_id = None
        if kind == "district":
            place = await self.territory.territory(ref) if ref is not None else None
            if place is None or place.kind not in ("landkreis", "kreisfreie_stadt"):
                raise NotFound("profile-district-unknown")
            territory_id = place.id
        elif kind == "faction":
            body = await self.territory.body(ref) if ref is not None else None
            if body is None:
                raise NotFound("profile-body-unknown")
            territory_id = body.territory_id
        elif kind != "lag":
            raise NotFound("groups-unknown")
        async with self.db.transaction():
            if kind == "faction" and body is not None:
                faction_id = await self.territory.faction_for_body(body.id, body.name)
            await self.chats.link(
                chat_id, kind, territory_id, faction_id, actor.member_id, iso(self.clock()), thread_id
            )
            await self.audit.record(
                iso(self.clock()),
                actor.member_id,
                "group.link",
                None,
                {"kind": kind, "territory": territory_id, "faction": faction_id},
            )
        linked = await self.chats.get(chat_id)
        assert linked is not None
        return linked

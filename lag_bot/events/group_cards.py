"""The announcement's copies in groups and how they look now, for the job that keeps their counts
live (which events changed is kept by `LiveCards`, held here as `live`)."""

from __future__ import annotations

from lag_bot.clock import Clock
from lag_bot.db import Database
from lag_bot.delivery.message_parts import Part
from lag_bot.events.cards import CardCopy, LiveCards
from lag_bot.events.publishing import announcement_parts
from lag_bot.events.records import EventRecords
from lag_bot.i18n import Catalog
from lag_bot.repositories.outbox import OutboxRepository


class GroupCards:
    """The group copies of announcements and their current text."""

    def __init__(
        self, db: Database, clock: Clock, texts: Catalog, default_language: str, records: EventRecords
    ) -> None:
        self.clock = clock
        self.texts = texts
        self.default_language = default_language
        self.records = records
        self.outbox = OutboxRepository(db)
        self.live = LiveCards()  # events whose group copies need new counts

    async def copies(self, event_id: int) -> list[CardCopy]:
        """The delivered copies of the announcement in groups (to show live counts on)."""
        return [CardCopy(*found) for found in await self.outbox.group_messages("event", event_id)]

    async def card(self, event_id: int) -> Part:
        """The announcement as a group sees it now (counts, no one's own answer): the part carrying
        the buttons, i.e. the delivered message that is edited in place."""
        now = self.clock()
        event = await self.records.get(event_id)
        counts = await self.records.answers.counts(event_id)
        return announcement_parts(self.texts, self.default_language, event, counts, now)[""][-1]

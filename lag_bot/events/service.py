"""Events: publish to an audience, answer, change, cancel; every message goes through the outbox.

    event_id = await events.publishing.publish(actor, draft)     # coordinators; announces with buttons
    result = await events.rsvp.answer(member, event_id, "yes")    # waitlist when full
    changed = await events.admin.edit(actor, event_id, {"place": "Rathaus Güstrow"})
    await events.admin.cancel(actor, event_id, occurrence=None)  # or one date of a series
    upcoming = await events.listing.upcoming_for_member(member)  # for /termine, with the member's answer

`Events` only holds the parts, each a small class with its own dependencies: `records` (reading
events and drafts of them), `publishing`, `rsvp`, `admin` (coordinators' changes), `shifts`,
`listing`, `calendar` (.ics files), `cards` (the live group copies) and `dialogs` (the state of
the coordinators' dialogs). Each change writes its rows, its reminder rows and its outbox rows in
ONE transaction. The texts are in `lag_bot.events.render`, the rules for each field in
`lag_bot.events.draft`/`input`.
"""

from __future__ import annotations

from lag_bot.clock import Clock
from lag_bot.db import Database
from lag_bot.events.admin import EventAdmin
from lag_bot.events.calendar_files import EventCalendar
from lag_bot.events.dialogs import EventDialogs
from lag_bot.events.group_cards import GroupCards
from lag_bot.events.listing import Listing
from lag_bot.events.publishing import Publishing
from lag_bot.events.records import EventRecords, Waker
from lag_bot.events.rsvp import Rsvp, RsvpBook
from lag_bot.events.shifts import Shifts
from lag_bot.i18n import Catalog


class Events:
    """The events service: its parts, wired to one database."""

    def __init__(self, db: Database, clock: Clock, texts: Catalog, default_language: str = "de") -> None:
        self.wake = Waker()  # its `notify` is set once the sender runs
        self.records = EventRecords(db)
        self.cards = GroupCards(db, clock, texts, default_language, self.records)
        book = RsvpBook(db, texts, default_language)
        live = self.cards.live
        self.publishing = Publishing(db, clock, texts, default_language, self.records, self.wake)
        self.rsvp = Rsvp(db, clock, self.records, book, live, self.wake)
        self.admin = EventAdmin(db, clock, texts, default_language, self.records, book, live, self.wake)
        self.shifts = Shifts(db, clock)
        self.listing = Listing(clock, self.records)
        self.calendar = EventCalendar(clock, self.records, self.listing)
        self.dialogs = EventDialogs(db, clock)

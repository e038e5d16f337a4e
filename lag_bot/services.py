"""The long-lived services, created once per application and kept on it.

services = await Services.open(settings)     # opens the database, migrates, seeds
...
await services.close()
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from lag_bot.authorization import Authorizer
from lag_bot.broadcasts.service import Broadcasts
from lag_bot.clock import Clock, utc_now
from lag_bot.db import Database
from lag_bot.db_lock import DatabaseLock
from lag_bot.delivery.ratelimit import RateLimiter
from lag_bot.delivery.reachability import Reachability
from lag_bot.delivery.sender import Sender, Transport
from lag_bot.dialogs import Dialogs
from lag_bot.events.reminders import EventReminders
from lag_bot.events.service import Events
from lag_bot.i18n import Catalog
from lag_bot.membership.erasure_replay import ErasureReplay
from lag_bot.membership.factions import Factions
from lag_bot.membership.group_gate import GroupGate
from lag_bot.membership.group_leaving import KEEP_REMOVALS_DAYS, GroupLeaving
from lag_bot.membership.groups import Groups
from lag_bot.membership.invites import Invites
from lag_bot.membership.member_admin import MemberAdmin
from lag_bot.membership.places import Places
from lag_bot.membership.profiles import Profiles
from lag_bot.membership.service import Membership
from lag_bot.membership.territory_seed import default_seed, load_seed, read_seed
from lag_bot.migrate import apply_migrations
from lag_bot.operations.erasure_ledger import ErasureLedger
from lag_bot.operations.maintenance import Maintenance
from lag_bot.operations.recent_errors import RecentErrors
from lag_bot.operations.retention import Retention, core_rules
from lag_bot.operations.status import BotStatus
from lag_bot.questions.relay import open_relay
from lag_bot.questions.service import Questions
from lag_bot.reminders.service import Reminders
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.group_members import GroupMemberRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.outbox import Delivery
from lag_bot.repositories.retention import RetentionRepository
from lag_bot.repositories.territory import TerritoryRepository
from lag_bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a handler may call, wired to one database."""

    settings: Settings
    db: Database
    texts: Catalog
    clock: Clock
    authorizer: Authorizer
    membership: Membership
    member_admin: MemberAdmin  # approval, suspension, roles
    invites: Invites
    places: Places  # read-only map lookups for screens
    profiles: Profiles  # read-only member lookups for screens
    groups: Groups
    group_gate: GroupGate  # who may join a linked group, and who is in it
    group_leaving: GroupLeaving  # removal from the groups after leaving, suspension, rejection
    members: MemberRepository
    territory: TerritoryRepository
    dialogs: Dialogs
    audit: AuditRepository
    broadcasts: Broadcasts
    reachability: Reachability
    reminders: Reminders
    events: Events
    questions: Questions
    factions: Factions
    retention: Retention  # features register their rules here (see lag_bot/operations/retention.py)
    maintenance: Maintenance
    errors: RecentErrors
    status: BotStatus
    limiter: RateLimiter  # Telegram's limits, shared by the outbox and the application's bot
    lock: DatabaseLock | None = None
    sender: Sender | None = None  # started in post_init, once the bot can send
    bot_username: str = field(default="")

    @classmethod
    async def open(
        cls, settings: Settings, clock: Clock = utc_now, limiter: RateLimiter | None = None
    ) -> Services:
        """Lock the database (DatabaseInUse if another bot has it), open it, apply migrations, seed
        the territory on first start. `limiter`: the one the application's bot sends through."""
        lock = DatabaseLock.acquire(settings.database_path)
        try:
            db = await Database.open(settings.database_path)
            await apply_migrations(db)
        except BaseException:
            lock.release()
            raise
        territory = TerritoryRepository(db)
        if await territory.is_empty():
            seed = read_seed(settings.territory_file) if settings.territory_file else default_seed()
            report = await load_seed(db, seed)
            log.info("territory loaded: %d places, %d bodies", report.territories, report.bodies)
        # A restored backup may still hold people who left since it was written.
        ledger = ErasureLedger.beside(settings.database_path)
        await ErasureReplay(db, ledger, clock).run()
        members = MemberRepository(db)
        authorizer = Authorizer(members, settings.admin_ids)
        texts = Catalog.load()
        reachability = Reachability(members, clock)
        await reachability.load()
        reminders = Reminders(
            db, clock, texts, timedelta(minutes=settings.reminder_grace_minutes), settings.default_language
        )
        reminders.register("event", EventReminders(db, texts, settings.default_language))
        retention = Retention(clock)
        core_rules(retention, RetentionRepository(db, clock), settings.retention)
        questions, factions = open_relay(db, clock, texts, territory, settings, reminders, retention)
        errors = RecentErrors(clock)
        invites = Invites(db, clock)
        group_gate = GroupGate(db, clock, authorizer)
        forget_removals = GroupMemberRepository(db).drop_removals_before
        retention.register("group-removals", KEEP_REMOVALS_DAYS, forget_removals)
        return cls(
            settings=settings,
            db=db,
            texts=texts,
            clock=clock,
            authorizer=authorizer,
            membership=Membership(db, authorizer, clock, invites, ledger),
            member_admin=MemberAdmin(db, clock, settings.admin_ids),
            invites=invites,
            places=Places(territory),
            profiles=Profiles(members),
            groups=Groups(db, clock),
            group_gate=group_gate,
            group_leaving=GroupLeaving(db, clock, authorizer, group_gate),
            members=members,
            territory=territory,
            dialogs=Dialogs(db, clock),
            audit=AuditRepository(db),
            broadcasts=Broadcasts(db, clock, territory=territory, texts=texts),
            reachability=reachability,
            reminders=reminders,
            events=Events(db, clock, texts, settings.default_language),
            questions=questions,
            factions=factions,
            retention=retention,
            maintenance=Maintenance(settings, retention, errors, clock),
            errors=errors,
            status=BotStatus(db, clock, clock(), errors),
            limiter=limiter or RateLimiter(settings.send_limits),
            lock=lock,
        )

    async def start_sender(self, transport: Transport) -> Sender:
        """Start draining the outbox through `transport` (after recovering interrupted sends)."""
        sender = Sender(
            self.db,
            transport,
            self.limiter,
            self.clock,
            concurrency=self.settings.send_concurrency,
            on_unreachable=self._unreachable,
            on_migrated=self.groups.migrated,
            on_thread_gone=self.groups.thread_gone,
        )
        self.sender = sender
        self.broadcasts.notify = sender.wake
        self.reminders.notify = sender.wake
        self.events.wake.notify = sender.wake
        self.questions.notify = sender.wake
        await sender.start()
        return sender

    async def _unreachable(self, row: Delivery) -> None:
        if row.member_id is not None:
            await self.reachability.mark_unreachable(row.member_id, row.chat_id)
        elif row.group_id is not None:
            await self.groups.left(row.chat_id)

    async def close(self) -> None:
        """Stop the sender (letting sends under way finish), then close the database."""
        if self.sender is not None:
            await self.sender.stop()
            await self.sender.transport.close()
            self.sender = None
        await self.db.close()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

"""The long-lived services, created once per application and kept on it.

services = await Services.open(settings)     # opens the database, migrates, seeds
...
await services.close()
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from lag_bot.authorization import Authorizer
from lag_bot.clock import Clock, utc_now
from lag_bot.db import Database
from lag_bot.groups import Groups
from lag_bot.i18n import Catalog
from lag_bot.invites import Invites
from lag_bot.membership import Membership
from lag_bot.migrate import apply_migrations
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.dialogs import DialogRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.territory import TerritoryRepository
from lag_bot.settings import Settings
from lag_bot.territory_seed import default_seed, load_seed, read_seed

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
    invites: Invites
    groups: Groups
    members: MemberRepository
    territory: TerritoryRepository
    dialogs: DialogRepository
    audit: AuditRepository
    bot_username: str = field(default="")

    @classmethod
    async def open(cls, settings: Settings, clock: Clock = utc_now) -> Services:
        """Open the database, apply migrations, seed the territory on first start."""
        db = await Database.open(settings.database_path)
        await apply_migrations(db)
        territory = TerritoryRepository(db)
        if await territory.is_empty():
            seed = read_seed(settings.territory_file) if settings.territory_file else default_seed()
            report = await load_seed(db, seed)
            log.info("territory loaded: %d places, %d bodies", report.territories, report.bodies)
        members = MemberRepository(db)
        authorizer = Authorizer(members, settings.admin_ids)
        return cls(
            settings=settings,
            db=db,
            texts=Catalog.load(),
            clock=clock,
            authorizer=authorizer,
            membership=Membership(db, authorizer, clock),
            invites=Invites(db, clock),
            groups=Groups(db, clock),
            members=members,
            territory=territory,
            dialogs=DialogRepository(db),
            audit=AuditRepository(db),
        )

    async def close(self) -> None:
        """Close the database."""
        await self.db.close()

"""Membership: consent, joining (also with an invite code), profile, export and erasure.

Coordinators' decisions (approval, roles, suspension) are `member_admin.MemberAdmin`.

Every change runs in one transaction; every privileged change is written to the audit log in
the same transaction, so the log and the data cannot disagree.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lag_bot.authorization import Actor, Authorizer
from lag_bot.clock import Clock, iso
from lag_bot.db import Database
from lag_bot.errors import InvalidInput, NotFound, Stale, UserError
from lag_bot.membership.export import MemberExport
from lag_bot.membership.invites import Invites
from lag_bot.membership.profile_rules import check_function, clean_display_name
from lag_bot.models import Member, Status
from lag_bot.operations.erasure_ledger import ErasureLedger
from lag_bot.repositories.audit import AuditRepository
from lag_bot.repositories.consents import ConsentRepository
from lag_bot.repositories.members import MemberRepository
from lag_bot.repositories.personal_data import PersonalDataRepository
from lag_bot.repositories.personal_export import PersonalExportRepository
from lag_bot.repositories.question_personal import SentCard as SentCard  # handlers read it from here
from lag_bot.repositories.territory import TerritoryRepository

log = logging.getLogger(__name__)

PRIVACY_VERSION = "2026-12-08"  # raise it whenever the privacy text (privacy-full) changes
# Keeps a profile (and the approval card showing it) well inside Telegram's 4096 characters.
MAX_MANDATES = 8


@dataclass(frozen=True)
class Joined:
    """A person who just consented, and why their invite code could not be used (a catalog key;
    they join with approval instead), if it could not."""

    member: Member
    refusal: str | None = None


class Membership:
    """The rules of joining, changing and leaving."""

    def __init__(
        self,
        db: Database,
        authorizer: Authorizer,
        clock: Clock,
        invites: Invites,
        ledger: ErasureLedger | None = None,
    ) -> None:
        self.db = db
        self.ledger = ledger
        self.auth = authorizer
        self.clock = clock
        self.invites = invites
        self.members = MemberRepository(db)
        self.territory = TerritoryRepository(db)
        self.consents = ConsentRepository(db)
        self.audit = AuditRepository(db)
        self.personal = PersonalDataRepository(db)
        self.personal_export = PersonalExportRepository(db)

    def now(self) -> str:
        """The current time as stored."""
        return iso(self.clock())

    async def consent(self, telegram_id: int, language: str, granted: bool) -> Member | None:
        """Store a consent decision; on consent create the member (or return the existing one)."""
        async with self.db.transaction():
            await self.consents.record(telegram_id, PRIVACY_VERSION, granted, self.now())
            existing = await self.members.by_telegram_id(telegram_id)
            if not granted or existing is not None:
                return existing
            return await self.members.create(telegram_id, language, self.now())

    async def join(self, telegram_id: int, language: str, code: str = "") -> Joined:
        """Consent and create the member; with an invite `code` that can still be used, count one
        use for them, so that they are active without approval once their profile is complete."""
        invite_id, refusal = None, None
        if code:
            try:
                invite_id = await self.invites.check(code)
            except UserError as exc:
                refusal = exc.key
        async with self.db.transaction():
            member = await self.consent(telegram_id, language, granted=True)
            assert member is not None
            if invite_id is not None:
                try:
                    await self.invites.redeem(invite_id, member.id)
                except InvalidInput as exc:  # the last use went to someone else meanwhile
                    refusal = exc.key
        return Joined(member, refusal)

    async def set_name(self, member: Member, raw: str) -> str:
        """Change the display name after checking it."""
        name = clean_display_name(raw)
        async with self.db.transaction():
            await self.members.update_fields(member.id, display_name=name)
        return name

    async def set_language(self, member: Member, language: str) -> None:
        """Change the member's language."""
        async with self.db.transaction():
            await self.members.update_fields(member.id, language=language)

    async def set_directory(self, member: Member, opt_in: bool) -> None:
        """Opt in or out of the member directory."""
        async with self.db.transaction():
            await self.members.update_fields(member.id, directory_opt_in=int(opt_in))

    async def set_district(self, member: Member, district_id: int) -> None:
        """Set the district; a municipality of another district is cleared."""
        district = await self.territory.territory(district_id)
        if district is None or district.kind not in ("landkreis", "kreisfreie_stadt"):
            raise NotFound("profile-district-unknown")
        municipality = member.municipality_id
        if municipality is not None:
            current = await self.territory.territory(municipality)
            if current is None or current.parent_id != district_id:
                municipality = None
        async with self.db.transaction():
            await self.members.update_fields(member.id, district_id=district_id, municipality_id=municipality)

    async def set_municipality(self, member: Member, municipality_id: int | None) -> None:
        """Set the municipality (must lie in the member's district) or clear it."""
        if municipality_id is not None:
            place = await self.territory.territory(municipality_id)
            if place is None or place.parent_id != member.district_id:
                raise NotFound("profile-municipality-unknown")
        async with self.db.transaction():
            await self.members.update_fields(member.id, municipality_id=municipality_id)

    async def add_mandate(
        self, member: Member, body_id: int, function: str, topic_ids: tuple[int, ...]
    ) -> None:
        """Add a mandate in an existing body with a known function and topics."""
        if await self.territory.body(body_id) is None:
            raise NotFound("profile-body-unknown")
        check_function(function)
        current = await self.members.mandates(member.id)
        if len(current) >= MAX_MANDATES and body_id not in {m.body_id for m in current}:
            raise InvalidInput("profile-mandates-limit", max=MAX_MANDATES)
        known = {t.id for t in await self.territory.topics()}
        if not set(topic_ids) <= known:
            raise NotFound("profile-topic-unknown")
        async with self.db.transaction():
            await self.members.add_mandate(member.id, body_id, function, topic_ids)

    async def clear_mandates(self, member: Member) -> None:
        """Remove all mandates (the member re-enters them)."""
        async with self.db.transaction():
            await self.members.remove_mandates(member.id)

    async def set_topics(self, member: Member, topic_ids: tuple[int, ...]) -> None:
        """Replace the topics of interest."""
        known = {t.id for t in await self.territory.topics()}
        if not set(topic_ids) <= known:
            raise NotFound("profile-topic-unknown")
        async with self.db.transaction():
            await self.members.set_topics(member.id, tuple(sorted(set(topic_ids))))

    async def submit(self, member: Member) -> Member:
        """Finish onboarding: active at once for admins and invitees, else pending approval."""
        if member.district_id is None or not member.display_name:
            raise InvalidInput("onboarding-incomplete")
        via_invite = member.joined_via_invite is not None
        active = via_invite or member.telegram_id in self.auth.admin_ids
        status = Status.ACTIVE if active else Status.PENDING
        async with self.db.transaction():
            if not await self.members.set_status(
                member.id, status, self.now(), expect=(Status.ONBOARDING, Status.REJECTED)
            ):
                raise Stale()
            if via_invite:
                await self.audit.record(self.now(), member.id, "member.join_by_invite", member.id)
        fresh = await self.members.get(member.id)
        assert fresh is not None
        return fresh

    async def export(self, member: Member) -> MemberExport:
        """Everything stored about the member, for `/meinedaten`."""
        data = await self.personal_export.collect(member.id, member.telegram_id)
        data["privacy_version_current"] = PRIVACY_VERSION
        return MemberExport(data, tuple(await self.territory.topics()))

    async def erase(self, telegram_id: int, known_as: Sequence[str] = ()) -> list[SentCard]:
        """Erase the person from every table (and from others' dialogs that mention her by a name
        in `known_as`, her Telegram names, or the stored one); return the cards of her questions in
        the factions' chats, for the handler to edit to the anonymous form. The ledger notes the
        erasure first, so a restored backup loses her again; the write-ahead log is emptied after,
        so that it keeps no copy of the deleted rows."""
        member = await self.members.by_telegram_id(telegram_id)
        now = self.now()
        if self.ledger is not None:
            await asyncio.to_thread(self.ledger.record, telegram_id, now)
        async with self.db.transaction():
            cards = await self.personal.erase(member.id if member else None, telegram_id, known_as)
            # The entry says that an erasure happened, not whom it concerned.
            await self.audit.record(now, None, "member.erase")
        await self.db.checkpoint()
        log.info("erased member #%s", member.id if member else "-")
        return cards

    async def log_access(
        self,
        actor: Actor,
        action: str,
        target_id: int | None = None,
        detail: Mapping[str, object] | None = None,
    ) -> None:
        """Record a privileged look (member list, export) in the audit log."""
        async with self.db.transaction():
            await self.audit.record(self.now(), actor.member_id, action, target_id, detail)

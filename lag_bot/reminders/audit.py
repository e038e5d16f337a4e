"""What the audit log holds about reminders: a coordinator's reminder to members (all or a
segment, "👥 An Mitglieder") is audited like a broadcast to the same audience, with the segment
itself and how many it reaches; a coordinator's reminder in a group they do not administer with
the group. Personal reminders and a group admin's own group are not privileged: nothing is written.
"""

from __future__ import annotations

from lag_bot.audience import AudienceRepository
from lag_bot.authorization import Actor
from lag_bot.db import Database
from lag_bot.reminders.rules import Target
from lag_bot.repositories.audit import AuditRepository, audience_detail


class ReminderAudit:
    """Writes the audit entry of a privileged reminder (call inside the transaction that stores it)."""

    def __init__(self, db: Database, audience: AudienceRepository) -> None:
        self.audit = AuditRepository(db)
        self.audience = audience

    async def record(self, now: str, actor: Actor, target: Target, reminder_id: int, edited: bool) -> None:
        """`reminder.segment` / `reminder.group` (`.edit` when an existing one got a new time or text)."""
        suffix = ".edit" if edited else ""
        if target.kind == "segment" and target.audience is not None:
            reached = len(await self.audience.resolve(target.audience))
            detail = {"reminder": reminder_id, **audience_detail(target.audience.to_json(), reached)}
            await self.audit.record(now, actor.member_id, f"reminder.segment{suffix}", None, detail)
        elif target.kind == "group" and not target.by_group_admin:
            detail = {"reminder": reminder_id, "group": target.group_id}
            await self.audit.record(now, actor.member_id, f"reminder.group{suffix}", None, detail)

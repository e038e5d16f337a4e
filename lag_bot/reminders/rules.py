"""The rules of reminders that need no database: who a reminder is for and who may set or
manage it, what its text may be, and when a rule fires next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lag_bot.audience import AudienceSpec, Recipient
from lag_bot.authorization import Actor
from lag_bot.clock import iso_ms
from lag_bot.errors import InvalidInput, NotAllowed
from lag_bot.models import Member, Role
from lag_bot.repositories.reminders import ReminderRow
from lag_bot.text_input import one_line, strip_control
from lag_bot.timeparse.parse import OneOff, Recurring, When, next_occurrences

BODY_MAX = 1000


@dataclass(frozen=True)
class Target:
    """Who a reminder is for."""

    kind: str  # "member", "group" or "segment"
    member_id: int | None = None
    group_id: int | None = None
    audience: AudienceSpec | None = None
    by_group_admin: bool = False  # the actor administers this Telegram group (the caller checked it)


def clean_body(body: str) -> str:
    """A reminder's text with its spaces folded; refused when empty or over BODY_MAX."""
    body = one_line(strip_control(body))
    if not body:
        raise InvalidInput("reminder-empty")
    if len(body) > BODY_MAX:
        raise InvalidInput("reminder-too-long", max=BODY_MAX, length=len(body))
    return body


def check_may_set(actor: Actor, target: Target) -> None:
    """Members may remind themselves; coordinators also groups and segments; a group's own admins
    (who are active members, checked by the caller) their group."""
    if target.kind == "member":
        if actor.member is None or target.member_id != actor.member.id:
            raise NotAllowed()
    elif target.kind == "group" and target.by_group_admin and actor.role is not None:
        return
    elif target.kind not in ("group", "segment") or not actor.at_least(Role.COORDINATOR):
        raise NotAllowed()
    spec = target.audience
    if target.kind == "segment" and (
        spec is None or spec.members not in ("all", "segment") or spec.groups != "none"
    ):
        raise InvalidInput("reminder-segment-invalid")


def owns(actor: Actor, row: ReminderRow) -> bool:
    """Whether `actor` manages `row` from their private chat: their own personal reminder, or a
    segment reminder they set while they are still a coordinator."""
    if actor.member is None or actor.role is None:
        return False
    if row.target_kind == "member":
        return row.member_id == actor.member.id
    return (
        row.target_kind == "segment"
        and row.created_by == actor.member.id
        and actor.at_least(Role.COORDINATOR)
    )


def schedule(when: When) -> ReminderRow:
    """A row carrying only the rule and times of `when` (the caller fills in the rest)."""
    first = when.at if isinstance(when, OneOff) else when.first
    return ReminderRow(
        id=0,
        created_by=None,
        target_kind="",
        member_id=None,
        group_id=None,
        audience=None,
        body="",
        rrule=when.rrule if isinstance(when, Recurring) else None,
        tz=when.tz if isinstance(when, Recurring) else str(first.tzinfo),
        first_at=first.isoformat(),
        next_due=iso_ms(first),
        last_fired=None,
        status="active",
    )


def member_recipient(member: Member) -> Recipient:
    return Recipient(chat_id=member.telegram_id, member_id=member.id, language=member.language)


def next_after(row: ReminderRow, after: datetime) -> datetime | None:
    """The next firing strictly after `after` (every missed one in between is skipped)."""
    if row.rrule is None:
        return None
    rule = Recurring(row.rrule, row.tz, datetime.fromisoformat(row.first_at))
    found = next_occurrences(rule, after=after, count=1)
    return found[0] if found else None

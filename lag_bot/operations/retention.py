"""Retention: rules that delete what is no longer needed, run once a day, each count logged.

    retention = Retention(clock)
    retention.register("dialogs", 30, repo.delete_dialogs)   # a callable: cutoff (UTC ISO) -> rows deleted
    counts = await retention.run()                           # {"dialogs": 3, ...}

A rule gets the cutoff, `now - days`, and deletes what became older than that; its SQL lives in a
repository. A feature registers its own rules where its services are wired (the questions feature:
"closed and not archived questions after a year"). `days` 0 switches a rule off.

The rules for the tables of the core (`core_rules`) and what they never touch:

- deliveries (RETAIN_DELIVERIES_DAYS, 90): outbox rows that are finished (sent, unreachable,
  failed, stopped) since before the cutoff. Never pending or in-flight rows, and never the group
  copies of an invitation to an event that is not over yet (they are edited in place with live counts).
- pending-members (RETAIN_PENDING_DAYS, 30): people who agreed to the privacy notice but never
  finished the profile wizard (status 'onboarding', unchanged and no dialog step since the
  cutoff), erased like `/austreten` does. Never a member who finished the wizard: 'pending'
  (waiting for a coordinator's decision), 'active', 'suspended' and 'rejected' members stay.
- declined-consents (RETAIN_PENDING_DAYS): the record of a "no" to the privacy notice, of people
  who are no member.
- expired-invites (RETAIN_INVITES_DAYS, 30): invite links that expired before the cutoff (members
  who joined with one keep their membership; the reference to the link becomes empty).
- dialogs (RETAIN_DIALOGS_DAYS, 30): dialogs (a wizard, a draft) untouched since the cutoff.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from lag_bot.clock import Clock, iso
from lag_bot.repositories.retention import RetentionRepository
from lag_bot.settings import RetentionDays

log = logging.getLogger(__name__)
Delete = Callable[[str], Awaitable[int]]


@dataclass(frozen=True)
class Rule:
    """One kind of row and how long it is kept."""

    name: str
    days: int
    delete: Delete


class Retention:
    """The registered rules, run in the order they were registered."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._rules: dict[str, Rule] = {}

    def register(self, name: str, days: int, delete: Delete) -> None:
        """Add a rule (`days` 0: off, not added); a name can be registered once."""
        if name in self._rules:
            raise ValueError(f"retention rule {name!r} is registered twice")
        if days > 0:
            self._rules[name] = Rule(name, days, delete)

    @property
    def rules(self) -> list[Rule]:
        """The active rules."""
        return list(self._rules.values())

    async def run(self) -> dict[str, int]:
        """Apply every rule once; a rule that fails is logged and the others still run."""
        now = self.clock()
        counts: dict[str, int] = {}
        for rule in self._rules.values():
            try:
                counts[rule.name] = await rule.delete(iso(now - timedelta(days=rule.days)))
            except Exception:  # one broken rule must not keep the others from running
                log.exception("retention: rule %s failed", rule.name)
                continue
            log.info(
                "retention: %s: %d deleted (older than %d days)", rule.name, counts[rule.name], rule.days
            )
        log.info("retention: %d rows deleted in all", sum(counts.values()))
        return counts


def core_rules(retention: Retention, repo: RetentionRepository, days: RetentionDays) -> None:
    """Register the rules for the core's tables (see the module docstring)."""
    retention.register("deliveries", days.deliveries_days, repo.delete_finished_deliveries)
    retention.register("pending-members", days.pending_days, repo.delete_unfinished_members)
    retention.register("declined-consents", days.pending_days, repo.delete_declined_consents)
    retention.register("expired-invites", days.invites_days, repo.delete_expired_invites)
    retention.register("dialogs", days.dialogs_days, repo.delete_idle_dialogs)

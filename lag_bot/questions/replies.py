"""The faction's side of a question: claim it, answer it, pass it on, decline it, agree to the archive.

    responder = Responder(member, group_chat_id=chat.id)       # acting in the faction's group
    responder = Responder(member, in_faction_group=True)       # in private; Telegram says they are in it
    await questions.claim(responder, target_id)
    await questions.answer(responder, target_id, "Bei uns …")  # goes to the asker through the outbox

Whoever acts must belong to the faction the question is addressed to: in a group, the group must be
linked to that faction; in private, they are one of its contact people (named by a coordinator) or
Telegram confirms they are in its group. A mandate in the profile alone does not count: members
enter it themselves. Anyone else is refused and nothing is routed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from lag_bot.clock import iso, iso_ms
from lag_bot.errors import InvalidInput, NotAllowed, Stale
from lag_bot.models import Member, Status
from lag_bot.questions.base import QuestionBase, still_open
from lag_bot.questions.models import ANSWER_MAX, Draft, Faction, Question, Target
from lag_bot.questions.rules import clean_reason, clean_text, deadline_after

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Responder:
    """A member acting for a faction, and where."""

    member: Member
    group_chat_id: int | None = None  # the group they wrote or pressed in
    in_faction_group: bool = False  # checked with Telegram by the caller


@dataclass(frozen=True)
class Claim:
    """What pressing "Ich antworte" did."""

    new: bool
    by: str  # the name of whoever has it


@dataclass(frozen=True)
class Sent:
    """An answer or follow-up that was stored and queued."""

    answer_id: int
    question_id: int
    target_id: int
    reached: int  # recipients it was queued for


class QuestionReplies(QuestionBase):
    """The faction side of the questions service."""

    async def responder_target(
        self, responder: Responder, target_id: int
    ) -> tuple[Question, Target, Faction]:
        """The question as the responder's faction has it, or NotAllowed/NotFound."""
        target = await self.target(target_id)
        await self.check_responder(responder, target.faction_id)
        return await self.get(target.question_id), target, await self.faction(target.faction_id)

    async def check_responder(self, responder: Responder, faction_id: int) -> None:
        """NotAllowed unless the responder belongs to the faction (see the module docstring)."""
        if responder.member.status is not Status.ACTIVE:
            raise NotAllowed("question-members-only")
        if responder.group_chat_id is not None:
            group = await self.routing.chats.get(responder.group_chat_id)
            if (
                group is None
                or not group.active
                or group.link_kind != "faction"
                or group.faction_id != faction_id
            ):
                raise NotAllowed("question-not-your-faction")
            return
        if not responder.in_faction_group and not await self.routing.belongs(responder.member.id, faction_id):
            raise NotAllowed("question-not-your-faction")

    async def claim(self, responder: Responder, target_id: int) -> Claim:
        """ "Ich antworte": the target is the responder's to answer, unless someone has it already."""
        question, target, _ = await self.responder_target(responder, target_id)
        still_open(question, target)
        now = self.clock()
        async with self.db.transaction():
            question, target = await self.still_open_now(question, target)
            new = await self.repo.claim(target.id, responder.member.id, iso(now))
            if new:
                await self._store_status(question, now)
        # `target` was read in the transaction before the claim: whoever claimed it first is in it.
        if new or target.claimed_by == responder.member.id:
            return Claim(new, responder.member.display_name or "?")
        holder = await self.members.get(target.claimed_by) if target.claimed_by is not None else None
        return Claim(False, (holder.display_name if holder else None) or "?")

    async def answer(self, responder: Responder, target_id: int, text: str) -> Sent:
        """Store an answer and queue it for the asker (with the faction's name, and the author's
        unless the faction answers as a faction); the first answer makes the question answered."""
        body = clean_text(text, ANSWER_MAX, "question-answer")
        question, target, faction = await self.responder_target(responder, target_id)
        still_open(question, target)
        member = responder.member
        now = self.clock()
        asker = await self._asker_recipient(question)
        async with self.db.transaction():
            question, target = await self.still_open_now(question, target)
            answer_id = await self.repo.add_answer(
                target, "answer", member.id, faction.answer_as_faction, body, iso(now)
            )
            await self.repo.claim(target.id, member.id, iso(now))
            await self.repo.target_answered(target.id, iso(now))
            await self.repo.delete_reminders(target.id)
            await self._store_status(question, now)
            if asker is not None:
                author = None if faction.answer_as_faction else member.display_name
                parts = self.render.answer_parts(question, faction, author, body, target.id)
                await self.outbox.enqueue("question-answer", [asker], parts, iso_ms(now), ref_id=target.id)
            await self.archive.refresh(question.id)
        self._wake()
        log.info("question %s answered by faction %s (answer %s)", question.id, faction.id, answer_id)
        return Sent(answer_id, question.id, target.id, 1 if asker else 0)

    async def faction_archive(self, responder: Responder, target_id: int, ok: bool) -> bool:
        """The faction agrees (or not) that its answer goes into the archive; whether it is archived."""
        question, target, _ = await self.responder_target(responder, target_id)
        if target.answered_at is None:
            raise InvalidInput("question-archive-no-answer")
        async with self.db.transaction():
            await self.repo.set_target_archive(target.id, ok)
            return await self.archive.refresh(question.id)

    async def forward(self, responder: Responder, target_id: int, faction_id: int) -> Faction:
        """Pass the question on to another faction, which gets it with a fresh deadline; the asker
        and the faction's group are told."""
        question, target, faction = await self.responder_target(responder, target_id)
        still_open(question, target)
        new = await self._next_faction(question, faction_id)
        now = self.clock()
        async with self.db.transaction():
            question, target = await self.still_open_now(question, target)
            if not await self.repo.set_state(target.id, "forwarded"):
                raise Stale()
            await self.repo.delete_reminders(target.id)
            await self._add_target(question, new, now, via=target.id)
            await self._notify_asker(
                question, "question-notice-forwarded", now, id=question.id, faction=new.name
            )
            groups, _ = await self.routing.recipients(faction, None)
            name = responder.member.display_name or "?"
            parts = self.render.notice_parts(
                "question-notice-forwarded-group", id=question.id, name=name, faction=new.name
            )
            await self.outbox.enqueue("question-notice", groups, parts, iso_ms(now))
        self._wake()
        log.info("question %s passed on from faction %s to %s", question.id, faction.id, new.id)
        return new

    async def decline(self, responder: Responder, target_id: int, reason: str) -> None:
        """ "Nicht zuständig": back to the coordinators with the reason; the asker is told."""
        reason = clean_reason(reason)
        question, target, faction = await self.responder_target(responder, target_id)
        still_open(question, target)
        now = self.clock()
        coordinators = await self.routing.coordinators()
        async with self.db.transaction():
            question, target = await self.still_open_now(question, target)
            if not await self.repo.set_state(target.id, "declined", reason):
                raise Stale()
            await self.repo.delete_reminders(target.id)
            await self._store_status(question, now)
            parts = self.render.board_notice(
                question.id, "question-notice-declined", faction=faction.name, reason=reason
            )
            await self.outbox.enqueue("question-notice", coordinators, parts, iso_ms(now))
            await self._notify_asker(
                question, "question-notice-declined-asker", now, id=question.id, faction=faction.name
            )
        self._wake()
        log.info("question %s declined by faction %s", question.id, faction.id)

    async def _next_faction(self, question: Question, faction_id: int) -> Faction:
        """The faction a question is passed to: reachable, and not addressed already."""
        (new,) = await self.routing.resolve(Draft(faction_ids=(faction_id,)))
        if new.id in {t.faction_id for t in await self.repo.targets(question.id)}:
            raise InvalidInput("question-already-addressed", faction=new.name)
        return new

    async def _add_target(
        self, question: Question, faction: Faction, now: datetime, via: int | None = None
    ) -> Target:
        """Address the question to one more faction: its deadline, reminders and card (in a transaction)."""
        target_id = await self.repo.add_target(
            question.id, faction.id, deadline_after(now, faction.deadline_days), iso(now), via
        )
        target = await self.target(target_id)
        await self._schedule(target, now)
        await self._deliver_card(question, target, faction, now)
        await self._store_status(question, now)
        return target

"""The rule "who may act for a faction" (lag_bot.questions.acting.FactionRule) with a fake Telegram:
a contact person named by a coordinator, or a member Telegram confirms in the faction's linked
group; in a group, only the faction's own group counts; a mandate in the profile never does."""

from __future__ import annotations

from pathlib import Path

import pytest

from lag_bot.clock import iso
from lag_bot.errors import NotAllowed
from lag_bot.models import Status
from lag_bot.questions.acting import Responder
from tests.event_world import NOW, world
from tests.test_question_core import _faction, _mandate


class FakeGroups:
    """Telegram as the test says: who is in which group."""

    def __init__(self, *members: tuple[int, int]) -> None:
        self.members = set(members)
        self.asked: list[tuple[int, int]] = []

    async def is_member(self, chat_id: int, telegram_id: int) -> bool:
        self.asked.append((chat_id, telegram_id))
        return (chat_id, telegram_id) in self.members


async def test_contact_people_and_telegram_confirmed_members_may_act(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        rule = w.services.questions.rule
        kora = await w.member("Kora Kreis")  # in the faction's group, as Telegram says
        carl = await w.member("Carl Kontakt")  # named a contact person
        mona = await w.member("Mona Mandat")  # a mandate in her profile, nothing else
        await _mandate(w, mona, "Kreistag Rostock")
        kt = await _faction(w, "Kreistag Rostock", group=-500, contacts=((carl, None),))
        lt = await _faction(w, "Landtag Mecklenburg-Vorpommern", group=-501)
        telegram = FakeGroups((-500, kora.telegram_id), (-501, mona.telegram_id))

        assert await rule.allows(Responder(kora, groups=telegram), kt)
        assert await rule.allows(Responder(carl), kt)  # no Telegram needed
        assert not await rule.allows(Responder(mona, groups=telegram), kt)  # the mandate proves nothing
        assert not await rule.allows(Responder(kora), kt)  # without Telegram's word: no
        assert not await rule.allows(Responder(kora, groups=telegram), lt)  # another faction's group
        assert await rule.allows(Responder(mona, groups=telegram), lt)

        # In a group: the group must be the faction's own; Telegram is not asked.
        asked = len(telegram.asked)
        assert await rule.allows(Responder(mona, group_chat_id=-500, groups=telegram), kt)
        assert not await rule.allows(Responder(kora, group_chat_id=-501, groups=telegram), kt)
        assert not await rule.allows(Responder(kora, group_chat_id=-999, groups=telegram), kt)
        assert len(telegram.asked) == asked

        with pytest.raises(NotAllowed):
            await rule.check(Responder(mona, groups=telegram), kt)
        async with w.services.db.transaction():
            await w.services.members.set_status(carl.id, Status.SUSPENDED, iso(NOW))
        suspended = await w.services.members.get(carl.id)
        assert suspended is not None
        with pytest.raises(NotAllowed):  # no longer an active member: refused whatever the evidence
            await rule.allows(Responder(suspended, groups=telegram), kt)

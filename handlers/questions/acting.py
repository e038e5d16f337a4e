"""The Telegram side of "who may act for a faction": where a press or a reply comes from, and
Telegram's word (getChatMember) on who is in a faction's group. The rule itself is
`lag_bot.questions.acting.FactionRule`."""

from __future__ import annotations

from telegram import Bot, ChatMember, Update
from telegram.error import BadRequest, Forbidden

from lag_bot.models import Member
from lag_bot.questions.acting import Responder

_IN = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)


class TelegramGroups:
    """`GroupMembership` through getChatMember, made for one update: Telegram is asked once per
    group however often the service checks."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.known: dict[tuple[int, int], bool] = {}

    async def is_member(self, chat_id: int, telegram_id: int) -> bool:
        """Whether Telegram says the person is in the group now."""
        if (chat_id, telegram_id) not in self.known:
            self.known[chat_id, telegram_id] = await self._ask(chat_id, telegram_id)
        return self.known[chat_id, telegram_id]

    async def _ask(self, chat_id: int, telegram_id: int) -> bool:
        try:
            status = (await self.bot.get_chat_member(chat_id, telegram_id)).status
        except (BadRequest, Forbidden):  # the bot lost the group meanwhile: it cannot vouch for anyone
            return False
        return status in _IN


def responder(update: Update, bot: Bot, member: Member) -> Responder:
    """The member acting where the update comes from (a group, or private); the core decides."""
    chat = update.effective_chat
    assert chat is not None
    if chat.type != "private":
        return Responder(member, group_chat_id=chat.id)
    return Responder(member, groups=TelegramGroups(bot))

"""Other people's open dialogs that mention a person who is being erased (called from
`PersonalDataRepository.erase`).

A coordinator's member search keeps `{"search": "<surname>"}`, a card they opened keeps the member's
id. The rule: another person's dialog goes when its data holds
- a text that is part of a name the person used (her surname typed as a search), or that contains
  one of the words of such a name (four letters or more, so not "von"), compared without case;
- her Telegram id anywhere, or her internal id under a key that names a member.
Clearing too much costs someone a dialog they start again; clearing too little keeps her data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from lag_bot.db import Database

_SHORTEST_TEXT = 3  # a typed search this long that is part of a name
_SHORTEST_WORD = 4  # a word of a name this long inside a text (not "von", "zu")


class OthersDialogs:
    """Finds and deletes the dialogs of others that mention one person."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def clear_mentions(self, telegram_id: int, member_id: int | None, names: Sequence[str]) -> int:
        """Delete the dialogs of others that mention the person; return how many went."""
        rule = _Mention(telegram_id, member_id, names)
        rows = await self.db.fetchall(
            "SELECT telegram_id, data FROM dialogs WHERE telegram_id != ?", (telegram_id,)
        )
        gone = [int(row[0]) for row in rows if rule.found_in(_parsed(str(row[1])))]
        for owner in gone:
            await self.db.execute("DELETE FROM dialogs WHERE telegram_id = ?", (owner,))
        return len(gone)


class _Mention:
    """Whether a piece of dialog data mentions the person."""

    def __init__(self, telegram_id: int, member_id: int | None, names: Sequence[str]) -> None:
        self.telegram_id = telegram_id
        self.member_id = member_id
        self.names = [name.casefold() for name in names if name.strip()]
        self.words = {w for name in self.names for w in name.split() if len(w) >= _SHORTEST_WORD}

    def found_in(self, value: object, key: str = "") -> bool:
        if isinstance(value, dict):
            return any(self.found_in(v, str(k)) for k, v in value.items())
        if isinstance(value, list):
            return any(self.found_in(v, key) for v in value)
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return value == self.telegram_id or (value == self.member_id and "member" in key.casefold())
        if isinstance(value, str):
            return self._text(value.strip().casefold(), key)
        return False

    def _text(self, text: str, key: str) -> bool:
        if not text:
            return False
        if text == str(self.telegram_id) or (
            self.member_id is not None and text == str(self.member_id) and "member" in key.casefold()
        ):
            return True
        in_a_name = len(text) >= _SHORTEST_TEXT and any(text in name for name in self.names)
        return in_a_name or any(word in text for word in self.words)


def _parsed(data: str) -> object:
    try:
        return json.loads(data)
    except ValueError:
        return data


"""Contact people of a faction in `/fraktionen`: choose a member (those with a mandate in the body are
offered; any other by typing part of the name), then the topic they answer for (or every topic);
remove one. The typed name waits in the coordinator's dialog (kind "faction", a `ContactSearch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update

from handlers import audience_picker as picker
from handlers import help as help_handler
from handlers.common import Button, actor_language, chunk, clear_dialog, save_dialog, send, send_html
from handlers.context import LagContext
from handlers.membership.faction_view import FEATURE, Action, body_screen
from lag_bot.authorization import Actor
from lag_bot.callbacks import Callback, encode
from lag_bot.errors import Stale
from lag_bot.models import Dialog, Member, Role
from lag_bot.questions.render import excerpt

DIALOG = "faction"
ACTIONS = (Action.CONTACT_ADD, Action.CONTACT_MEMBER, Action.CONTACT_TOPIC, Action.CONTACT_REMOVE)


@dataclass(frozen=True)
class ContactSearch:
    """The dialog's state: the faction a contact person is being looked for (by typed name)."""

    faction: int

    def to_json(self) -> dict[str, Any]:
        """The stored form."""
        return {"faction": self.faction}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ContactSearch | None:
        """Read the stored form; None if it holds no faction."""
        faction = data.get("faction")
        return cls(faction) if isinstance(faction, int) else None


async def on_action(
    update: Update, context: LagContext, actor: Actor, lang: str, action: Action, cb: Callback
) -> None:
    """Add (choose member, choose topic) or remove a contact person."""
    svc = context.services
    t = svc.texts.t
    faction = await svc.factions.faction(actor, cb.int_arg(0))
    if action is Action.CONTACT_ADD:
        people = await svc.factions.candidates(actor, faction.id)
        state = ContactSearch(faction.id).to_json()
        await save_dialog(context, Dialog(actor.telegram_id, DIALOG, "name", state))
        rows = [[(name, encode(FEATURE, Action.CONTACT_MEMBER, faction.id, who))] for who, name in people]
        key = "faction-contact-choose" if people else "faction-contact-type"
        await send(update, context, lang, key, rows, faction=faction.name)
    elif action is Action.CONTACT_MEMBER:
        member = await svc.profiles.get(cb.int_arg(1))
        if member is None:
            raise Stale()
        topics = [
            (tp.name(lang), encode(FEATURE, Action.CONTACT_TOPIC, faction.id, member.id, tp.id))
            for tp in await svc.places.topics()
        ]
        every_topic = encode(FEATURE, Action.CONTACT_TOPIC, faction.id, member.id, 0)
        rows = [
            [(t(lang, "faction-all-topics"), every_topic)],
            *chunk(topics, 2),
        ]
        text = t(lang, "faction-contact-topic", name=member.display_name or "?", faction=faction.name)
        await picker.show_screen(update, context, text, rows, edit=True)
    elif action is Action.CONTACT_TOPIC:
        topic = cb.int_arg(2) or None
        added = await svc.factions.add_contact(actor, faction.id, cb.int_arg(1), topic)
        await clear_dialog(context, actor.telegram_id)
        view = await svc.factions.view(actor, faction.body_id)
        note = t(lang, "faction-contact-added" if added else "faction-contact-known")
        text, rows = await body_screen(context, lang, view)
        await picker.show_screen(update, context, f"{note}\n\n{text}", rows, edit=True)
    else:  # Action.CONTACT_REMOVE
        await svc.factions.remove_contact(actor, faction.id, cb.int_arg(1))
        text, rows = await body_screen(context, lang, await svc.factions.view(actor, faction.body_id))
        await picker.show_screen(update, context, text, rows, edit=True)


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """A typed name: the active members whose name contains it."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    svc = context.services
    search = ContactSearch.from_json(dialog.data)
    if search is None:
        await help_handler.on_free_text(update, context)
        return
    actor = await svc.authorizer.require(user.id, Role.COORDINATOR)
    lang = actor_language(context, actor)
    faction = await svc.factions.faction(actor, search.faction)
    found = await svc.factions.find_members(actor, message.text or "")
    if not found:
        await send(update, context, lang, "faction-contact-none-found", text=excerpt(message.text or "", 100))
        return
    rows: list[list[Button]] = [
        [(m.display_name or "?", encode(FEATURE, Action.CONTACT_MEMBER, faction.id, m.id))] for m in found
    ]
    await send_html(update, context, svc.texts.t(lang, "faction-contact-found", faction=faction.name), rows)

"""`/gruppe` in a linked group: the gate settings ("Beitritt nur für Mitglieder", automatic
removal) for coordinators; and the one button handler of the gate's feature (the settings and
the removal confirmations of `group_leaving`)."""

from __future__ import annotations

from telegram import Update

from handlers.common import Button, keyboard, language, pressed, send, send_html
from handlers.context import LagContext
from handlers.membership import group_actions, group_leaving
from handlers.membership.group_actions import Action
from handlers.membership.group_telegram import TelegramGroupControl
from lag_bot.callbacks import encode
from lag_bot.errors import UserError
from lag_bot.membership.group_gate import Gate

FEATURE = group_actions.FEATURE
RIGHTS = {"admin": "gate-right-admin", "invite": "gate-right-invite", "restrict": "gate-right-restrict"}
SETTINGS = {Action.MEMBERS_ONLY: "members_only", Action.AUTO_REMOVE: "auto_remove"}


async def cmd_gruppe(update: Update, context: LagContext) -> None:
    """Show the group's gate with buttons to switch it."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    if chat.type not in ("group", "supergroup"):
        raise UserError("groups-only-in-groups")
    svc = context.services
    actor = await svc.authorizer.actor(user.id)
    gate = await svc.group_gate.gate(actor, chat.id)
    lang = await language(update, context)
    await send_html(update, context, _screen(context, lang, gate), _rows(context, lang, gate))


async def on_button(update: Update, context: LagContext) -> None:
    """A switch on the gate screen (coordinators only), or a removal confirmation."""
    press = pressed(update)
    action = press.cb.action_of(Action)
    if action is Action.REMOVE:
        await group_leaving.on_confirm(update, context, press)
        return
    chat = update.effective_chat
    assert chat is not None
    svc = context.services
    actor = await svc.authorizer.actor(press.user.id)
    on = press.cb.int_arg(0) == 1
    control = TelegramGroupControl(context.bot)
    switched = await svc.group_gate.switch(actor, chat.id, SETTINGS[action], on, control)
    lang = await language(update, context)
    if switched.missing:
        t = svc.texts.t
        missing = ", ".join(t(lang, RIGHTS[name]) for name in switched.missing)
        await press.query.answer()
        await send(update, context, lang, "gate-missing", missing=missing)
        return
    await press.query.answer(svc.texts.t(lang, "gate-saved"))
    gate = switched.gate
    await press.query.edit_message_text(
        _screen(context, lang, gate),
        parse_mode="HTML",
        reply_markup=keyboard(_rows(context, lang, gate)),
    )


def _screen(context: LagContext, lang: str, gate: Gate) -> str:
    t = context.services.texts.t
    on_off = {True: t(lang, "gate-on"), False: t(lang, "gate-off")}
    text = t(
        lang,
        "gate-screen",
        group=gate.title,
        members_only=on_off[gate.members_only],
        auto_remove=on_off[gate.auto_remove],
    )
    if gate.members_only and gate.join_link:
        text += "\n" + t(lang, "gate-link-line", link=gate.join_link)
    return text


def _rows(context: LagContext, lang: str, gate: Gate) -> list[list[Button]]:
    t = context.services.texts.t
    members_only = "gate-btn-members-only-off" if gate.members_only else "gate-btn-members-only-on"
    auto_remove = "gate-btn-auto-remove-off" if gate.auto_remove else "gate-btn-auto-remove-on"
    return [
        [
            (
                t(lang, members_only),
                encode(FEATURE, Action.MEMBERS_ONLY, int(not gate.members_only)),
            )
        ],
        [
            (
                t(lang, auto_remove),
                encode(FEATURE, Action.AUTO_REMOVE, int(not gate.auto_remove)),
            )
        ],
    ]

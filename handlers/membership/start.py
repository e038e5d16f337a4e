"""`/start`: the greeting, the consent, the way into onboarding (also from an invite link)."""

from __future__ import annotations

from telegram import Update

from handlers import help as help_handler
from handlers.common import current_member, language, pressed, send
from handlers.context import LagContext
from handlers.membership import wizard
from handlers.membership.consent import FEATURE as FEATURE  # the feature composition registers
from handlers.membership.consent import Action
from lag_bot.callbacks import encode
from lag_bot.errors import InvalidInput, Stale, UserError
from lag_bot.membership.invites import looks_like_code
from lag_bot.membership.onboarding import ONBOARDING
from lag_bot.models import Status


async def cmd_start(update: Update, context: LagContext) -> None:
    """Greet a newcomer with the consent question, or show a known member where they are."""
    member = await current_member(update, context)
    code = context.args[0] if context.args else ""
    lang = await language(update, context)
    if member is not None:
        if code:
            await send(update, context, lang, "invite-already-member")
        if member.status is Status.ONBOARDING:
            if not await wizard.resume(update, context, member):
                await wizard.start(update, context, member, ONBOARDING, "name")
            return
        await help_handler.show_status(update, context, member)
        return
    if code:
        try:
            if not looks_like_code(code):
                raise InvalidInput("invite-unknown")
            await context.services.invites.check(code)
        except UserError as exc:  # say why, then offer the normal way in (with approval)
            await send(update, context, lang, exc.key)
            code = ""
    t = context.services.texts.t
    consent_args = (Action.YES, code) if code else (Action.YES,)
    rows = [
        [(t(lang, "consent-accept"), encode(FEATURE, *consent_args))],
        [(t(lang, "consent-decline"), encode(FEATURE, Action.NO))],
        [(t(lang, "consent-read"), encode(FEATURE, Action.READ))],
    ]
    await send(update, context, lang, "start-greeting", rows)


async def _reapply(update: Update, context: LagContext) -> None:
    """A rejected member goes through the wizard again; submitting makes them pending again."""
    query = update.callback_query
    member = await current_member(update, context)
    if query is None or member is None or member.status is not Status.REJECTED:
        raise Stale()
    await query.answer()
    await wizard.start(update, context, member, ONBOARDING, "name")


async def on_consent_button(update: Update, context: LagContext) -> None:
    """Store the consent decision; on yes, open the onboarding wizard."""
    press = pressed(update)
    query, user, cb = press.query, press.user, press.cb
    action = cb.action_of(Action)
    lang = await language(update, context)
    svc = context.services
    if action is Action.READ:
        await query.answer()
        await send(update, context, lang, "privacy-full")
        return
    if action is Action.AGAIN:
        await _reapply(update, context)
        return
    if await current_member(update, context) is not None:
        raise Stale("consent-already")
    if action is Action.NO:
        await svc.membership.consent(user.id, lang, granted=False)
        await query.answer()
        await send(update, context, lang, "consent-declined")
        return
    joined = await svc.membership.join(user.id, lang, cb.args[0] if cb.args else "")
    if joined.refusal is not None:  # the invite could not be used: the person joins with approval
        await send(update, context, lang, joined.refusal)
    await query.answer()
    await send(update, context, lang, "consent-thanks")
    await wizard.start(update, context, joined.member, ONBOARDING, "name")

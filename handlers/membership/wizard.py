"""The profile wizard: one step at a time, with buttons and typed answers.

Used for onboarding (all steps in order) and for editing one field from `/profil`. The step is
stored in the `dialogs` table, so a restart in the middle loses nothing; a button whose step is
no longer the current one is stale and changes nothing. The prompts are `wizard_prompts.py`.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from handlers import menus
from handlers.common import clear_dialog, current_member, load_dialog, pressed, save_dialog, send
from handlers.context import LagContext
from handlers.membership import approvals, profile_view
from handlers.membership.wizard_prompts import proposal, show, show_topics
from handlers.membership.wizard_state import CLEAR, DONE, Action, WizardState
from handlers.membership.wizard_state import FEATURE as FEATURE  # the feature composition registers
from lag_bot.callbacks import Callback, small_int
from lag_bot.errors import InvalidInput, Stale, UserError
from lag_bot.membership.onboarding import ACTION_STEP, ONBOARDING, PROFILE, match_by_name, next_step
from lag_bot.membership.profile_rules import FUNCTIONS
from lag_bot.models import Dialog, Level, Member, Status

LIST_STEPS = ("district", "municipality", "body")  # steps whose choices can fill several pages


async def start(update: Update, context: LagContext, member: Member, kind: str, step: str) -> None:
    """Open a wizard dialog at `step` and show it."""
    await _goto(update, context, member, Dialog(member.telegram_id, kind, step, {}), step, WizardState())


async def on_button(update: Update, context: LagContext) -> None:
    """A wizard button was pressed."""
    press = pressed(update)
    member = await current_member(update, context)
    dialog = await load_dialog(context, member.telegram_id) if member else None
    if member is None or dialog is None or dialog.kind not in (ONBOARDING, PROFILE):
        raise Stale()
    action = press.cb.action_of(Action)
    if action is Action.PAGE and dialog.step in LIST_STEPS:
        await show(update, context, member, dialog, page=press.cb.int_arg(0))
        await press.query.answer()
        return
    if ACTION_STEP.get(action) != dialog.step:
        raise Stale()
    # The press is answered only after it succeeded, so a refusal can still be shown as its answer.
    await _act(update, context, member, dialog, action, press.cb)
    await press.query.answer()


async def _act(
    update: Update, context: LagContext, member: Member, dialog: Dialog, action: Action, cb: Callback
) -> None:
    svc = context.services
    state = WizardState.from_json(dialog.data)
    value = cb.args[0] if cb.args else ""
    if action is Action.NAME:
        name = proposal(update)
        if name is None:
            raise Stale()
        await svc.membership.set_name(member, name)
    elif action is Action.DISTRICT:
        await svc.membership.set_district(member, cb.int_arg(0))
    elif action is Action.MUNICIPALITY:
        await svc.membership.set_municipality(member, cb.int_arg(0) or None)
    elif action is Action.LEVEL:
        await _on_level(update, context, member, dialog, value)
        return
    elif action is Action.BODY:
        offered = await svc.places.bodies_for(member, state.mandate_level())
        if cb.int_arg(0) not in {b.id for b in offered}:
            raise Stale()
        await _goto(update, context, member, dialog, "function", replace(state, body=cb.int_arg(0)))
        return
    elif action is Action.FUNCTION:
        if value not in FUNCTIONS:
            raise Stale()
        new = replace(state, function=value, topics=())
        await _goto(update, context, member, dialog, "mandate_topics", new)
        return
    elif action in (Action.MANDATE_TOPIC, Action.TOPIC):
        await _on_topic(update, context, member, dialog, action, value)
        return
    await advance(update, context, member, dialog)


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """A typed answer to the current step."""
    if member is None:  # the member left meanwhile; their dialog went with them
        raise Stale()
    message = update.effective_message
    assert message is not None and message.text is not None
    svc = context.services
    typed = message.text
    if dialog.step == "name":
        await svc.membership.set_name(member, typed)
    elif dialog.step == "district":
        districts = await svc.places.districts()
        found = match_by_name(districts, typed, {i: d.name for i, d in enumerate(districts)})
        if found is None:
            raise InvalidInput("profile-district-unknown")
        await svc.membership.set_district(member, found.id)
    elif dialog.step == "municipality":
        places = await svc.places.children(member.district_id or 0)
        found_place = match_by_name(places, typed, {i: p.name for i, p in enumerate(places)})
        if found_place is None:
            raise InvalidInput("profile-municipality-unknown")
        await svc.membership.set_municipality(member, found_place.id)
    else:
        raise InvalidInput("wizard-use-buttons")
    await advance(update, context, member, dialog)


async def advance(update: Update, context: LagContext, member: Member, dialog: Dialog) -> None:
    """Go to the next step, or finish the dialog."""
    svc = context.services
    fresh = await svc.profiles.get(member.id)
    assert fresh is not None
    has_places = await svc.places.has_places(fresh.district_id)
    step = next_step(dialog.kind, dialog.step, district_has_municipalities=has_places)
    if step is not None:
        await _goto(update, context, fresh, dialog, step, WizardState())
        return
    await clear_dialog(context, member.telegram_id)
    if dialog.kind == ONBOARDING:
        await _submit(update, context, fresh)
    else:
        await profile_view.show(update, context, fresh)


async def _submit(update: Update, context: LagContext, member: Member) -> None:
    svc = context.services
    member = await svc.membership.submit(member)
    if member.status is Status.ACTIVE:
        await send(update, context, member.language, "onboarding-welcome-active")
        await menus.refresh_for(context, member)
    else:
        await send(update, context, member.language, "onboarding-pending")
        await approvals.send_cards(context, member)


async def _on_level(update: Update, context: LagContext, member: Member, dialog: Dialog, value: str) -> None:
    svc = context.services
    state = WizardState.from_json(dialog.data)
    if value == DONE:
        await advance(update, context, member, dialog)
    elif value == CLEAR:
        await svc.membership.clear_mandates(member)
        await show(update, context, member, dialog)
    elif value in {lvl.value for lvl in Level}:
        bodies = await svc.places.bodies_for(member, Level(value))
        if not bodies:
            raise UserError("wizard-body-none")
        if len(bodies) == 1:
            new = replace(state, level=Level(value), body=bodies[0].id)
            await _goto(update, context, member, dialog, "function", new)
        else:
            await _goto(update, context, member, dialog, "body", replace(state, level=Level(value)))
    else:
        raise Stale()


async def _on_topic(
    update: Update, context: LagContext, member: Member, dialog: Dialog, action: Action, value: str
) -> None:
    svc = context.services
    state = WizardState.from_json(dialog.data)
    chosen = state.topics
    if value != DONE:
        topic_id = small_int(value)
        if topic_id not in {t.id for t in await svc.places.topics()}:
            raise Stale()
        chosen = tuple(t for t in chosen if t != topic_id) if topic_id in chosen else (*chosen, topic_id)
        state = replace(state, topics=chosen, toggled=True)
        await save_dialog(context, replace(dialog, data=state.to_json()))
        await show_topics(update, context, member, dialog.step, state)
        return
    if action is Action.MANDATE_TOPIC:
        if state.body is None or state.function is None:
            raise Stale()
        await svc.membership.add_mandate(member, state.body, state.function, chosen)
        await _goto(update, context, member, dialog, "mandates", state)
        return
    await svc.membership.set_topics(member, chosen)
    await advance(update, context, member, dialog)


async def _goto(
    update: Update, context: LagContext, member: Member, dialog: Dialog, step: str, state: WizardState
) -> None:
    """Store the dialog at `step` with `state` (the topics step starts from the member's topics)."""
    state = replace(state, toggled=False)
    if step == "topics":
        state = replace(state, topics=await context.services.profiles.topic_ids(member.id))
    dialog = Dialog(dialog.telegram_id, dialog.kind, step, state.to_json())
    await save_dialog(context, dialog)
    await show(update, context, member, dialog)


async def resume(update: Update, context: LagContext, member: Member) -> bool:
    """Show the open wizard step again (after /start); False if there is none."""
    dialog = await load_dialog(context, member.telegram_id)
    if dialog is None or dialog.kind not in (ONBOARDING, PROFILE):
        return False
    await show(update, context, member, dialog)
    return True

"""The profile wizard: one step at a time, with buttons and typed answers.

Used for onboarding (all steps in order) and for editing one field from `/profil`. The step is
stored in the `dialogs` table, so a restart in the middle loses nothing; a button whose step is
no longer the current one is stale and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from handlers import menus
from handlers.common import (
    Button,
    chunk,
    clear_dialog,
    current_member,
    keyboard,
    load_dialog,
    paged,
    save_dialog,
    send,
    send_or_turn_page,
)
from handlers.context import LagContext
from handlers.membership import approvals, profile_view
from lag_bot.callbacks import Callback, Feature, decode, encode, small_int
from lag_bot.errors import InvalidInput, Stale, UserError
from lag_bot.i18n import Html
from lag_bot.membership.onboarding import ACTION_STEP, ONBOARDING, PROFILE, match_by_name, next_step
from lag_bot.membership.profile_rules import FUNCTIONS, proposed_name
from lag_bot.models import Dialog, Level, Member, Status

FEATURE = Feature.WIZARD
LIST_STEPS = ("district", "municipality", "body")  # steps whose choices can fill several pages


async def start(
    update: Update, context: LagContext, member: Member, kind: str, step: str, **data: object
) -> None:
    """Open a wizard dialog at `step` and show it."""
    await _goto(update, context, member, Dialog(member.telegram_id, kind, step, {}), step, **data)


async def show(
    update: Update, context: LagContext, member: Member, dialog: Dialog, page: int | None = None
) -> None:
    """Send the prompt of the dialog's current step (`page`: turn the page of its list instead)."""
    turning = page is not None

    def nav(to_page: int) -> str:
        return encode(FEATURE, "pg", to_page)

    lang = member.language
    svc = context.services
    step = dialog.step
    if step == "name":
        user = update.effective_user
        proposal = proposed_name(user.first_name, user.last_name) if user else None
        rows = [[(proposal, encode(FEATURE, "name", "p"))]] if proposal else []
        await send(update, context, lang, "wizard-name", rows)
    elif step == "district":
        districts = await svc.places.districts()
        buttons = [(d.name, encode(FEATURE, "dist", d.id)) for d in districts]
        rows = paged(buttons, page or 0, nav)
        await send_or_turn_page(update, context, lang, "wizard-district", rows, turning)
    elif step == "municipality":
        places = await svc.places.children(member.district_id or 0)
        buttons = [(p.name, encode(FEATURE, "muni", p.id)) for p in places]
        rows = paged(buttons, page or 0, nav, per_row=2)
        rows.append([(svc.texts.t(lang, "wizard-municipality-none"), encode(FEATURE, "muni", 0))])
        await send_or_turn_page(update, context, lang, "wizard-municipality", rows, turning)
    elif step == "mandates":
        summary = await profile_view.mandates_html(context, member)
        level_rows: list[list[Button]] = [
            [(svc.texts.t(lang, f"level-{lvl.value}"), encode(FEATURE, "lvl", lvl.value))] for lvl in Level
        ]
        if summary:
            level_rows.append([(svc.texts.t(lang, "wizard-mandates-clear"), encode(FEATURE, "lvl", "clear"))])
        level_rows.append([(svc.texts.t(lang, "wizard-mandates-done"), encode(FEATURE, "lvl", "done"))])
        none = svc.texts.t(lang, "wizard-mandates-none")
        await send(update, context, lang, "wizard-mandates", level_rows, current=Html(summary or none))
    elif step == "body":
        bodies = await context.services.places.bodies_for(member, Level(dialog.data["level"]))
        buttons = [(b.name, encode(FEATURE, "body", b.id)) for b in bodies]
        await send_or_turn_page(update, context, lang, "wizard-body", paged(buttons, page or 0, nav), turning)
    elif step == "function":
        buttons = [(svc.texts.t(lang, f"function-{f}"), encode(FEATURE, "fn", f)) for f in FUNCTIONS]
        await send(update, context, lang, "wizard-function", chunk(buttons, 1))
    elif step in ("mandate_topics", "topics"):
        await _show_topics(update, context, member, dialog)


async def _show_topics(update: Update, context: LagContext, member: Member, dialog: Dialog) -> None:
    lang = member.language
    action = "mt" if dialog.step == "mandate_topics" else "tp"
    chosen = set(dialog.data.get("topics", []))
    topics = await context.services.places.topics()
    buttons = [
        (("✅ " if t.id in chosen else "") + t.name(lang), encode(FEATURE, action, t.id)) for t in topics
    ]
    rows = chunk(buttons, 2)
    rows.append([(context.services.texts.t(lang, "wizard-topics-done"), encode(FEATURE, action, "done"))])
    key = "wizard-mandate-topics" if action == "mt" else "wizard-topics"
    query = update.callback_query
    if query is not None and dialog.data.get("toggled"):
        # A toggle edits the keyboard in place instead of sending a new message.
        await query.edit_message_reply_markup(keyboard(rows))
        return
    await send(update, context, lang, key, rows)


async def on_button(update: Update, context: LagContext) -> None:
    """A wizard button was pressed."""
    query = update.callback_query
    assert query is not None
    cb = decode(query.data)
    member = await current_member(update, context)
    dialog = await load_dialog(context, member.telegram_id) if member else None
    if member is None or dialog is None or dialog.kind not in (ONBOARDING, PROFILE):
        raise Stale()
    if cb.action == "pg" and dialog.step in LIST_STEPS:
        await show(update, context, member, dialog, page=cb.int_arg(0))
        await query.answer()
        return
    if ACTION_STEP.get(cb.action) != dialog.step:
        raise Stale()
    # The press is answered only after it succeeded, so a refusal can still be shown as its answer.
    await _act(update, context, member, dialog, cb)
    await query.answer()


async def _act(update: Update, context: LagContext, member: Member, dialog: Dialog, cb: Callback) -> None:
    svc = context.services
    value = cb.args[0] if cb.args else ""
    if cb.action == "name":
        user = update.effective_user
        proposal = proposed_name(user.first_name, user.last_name) if user else None
        if proposal is None:
            raise Stale()
        await svc.membership.set_name(member, proposal)
    elif cb.action == "dist":
        await svc.membership.set_district(member, cb.int_arg(0))
    elif cb.action == "muni":
        await svc.membership.set_municipality(member, cb.int_arg(0) or None)
    elif cb.action == "lvl":
        await _on_level(update, context, member, dialog, value)
        return
    elif cb.action == "body":
        offered = await context.services.places.bodies_for(member, Level(dialog.data["level"]))
        if cb.int_arg(0) not in {b.id for b in offered}:
            raise Stale()
        await _goto(update, context, member, dialog, "function", body=cb.int_arg(0))
        return
    elif cb.action == "fn":
        if value not in FUNCTIONS:
            raise Stale()
        await _goto(update, context, member, dialog, "mandate_topics", function=value, topics=[])
        return
    elif cb.action in ("mt", "tp"):
        await _on_topic(update, context, member, dialog, cb.action, value)
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
        await _goto(update, context, fresh, replace(dialog, data={}), step)
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
    if value == "done":
        await advance(update, context, member, dialog)
    elif value == "clear":
        await svc.membership.clear_mandates(member)
        await show(update, context, member, dialog)
    elif value in {lvl.value for lvl in Level}:
        bodies = await context.services.places.bodies_for(member, Level(value))
        if not bodies:
            raise UserError("wizard-body-none")
        if len(bodies) == 1:
            await _goto(update, context, member, dialog, "function", level=value, body=bodies[0].id)
        else:
            await _goto(update, context, member, dialog, "body", level=value)
    else:
        raise Stale()


async def _on_topic(
    update: Update, context: LagContext, member: Member, dialog: Dialog, action: str, value: str
) -> None:
    svc = context.services
    chosen: list[int] = list(dialog.data.get("topics", []))
    if value != "done":
        topic_id = small_int(value)
        if topic_id not in {t.id for t in await svc.places.topics()}:
            raise Stale()
        chosen = [t for t in chosen if t != topic_id] if topic_id in chosen else [*chosen, topic_id]
        dialog = replace(dialog, data={**dialog.data, "topics": chosen, "toggled": True})
        await save_dialog(context, dialog)
        await _show_topics(update, context, member, dialog)
        return
    if action == "mt":
        await svc.membership.add_mandate(
            member, int(dialog.data["body"]), str(dialog.data["function"]), tuple(chosen)
        )
        await _goto(update, context, member, dialog, "mandates")
        return
    await svc.membership.set_topics(member, tuple(chosen))
    await advance(update, context, member, dialog)


async def _goto(
    update: Update, context: LagContext, member: Member, dialog: Dialog, step: str, **data: object
) -> None:
    merged = {k: v for k, v in dialog.data.items() if k != "toggled"}
    if step == "topics" and "topics" not in data:
        data["topics"] = list(await context.services.profiles.topic_ids(member.id))
    merged.update(data)
    dialog = Dialog(dialog.telegram_id, dialog.kind, step, merged)
    await save_dialog(context, dialog)
    await show(update, context, member, dialog)


async def resume(update: Update, context: LagContext, member: Member) -> bool:
    """Show the open wizard step again (after /start); False if there is none."""
    dialog = await load_dialog(context, member.telegram_id)
    if dialog is None or dialog.kind not in (ONBOARDING, PROFILE):
        return False
    await show(update, context, member, dialog)
    return True

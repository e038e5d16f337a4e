"""The profile wizard's prompts: what each step shows, with its buttons."""

from __future__ import annotations

from telegram import Update

from handlers.common import Button, chunk, keyboard, paged, send, send_or_turn_page
from handlers.context import LagContext
from handlers.membership import profile_view
from handlers.membership.wizard_state import CLEAR, DONE, FEATURE, PROPOSED, Action, WizardState
from lag_bot.callbacks import encode
from lag_bot.i18n import Html
from lag_bot.membership.profile_rules import FUNCTIONS, proposed_name
from lag_bot.models import Dialog, Level, Member


def proposal(update: Update) -> str | None:
    """The display name proposed from the Telegram account, if it fits the rules."""
    user = update.effective_user
    return proposed_name(user.first_name, user.last_name) if user else None


async def show(
    update: Update, context: LagContext, member: Member, dialog: Dialog, page: int | None = None
) -> None:
    """Send the prompt of the dialog's current step (`page`: turn the page of its list instead)."""
    turning = page is not None

    def nav(to_page: int) -> str:
        return encode(FEATURE, Action.PAGE, to_page)

    lang = member.language
    svc = context.services
    t = svc.texts.t
    state = WizardState.from_json(dialog.data)
    step = dialog.step
    if step == "name":
        name = proposal(update)
        rows = [[(name, encode(FEATURE, Action.NAME, PROPOSED))]] if name else []
        await send(update, context, lang, "wizard-name", rows)
    elif step == "district":
        districts = await svc.places.districts()
        buttons = [(d.name, encode(FEATURE, Action.DISTRICT, d.id)) for d in districts]
        rows = paged(buttons, page or 0, nav)
        await send_or_turn_page(update, context, lang, "wizard-district", rows, turning)
    elif step == "municipality":
        places = await svc.places.children(member.district_id or 0)
        buttons = [(p.name, encode(FEATURE, Action.MUNICIPALITY, p.id)) for p in places]
        rows = paged(buttons, page or 0, nav, per_row=2)
        rows.append([(t(lang, "wizard-municipality-none"), encode(FEATURE, Action.MUNICIPALITY, 0))])
        await send_or_turn_page(update, context, lang, "wizard-municipality", rows, turning)
    elif step == "mandates":
        summary = await profile_view.mandates_html(context, member)
        level_rows: list[list[Button]] = [
            [(t(lang, f"level-{lvl.value}"), encode(FEATURE, Action.LEVEL, lvl.value))] for lvl in Level
        ]
        if summary:
            level_rows.append([(t(lang, "wizard-mandates-clear"), encode(FEATURE, Action.LEVEL, CLEAR))])
        level_rows.append([(t(lang, "wizard-mandates-done"), encode(FEATURE, Action.LEVEL, DONE))])
        none = t(lang, "wizard-mandates-none")
        await send(update, context, lang, "wizard-mandates", level_rows, current=Html(summary or none))
    elif step == "body":
        bodies = await svc.places.bodies_for(member, state.mandate_level())
        buttons = [(b.name, encode(FEATURE, Action.BODY, b.id)) for b in bodies]
        await send_or_turn_page(update, context, lang, "wizard-body", paged(buttons, page or 0, nav), turning)
    elif step == "function":
        buttons = [(t(lang, f"function-{f}"), encode(FEATURE, Action.FUNCTION, f)) for f in FUNCTIONS]
        await send(update, context, lang, "wizard-function", chunk(buttons, 1))
    elif step in ("mandate_topics", "topics"):
        await show_topics(update, context, member, dialog.step, state)


async def show_topics(
    update: Update, context: LagContext, member: Member, step: str, state: WizardState
) -> None:
    """The topics to tick (of the mandate being added, or of interest), with "done"."""
    lang = member.language
    action = Action.MANDATE_TOPIC if step == "mandate_topics" else Action.TOPIC
    chosen = set(state.topics)
    topics = await context.services.places.topics()
    buttons = [
        (("✅ " if t.id in chosen else "") + t.name(lang), encode(FEATURE, action, t.id)) for t in topics
    ]
    rows = chunk(buttons, 2)
    rows.append([(context.services.texts.t(lang, "wizard-topics-done"), encode(FEATURE, action, DONE))])
    key = "wizard-mandate-topics" if action is Action.MANDATE_TOPIC else "wizard-topics"
    query = update.callback_query
    if query is not None and state.toggled:
        # A toggle edits the keyboard in place instead of sending a new message.
        await query.edit_message_reply_markup(keyboard(rows))
        return
    await send(update, context, lang, key, rows)

"""`/mitglieder` for coordinators: filter, search, page, open a member, export CSV, decide.

The filter lives in the coordinator's dialog row (`MemberListState`); every press re-checks the
role. A member's card, the changes made from it and the CSV are `member_card.py`.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from handlers import help
from handlers.common import (
    Button,
    actor_language,
    chunk,
    coordinator,
    load_dialog,
    pressed,
    save_dialog,
    send,
    send_html,
)
from handlers.context import LagContext
from handlers.membership import member_card
from handlers.membership.member_list_state import ANY, FIELDS, Action, MemberListState
from handlers.membership.member_list_state import DIALOG as DIALOG  # the kind handlers/dialogs routes
from handlers.membership.member_list_state import FEATURE as FEATURE  # the feature composition registers
from lag_bot.authorization import Actor
from lag_bot.callbacks import Callback, encode
from lag_bot.errors import Stale
from lag_bot.models import Dialog, Level, Member, Role, Status

PAGE_SIZE = 10


async def _state(context: LagContext, actor: Actor) -> MemberListState:
    found = await load_dialog(context, actor.telegram_id)
    if found is None or found.kind != DIALOG:
        return MemberListState()
    return MemberListState.from_json(found.data)


async def _browse(update: Update, context: LagContext, actor: Actor, state: MemberListState) -> None:
    """Store the view and show the list."""
    await save_dialog(context, Dialog(actor.telegram_id, DIALOG, "browse", state.to_json()))
    await _show_list(update, context, actor, state)


async def cmd_mitglieder(update: Update, context: LagContext) -> None:
    """Open the member list (typed words after the command search by name)."""
    actor = await coordinator(update, context)
    await _browse(update, context, actor, MemberListState().searching(" ".join(context.args or [])))


async def _show_list(update: Update, context: LagContext, actor: Actor, state: MemberListState) -> None:
    svc = context.services
    lang = actor_language(context, actor)
    t = svc.texts.t
    page = state.page
    found, total = await svc.profiles.search(state.filter(), PAGE_SIZE, page * PAGE_SIZE)
    await svc.membership.log_access(actor, "members.list", None, {"page": page, **state.described()})
    districts = {d.id: d.name for d in await svc.places.districts()}
    lines = [
        t(
            lang,
            "members-line",
            name=m.display_name or "–",
            district=districts.get(m.district_id or 0, "–"),
            status=t(lang, f"status-{m.status.value}"),
        )
        for m in found
    ]
    pages = max(1, -(-total // PAGE_SIZE))
    head = t(lang, "members-header", total=total, page=min(page + 1, pages), pages=pages)
    rows: list[list[Button]] = chunk(
        [(m.display_name or "–", encode(FEATURE, Action.SHOW, m.id)) for m in found], 2
    )
    nav: list[Button] = []
    if page > 0:
        nav.append(("◀", encode(FEATURE, Action.PAGE, page - 1)))
    if page + 1 < pages:
        nav.append(("▶", encode(FEATURE, Action.PAGE, page + 1)))
    rows.append(nav)
    rows.append([(t(lang, f"members-filter-{f}"), encode(FEATURE, Action.FILTER, f)) for f in FIELDS])
    rows.append(
        [
            (t(lang, "members-search"), encode(FEATURE, Action.SEARCH)),
            (t(lang, "members-reset"), encode(FEATURE, Action.RESET)),
            (t(lang, "members-csv"), encode(FEATURE, Action.CSV)),
        ]
    )
    body = "\n".join([head, "", *lines]) if lines else head + "\n\n" + t(lang, "members-empty")
    await send_html(update, context, body, rows)


async def on_members_button(update: Update, context: LagContext) -> None:
    """Any button of the member list."""
    press = pressed(update)
    actor = await coordinator(update, context)
    state = await _state(context, actor)
    await _act(update, context, actor, state, press.cb)
    await press.query.answer()  # only after success: a refusal is shown as the answer instead


async def _act(
    update: Update, context: LagContext, actor: Actor, state: MemberListState, cb: Callback
) -> None:
    action = cb.action_of(Action)
    if action is Action.PAGE:
        await _browse(update, context, actor, replace(state, page=cb.int_arg(0)))
    elif action is Action.RESET:
        await _browse(update, context, actor, MemberListState())
    elif action is Action.FILTER:
        await _show_filter_choices(update, context, actor, cb.str_arg(0, FIELDS))
    elif action is Action.SET:
        field, raw = cb.str_arg(0, FIELDS), cb.str_arg(1)
        if len(cb.args) != 2:
            raise Stale()
        value = None if raw == ANY else (cb.int_arg(1) if field in ("district", "topic") else raw)
        await _browse(update, context, actor, state.with_filter(field, value))
    elif action is Action.SEARCH:
        await save_dialog(context, Dialog(actor.telegram_id, DIALOG, "search", state.to_json()))
        await send(update, context, actor_language(context, actor), "members-search-prompt")
    elif action is Action.CSV:
        await member_card.send_csv(update, context, actor, state)
    elif action is Action.SHOW:
        await member_card.show(update, context, actor, cb.int_arg(0))
    elif action is Action.ROLE:
        role = Role(cb.str_arg(1, (Role.MEMBER.value, Role.COORDINATOR.value)))
        await member_card.set_role(update, context, actor, cb.int_arg(0), role)
    else:
        await member_card.suspend(update, context, actor, cb.int_arg(0), action is Action.SUSPEND)


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """The search term typed after pressing "Suchen"."""
    if dialog.step != "search":
        await help.on_free_text(update, context)
        return
    actor = await coordinator(update, context)
    message = update.effective_message
    assert message is not None and message.text is not None
    await _browse(update, context, actor, MemberListState.from_json(dialog.data).searching(message.text))


async def _show_filter_choices(update: Update, context: LagContext, actor: Actor, field: str) -> None:
    svc = context.services
    lang = actor_language(context, actor)
    t = svc.texts.t
    options: list[Button]
    if field == "status":
        options = [(t(lang, f"status-{s.value}"), s.value) for s in Status]
    elif field == "level":
        options = [(t(lang, f"level-{lv.value}"), lv.value) for lv in Level]
    elif field == "district":
        options = [(d.name, str(d.id)) for d in await svc.places.districts()]
    else:
        options = [(tp.name(lang), str(tp.id)) for tp in await svc.places.topics()]
    options.append((t(lang, "members-filter-any"), ANY))
    rows = chunk([(label, encode(FEATURE, Action.SET, field, value)) for label, value in options], 2)
    await send(update, context, lang, "members-filter-choose", rows)

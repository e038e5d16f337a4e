"""`/mitglieder` for coordinators: filter, search, page, open a member, export CSV, decide.

The filter lives in the coordinator's dialog row; every press re-checks the role.
"""

from __future__ import annotations

import io
import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from handlers import help, menus
from handlers.common import (
    Button,
    actor_language,
    chunk,
    coordinator,
    load_dialog,
    save_dialog,
    send,
    send_html,
)
from handlers.context import LagContext
from handlers.membership import approvals, profile_view
from lag_bot.authorization import Actor
from lag_bot.callbacks import Callback, Feature, decode, encode
from lag_bot.errors import NotFound, Stale
from lag_bot.membership import member_csv
from lag_bot.models import Dialog, Level, Member, Role, Status
from lag_bot.repositories.member_search import MemberFilter

log = logging.getLogger(__name__)
FEATURE = Feature.MEMBERS
DIALOG = "members"
PAGE_SIZE = 10
FIELDS = ("status", "district", "level", "topic")


def _filter(data: dict[str, object]) -> MemberFilter:
    def num(key: str) -> int | None:
        value = data.get(key)
        return value if isinstance(value, int) and value > 0 else None

    status, level, search = data.get("status"), data.get("level"), data.get("search")
    return MemberFilter(
        status=Status(status) if status in {s.value for s in Status} else None,
        district_id=num("district"),
        level=Level(level) if level in {lv.value for lv in Level} else None,
        topic_id=num("topic"),
        search=search if isinstance(search, str) and search else None,
    )


async def _dialog(context: LagContext, actor: Actor) -> Dialog:
    found = await load_dialog(context, actor.telegram_id)
    if found is None or found.kind != DIALOG:
        return Dialog(actor.telegram_id, DIALOG, "browse", {})
    return found


async def cmd_mitglieder(update: Update, context: LagContext) -> None:
    """Open the member list (typed words after the command search by name)."""
    actor = await coordinator(update, context)
    search = " ".join(context.args or [])[:64]
    dialog = Dialog(actor.telegram_id, DIALOG, "browse", {"search": search} if search else {})
    await save_dialog(context, dialog)
    await _show_list(update, context, actor, dialog)


async def _show_list(update: Update, context: LagContext, actor: Actor, dialog: Dialog) -> None:
    svc = context.services
    lang = actor_language(context, actor)
    t = svc.texts.t
    flt = _filter(dialog.data)
    page = dialog.data.get("page", 0)
    page = page if isinstance(page, int) and page >= 0 else 0
    found, total = await svc.profiles.search(flt, PAGE_SIZE, page * PAGE_SIZE)
    await svc.membership.log_access(actor, "members.list", None, {"page": page, **_described(flt)})
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
        [(m.display_name or "–", encode(FEATURE, "show", m.id)) for m in found], 2
    )
    nav: list[Button] = []
    if page > 0:
        nav.append(("◀", encode(FEATURE, "pg", page - 1)))
    if page + 1 < pages:
        nav.append(("▶", encode(FEATURE, "pg", page + 1)))
    rows.append(nav)
    rows.append([(t(lang, f"members-filter-{f}"), encode(FEATURE, "f", f)) for f in FIELDS])
    rows.append(
        [
            (t(lang, "members-search"), encode(FEATURE, "q")),
            (t(lang, "members-reset"), encode(FEATURE, "reset")),
            (t(lang, "members-csv"), encode(FEATURE, "csv")),
        ]
    )
    body = "\n".join([head, "", *lines]) if lines else head + "\n\n" + t(lang, "members-empty")
    await send_html(update, context, body, rows)


async def _tell_member(context: LagContext, member: Member, key: str) -> None:
    try:
        await context.bot.send_message(
            member.telegram_id, context.services.texts.t(member.language, key), parse_mode=ParseMode.HTML
        )
    except (BadRequest, Forbidden) as exc:  # blocked the bot or never started it: the change stands
        log.info("member #%s not told (%s)", member.id, exc.message)


def _described(flt: MemberFilter) -> dict[str, object]:
    return {
        k: v
        for k, v in {
            "status": flt.status.value if flt.status else None,
            "district": flt.district_id,
            "level": flt.level.value if flt.level else None,
            "topic": flt.topic_id,
            "search": bool(flt.search),
        }.items()
        if v
    }


async def on_members_button(update: Update, context: LagContext) -> None:
    """Any button of the member list."""
    query = update.callback_query
    assert query is not None
    actor = await coordinator(update, context)
    cb = decode(query.data)
    dialog = await _dialog(context, actor)
    await _act(update, context, actor, dialog, cb)
    await query.answer()  # only after success: a refusal is shown as the answer instead


async def _act(update: Update, context: LagContext, actor: Actor, dialog: Dialog, cb: Callback) -> None:
    if cb.action == "pg":
        dialog = Dialog(dialog.telegram_id, DIALOG, "browse", {**dialog.data, "page": cb.int_arg(0)})
    elif cb.action == "reset":
        dialog = Dialog(dialog.telegram_id, DIALOG, "browse", {})
    elif cb.action == "f" and cb.args and cb.args[0] in FIELDS:
        await _show_filter_choices(update, context, actor, cb.args[0])
        return
    elif cb.action == "set" and len(cb.args) == 2 and cb.args[0] in FIELDS:
        field, raw = cb.args
        value: object = None if raw == "-" else (cb.int_arg(1) if field in ("district", "topic") else raw)
        dialog = Dialog(dialog.telegram_id, DIALOG, "browse", {**dialog.data, field: value, "page": 0})
    elif cb.action == "q":
        await save_dialog(context, Dialog(dialog.telegram_id, DIALOG, "search", dialog.data))
        lang = actor_language(context, actor)
        await send(update, context, lang, "members-search-prompt")
        return
    elif cb.action == "csv":
        await _send_csv(update, context, actor, _filter(dialog.data))
        return
    elif cb.action == "show":
        await show_member(update, context, actor, cb.int_arg(0))
        return
    elif cb.action in ("sus", "uns", "role"):
        await _change(update, context, actor, cb.action, cb.int_arg(0), cb.args[1:])
        return
    else:
        raise Stale()
    await save_dialog(context, dialog)
    await _show_list(update, context, actor, dialog)


async def on_text(update: Update, context: LagContext, member: Member | None, dialog: Dialog) -> None:
    """The search term typed after pressing "Suchen"."""
    if dialog.step != "search":
        await help.on_free_text(update, context)
        return
    actor = await coordinator(update, context)
    message = update.effective_message
    assert message is not None and message.text is not None
    dialog = Dialog(
        dialog.telegram_id, DIALOG, "browse", {**dialog.data, "search": message.text.strip()[:64], "page": 0}
    )
    await save_dialog(context, dialog)
    await _show_list(update, context, actor, dialog)


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
    options.append((t(lang, "members-filter-any"), "-"))
    rows = chunk([(label, encode(FEATURE, "set", field, value)) for label, value in options], 2)
    await send(update, context, lang, "members-filter-choose", rows)


async def _send_csv(update: Update, context: LagContext, actor: Actor, flt: MemberFilter) -> None:
    svc = context.services
    lang = actor_language(context, actor)
    found, _ = await svc.profiles.search(flt, 100_000, 0)
    bodies = {b.id: b.name for b in await svc.places.bodies()}
    rows = []
    for m in found:
        f = await profile_view.fields(context, m, lang)
        mandates = "; ".join(
            f"{bodies.get(x.body_id, '?')} ({x.function})" for x in await svc.profiles.mandates(m.id)
        )
        rows.append(
            [
                m.display_name or "",
                m.status.value,
                m.role.value,
                str(f["district"]),
                str(f["municipality"]),
                mandates,
                str(f["topics"]),
                m.created_at[:10],
            ]
        )
    await svc.membership.log_access(actor, "members.export", None, {"count": len(rows), **_described(flt)})
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        io.BytesIO(member_csv.render(rows)),
        filename="mitglieder.csv",
        caption=svc.texts.t(lang, "members-csv-caption", count=len(rows)),
    )


async def show_member(update: Update, context: LagContext, actor: Actor, member_id: int) -> None:
    """One member's card with the actions the actor may take."""
    svc = context.services
    lang = actor_language(context, actor)
    t = svc.texts.t
    member = await svc.profiles.get(member_id)
    if member is None:
        raise NotFound("members-unknown")
    await svc.membership.log_access(actor, "member.view", member.id)
    rows: list[list[Button]] = []
    if member.status is Status.PENDING:
        rows.append(
            [
                (t(lang, "approval-approve"), encode(approvals.FEATURE, "ok", member.id)),
                (t(lang, "approval-reject"), encode(approvals.FEATURE, "no", member.id)),
            ]
        )
    elif member.status is Status.ACTIVE:
        rows.append([(t(lang, "members-suspend"), encode(FEATURE, "sus", member.id))])
    elif member.status is Status.SUSPENDED:
        rows.append([(t(lang, "members-reinstate"), encode(FEATURE, "uns", member.id))])
    configured_admin = member.telegram_id in svc.settings.admin_ids
    if actor.at_least(Role.ADMIN) and member.status is Status.ACTIVE and not configured_admin:
        target = Role.MEMBER if member.role is Role.COORDINATOR else Role.COORDINATOR
        rows.append(
            [(t(lang, f"members-make-{target.value}"), encode(FEATURE, "role", member.id, target.value))]
        )
    fields = await profile_view.fields(context, member, lang)
    await send(update, context, lang, "members-card", rows, **fields)


async def _change(
    update: Update, context: LagContext, actor: Actor, action: str, member_id: int, rest: tuple[str, ...]
) -> None:
    svc = context.services
    lang = actor_language(context, actor)
    if action == "role":
        if not rest or rest[0] not in (Role.MEMBER.value, Role.COORDINATOR.value):
            raise Stale()
        member = await svc.member_admin.set_role(actor, member_id, Role(rest[0]))
        await menus.refresh_for(context, member)
    else:
        member = await svc.member_admin.suspend(actor, member_id, suspended=action == "sus")
        await menus.refresh_for(context, member)
        await _tell_member(
            context, member, "members-you-suspended" if action == "sus" else "members-you-reinstated"
        )
    await send(
        update,
        context,
        lang,
        "members-changed",
        name=member.display_name or "–",
        status=svc.texts.t(lang, f"status-{member.status.value}"),
        role=svc.texts.t(lang, f"role-{member.role.value}"),
    )

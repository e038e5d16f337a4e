"""One body in `/fraktionen`: its faction's linked groups, contact people and settings, with the
buttons to change them (shared by the faction screens and the contact-person steps)."""

from __future__ import annotations

import enum

from handlers.common import Button
from handlers.context import LagContext
from handlers.questions.views import label
from lag_bot.callbacks import Feature, encode
from lag_bot.i18n import Html
from lag_bot.membership.factions import FactionView

FEATURE = Feature.FACTIONS


class Action(enum.StrEnum):
    """The buttons of /fraktionen (the screens and the contact-person steps)."""

    TOP = "top"  # back to the levels
    LEVEL = "l"  # a level (and the page of its districts)
    DISTRICT = "d"  # a level and a district: its bodies
    BODY = "b"  # one body's screen
    CREATE = "mk"  # create the faction of a body
    DEADLINES = "dl"  # offer the answer deadlines
    DEADLINE = "ds"  # set one
    ANSWER_AS = "af"  # toggle answering as the faction
    CONTACT_ADD = "ca"  # start adding a contact person
    CONTACT_MEMBER = "cm"  # the member chosen
    CONTACT_TOPIC = "ct"  # the topic chosen (0: every topic)
    CONTACT_REMOVE = "cr"


async def body_screen(context: LagContext, lang: str, view: FactionView) -> tuple[str, list[list[Button]]]:
    """One body: its faction's groups, contact people and settings, with the buttons to change them."""
    svc = context.services
    t = svc.texts.t
    faction = view.faction
    if faction is None:
        create = [[(t(lang, "faction-btn-create"), encode(FEATURE, Action.CREATE, view.body.id))]]
        return t(lang, "faction-none", body=view.body.name), create
    topics = await svc.places.topic_names(lang)
    all_topics = t(lang, "faction-all-topics")
    people = [
        t(lang, "faction-contact-line", name=c.name, topic=topics.get(c.topic_id or 0) or Html(all_topics))
        for c in view.contacts
    ]
    groups = ", ".join(g.title for g in view.groups)
    lines = [
        t(lang, "faction-head", faction=faction.name),
        t(lang, "faction-groups", groups=groups) if groups else t(lang, "faction-groups-none"),
        t(lang, "faction-contacts-head") if people else t(lang, "faction-contacts-none"),
        *people,
        t(lang, "faction-deadline", count=faction.deadline_days),
        t(lang, "faction-answer-as-faction" if faction.answer_as_faction else "faction-answer-as-person"),
    ]
    if not view.reachable:
        lines += ["", t(lang, "faction-unreachable")]
    rows: list[list[Button]] = [
        [
            (t(lang, "faction-btn-deadline"), encode(FEATURE, Action.DEADLINES, faction.id)),
            (t(lang, "faction-btn-answer-as"), encode(FEATURE, Action.ANSWER_AS, faction.id)),
        ],
        [(t(lang, "faction-btn-add-contact"), encode(FEATURE, Action.CONTACT_ADD, faction.id))],
        *[
            [
                (
                    label(context, lang, "faction-btn-remove", name=c.name),
                    encode(FEATURE, Action.CONTACT_REMOVE, faction.id, c.id),
                )
            ]
            for c in view.contacts
        ],
        [(t(lang, "faction-btn-back"), encode(FEATURE, Action.TOP))],
    ]
    return "\n".join(lines), rows

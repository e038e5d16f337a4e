"""Rendering a member's profile (for `/profil`, approval cards and the member list)."""

from __future__ import annotations

import enum
import html
from collections.abc import Sequence

from telegram import Update

from handlers.common import Button, send
from handlers.context import LagContext
from handlers.membership import language
from lag_bot.callbacks import Feature, encode
from lag_bot.i18n import Html
from lag_bot.models import Mandate, Member, ProfileDetails

FEATURE = Feature.PROFILE


class Action(enum.StrEnum):
    """The buttons under one's own profile."""

    EDIT = "edit"  # with the field (one of EDITABLE)
    DIRECTORY = "dir"  # with 1 (opt in) or 0 (opt out)

EDITABLE = ("name", "district", "municipality", "mandates", "topics")


async def mandates_html(
    context: LagContext, member: Member, lang: str | None = None, mandates: Sequence[Mandate] | None = None
) -> str:
    """One line per mandate: body, function, topics (escaped)."""
    svc = context.services
    lang = lang or member.language
    topics = await svc.places.topic_names(lang)
    lines = []
    for mandate in await svc.profiles.mandates(member.id) if mandates is None else mandates:
        body = await svc.places.body(mandate.body_id)
        names = ", ".join(topics[t] for t in mandate.topic_ids if t in topics)
        lines.append(
            svc.texts.t(
                lang,
                "profile-mandate-line",
                body=body.name if body else "?",
                function=Html(svc.texts.t(lang, f"function-{mandate.function}")),
                topics=names or "–",
            )
        )
    return "\n".join(lines)


async def fields(
    context: LagContext, member: Member, lang: str | None = None, details: ProfileDetails | None = None
) -> dict[str, object]:
    """The profile's fields as catalog parameters, in `lang` (default: the member's own)."""
    svc = context.services
    lang = lang or member.language
    district = await svc.places.territory(member.district_id) if member.district_id else None
    place = await svc.places.territory(member.municipality_id) if member.municipality_id else None
    topic_names = await svc.places.topic_names(lang)
    details = details or await svc.profiles.details(member)
    interests = [topic_names[t] for t in details.topic_ids if t in topic_names]
    none = svc.texts.t(lang, "common-none")
    mandates = await mandates_html(context, member, lang, details.mandates)
    return {
        "consent_version": details.consent_version or none,
        "consent_at": details.consent_at[:10] if details.consent_at else none,
        "name": member.display_name or none,
        "district": district.name if district else none,
        "municipality": place.name if place else none,
        "mandates": Html(mandates or html.escape(none)),
        "topics": ", ".join(interests) or none,
        "status": Html(svc.texts.t(lang, f"status-{member.status.value}")),
        "role": Html(svc.texts.t(lang, f"role-{member.role.value}")),
        "language": Html(svc.texts.t(lang, f"language-{member.language}")),
        "directory": Html(svc.texts.t(lang, "common-yes" if member.directory_opt_in else "common-no")),
    }


async def show(
    update: Update, context: LagContext, member: Member, details: ProfileDetails | None = None
) -> None:
    """Send the member's own profile with a button for each field."""
    t = context.services.texts.t
    lang = member.language
    directory = encode(FEATURE, Action.DIRECTORY, int(not member.directory_opt_in))
    rows: list[list[Button]] = [
        [(t(lang, f"profile-edit-{name}"), encode(FEATURE, Action.EDIT, name))] for name in EDITABLE
    ]
    rows.append(
        [
            (t(lang, "profile-edit-language"), encode(language.FEATURE, language.Action.MENU)),
            (t(lang, "profile-edit-directory"), directory),
        ]
    )
    await send(update, context, lang, "profile-show", rows, **await fields(context, member, lang, details))

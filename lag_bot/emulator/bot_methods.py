"""Bot and chat methods: getMe, updates/webhook, commands, chat info, leaving."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .access import readable_chat
from .models import ApiError, bad_request
from .payloads import member_json, now
from .request_params import as_bool, as_int
from .sim import SimUser
from .sim_group import SimGroup
from .validate import canonical_scope, validate_commands, validate_language

if TYPE_CHECKING:
    from .server import FakeTelegram

Params = dict[str, Any]
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # setWebhook's secret_token
_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


async def get_me(fake: FakeTelegram, params: Params) -> Any:
    """getMe."""
    return {
        **fake.bot_json(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def get_updates(fake: FakeTelegram, params: Params) -> Any:
    """getUpdates (long polling); 409 while a webhook is set."""
    if fake.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    offset = int(params["offset"]) if params.get("offset") not in (None, "") else None
    limit = int(params.get("limit") or 100)
    timeout = float(params.get("timeout") or 0)
    allowed = params.get("allowed_updates")
    return await fake.updates.get(offset, limit, timeout, allowed if isinstance(allowed, list) else None)


async def set_webhook(fake: FakeTelegram, params: Params) -> Any:
    """setWebhook: stored, and updates are posted to it if the test gave a proxy (see webhook.py)."""
    url = str(params.get("url") or "")
    secret = str(params.get("secret_token") or "")
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    try:
        port = urlsplit(url).port or 443
    except ValueError:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known") from None
    if url and port not in (80, 88, 443, 8443):
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    if secret and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    allowed = params.get("allowed_updates")
    if isinstance(allowed, list):
        fake.updates.set_allowed(allowed)
    if as_bool(params, "drop_pending_updates"):
        fake.updates.drop_pending()
    fake.webhook_url = url
    fake.webhook.secret = secret
    if url:
        fake.webhook.started()
    return True


async def delete_webhook(fake: FakeTelegram, params: Params) -> Any:
    """deleteWebhook."""
    if as_bool(params, "drop_pending_updates"):
        fake.updates.drop_pending()
    fake.webhook_url = ""
    fake.webhook.secret = ""
    return True


async def get_webhook_info(fake: FakeTelegram, params: Params) -> Any:
    """getWebhookInfo."""
    info: dict[str, Any] = {
        "url": fake.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": fake.updates.pending(),
    }
    if fake.webhook_url and fake.webhook.last_error_message:
        info["last_error_date"] = fake.webhook.last_error_date
        info["last_error_message"] = fake.webhook.last_error_message
    return info


async def no_op(fake: FakeTelegram, params: Params) -> Any:
    """logOut, close, setChatMenuButton: accepted, nothing to simulate."""
    return True


async def set_my_commands(fake: FakeTelegram, params: Params) -> Any:
    """setMyCommands: validated and stored per (scope, language_code)."""
    commands = validate_commands(params.get("commands"))
    key = (canonical_scope(params.get("scope")), validate_language(params.get("language_code")))
    fake.stored_commands[key] = commands
    return True


async def get_my_commands(fake: FakeTelegram, params: Params) -> Any:
    """getMyCommands."""
    key = (canonical_scope(params.get("scope")), validate_language(params.get("language_code")))
    return fake.stored_commands.get(key, [])


async def delete_my_commands(fake: FakeTelegram, params: Params) -> Any:
    """deleteMyCommands."""
    key = (canonical_scope(params.get("scope")), validate_language(params.get("language_code")))
    fake.stored_commands.pop(key, None)
    return True


async def get_chat(fake: FakeTelegram, params: Params) -> Any:
    """getChat: a ChatFullInfo."""
    chat = readable_chat(fake, params.get("chat_id"))
    return {**chat.chat_json(), "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": _GIFTS}


def _user_json(fake: FakeTelegram, user_id: int) -> dict[str, Any]:
    if user_id == fake.bot_id:
        return fake.bot_json()
    user = fake.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    return user.user_json()


async def get_chat_member(fake: FakeTelegram, params: Params) -> Any:
    """getChatMember."""
    chat = readable_chat(fake, params.get("chat_id"))
    user_id = as_int(params, "user_id")
    user = _user_json(fake, user_id)
    if isinstance(chat, SimUser):
        return member_json(user, "member")
    return member_json(user, chat.status_of(user_id), chat.bot_rights if user_id == fake.bot_id else None)


async def get_chat_administrators(fake: FakeTelegram, params: Params) -> Any:
    """getChatAdministrators: the admins (and the bot once added)."""
    chat = readable_chat(fake, params.get("chat_id"))
    if isinstance(chat, SimUser):
        raise bad_request("there are no administrators in the private chat")
    ids = sorted(chat.admins) + ([fake.bot_id] if chat.bot_may("can_manage_chat") else [])
    rights = {fake.bot_id: chat.bot_rights}
    return [member_json(_user_json(fake, uid), "administrator", rights.get(uid)) for uid in ids]


async def leave_chat(fake: FakeTelegram, params: Params) -> Any:
    """leaveChat: the bot leaves a group (my_chat_member member -> left, from the bot itself)."""
    chat = readable_chat(fake, params.get("chat_id"))
    if not isinstance(chat, SimGroup):
        raise bad_request("chat not found")
    bot = fake.bot_json()
    chat.bot_status = "left"
    fake.updates.put(
        "my_chat_member",
        {
            "chat": chat.chat_json(),
            "from": bot,
            "date": now(),
            "old_chat_member": member_json(bot, "member"),
            "new_chat_member": member_json(bot, "left"),
        },
    )
    return True

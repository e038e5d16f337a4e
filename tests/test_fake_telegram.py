"""The fake Telegram Bot API itself: strict where Telegram is strict, and usable by PTB's real stack.

Long on purpose: one short test per rule of Telegram the fake keeps (the fake is what every other
test relies on).
"""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Bot, ChatFullInfo, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from lag_bot.emulator import EntityParseError, FakeTelegram, NoMessageError, SimUser, parse_html

TOKEN = "123456:" + "A" * 35


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN, bot_username="lag_test_bot") as server:
        yield server


@pytest.fixture
async def api(tg: FakeTelegram) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{tg.base_url}{TOKEN}/") as client:
        yield client


async def call(api: httpx.AsyncClient, method: str, **params: Any) -> dict[str, Any]:
    """POST like PTB does: form fields, non-scalars JSON-encoded; checks HTTP status == error_code."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    response = await api.post(method, data=form)
    body: dict[str, Any] = response.json()
    assert response.status_code == body.get("error_code", 200)
    return body


def error(body: dict[str, Any]) -> tuple[int, str]:
    assert body["ok"] is False, body
    return body["error_code"], body["description"]


async def started(tg: FakeTelegram, user_id: int = 1001) -> SimUser:
    user = tg.user(user_id, "Alice")
    await user.send("hallo")
    return user


def keyboard(*labels: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": label, "callback_data": f"cb:{label}"}] for label in labels]}


# --- HTTP basics ---------------------------------------------------------------------------------


async def test_get_me_token_and_unknown_method(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    me = await call(api, "getMe")
    assert me["result"]["username"] == "lag_test_bot" and me["result"]["id"] == tg.bot_id == 123456
    async with httpx.AsyncClient() as other:
        wrong = await other.post(f"{tg.base_url}123456:WRONG/getMe")
    assert wrong.status_code == 401 and wrong.json()["description"] == "Unauthorized"
    assert error(await call(api, "sendPoll")) == (404, "Not Found")
    json_body = (await api.post("getMe", json={})).json()
    assert json_body["ok"] is True
    assert [c.method for c in tg.calls] == ["getMe", "getMe", "sendPoll", "getMe"]
    assert tg.calls[2].ok is False and tg.calls[2].error_code == 404


async def test_chat_errors(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    unknown = await call(api, "sendMessage", chat_id=777, text="x")
    assert error(unknown) == (400, "Bad Request: chat not found")
    alice = tg.user(1001, "Alice")
    assert error(await call(api, "sendMessage", chat_id=1001, text="x")) == (
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )
    await alice.send("/start")
    assert alice.started
    assert (await call(api, "sendMessage", chat_id=1001, text="x"))["ok"]
    alice.block()
    assert error(await call(api, "sendMessage", chat_id=1001, text="x")) == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    alice.unblock()
    assert (await call(api, "sendMessage", chat_id=1001, text="y"))["ok"]

    grp = tg.group(-100200, "Fraktion")
    await grp.add_bot(by=alice)
    assert (await call(api, "sendMessage", chat_id=-100200, text="hi"))["ok"]
    await grp.remove_bot(by=alice)
    assert error(await call(api, "sendMessage", chat_id=-100200, text="x")) == (
        403,
        "Forbidden: bot was kicked from the group chat",
    )


async def test_migrated_group(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice = await started(tg)
    grp = tg.group(-5001, "Fraktion")
    await grp.add_bot(by=alice)
    updates = (await call(api, "getUpdates"))["result"]
    offset = updates[-1]["update_id"] + 1
    new = await grp.migrate(-1005001)
    assert new.id == -1005001 and new.type == "supergroup"
    updates = (await call(api, "getUpdates", offset=offset))["result"]
    assert [u["message"]["chat"]["id"] for u in updates] == [-5001, -1005001]
    assert updates[0]["message"]["migrate_to_chat_id"] == -1005001
    assert updates[1]["message"]["migrate_from_chat_id"] == -5001
    body = await call(api, "sendMessage", chat_id=-5001, text="x")
    assert error(body) == (400, "Bad Request: group chat was upgraded to a supergroup chat")
    assert body["parameters"] == {"migrate_to_chat_id": -1005001}
    assert (await call(api, "sendMessage", chat_id=-1005001, text="da"))["ok"]
    assert (await new.next_message()).text == "da"


# --- text, captions, HTML ------------------------------------------------------------------------


async def test_text_rules(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice = await started(tg)
    for text in ("", "  \n ", "<b> </b>"):
        body = await call(api, "sendMessage", chat_id=1001, text=text, parse_mode="HTML")
        assert error(body) == (400, "Bad Request: message text is empty")
    assert (await call(api, "sendMessage", chat_id=1001, text="😀" * 2048))["ok"]  # 4096 UTF-16 units
    assert error(await call(api, "sendMessage", chat_id=1001, text="😀" * 2048 + "a")) == (
        400,
        "Bad Request: message is too long",
    )
    tagged = "<b>" + "a" * 4096 + "</b>"  # counted after entity parsing
    assert (await call(api, "sendMessage", chat_id=1001, text=tagged, parse_mode="HTML"))["ok"]
    body = await call(api, "sendMessage", chat_id=1001, text="*x*", parse_mode="MarkdownV2")
    assert error(body)[1].startswith("Bad Request: can't parse entities: MarkdownV2")
    sent = await call(
        api, "sendMessage", chat_id=1001, text="<b>Hallo</b> &lt;Welt&gt; &amp; du", parse_mode="HTML"
    )
    assert sent["result"]["text"] == "Hallo <Welt> & du"
    assert sent["result"]["entities"] == [{"type": "bold", "offset": 0, "length": 5}]
    last = alice.messages[-1]
    assert last.text == "Hallo <Welt> & du" and last.html == "<b>Hallo</b> &lt;Welt&gt; &amp; du"
    assert last.parse_mode == "HTML" and last.from_bot


async def test_html_errors_over_http(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    await started(tg)
    body = await call(api, "sendMessage", chat_id=1001, text="Tom & Jerry", parse_mode="HTML")
    assert error(body)[1].startswith("Bad Request: can't parse entities: Unsupported HTML entity")
    body = await call(api, "sendMessage", chat_id=1001, text="<b>x", parse_mode="HTML")
    assert error(body)[1] == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    assert (await call(api, "sendMessage", chat_id=1001, text="Tom & Jerry"))["ok"]  # no parse_mode


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("ä<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<i>x</b>", 'Unmatched end tag at byte offset 4, expected "</i>", found "</b>"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("Tom & Jerry", 'Unsupported HTML entity "& Jerry" at byte offset 4'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ('<span class="x">a</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a>x</a>", 'Tag "a" must have attribute "href" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_html_parse_errors(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value) == message


def test_html_valid_markup() -> None:
    parsed = parse_html(
        '<b>fett <i>kursiv</i></b> <a href="https://x.de/?a=1&amp;b=2">Link</a> '
        '<tg-spoiler>s</tg-spoiler><span class="tg-spoiler">p</span> &#228;&#x1F600; '
        "<blockquote expandable>z</blockquote>"
        '<pre><code class="language-py">c</code></pre>'
    )
    assert parsed.text == "fett kursiv Link sp ä😀 zc"
    kinds = {(e["type"], e["offset"], e["length"]) for e in parsed.entities}
    assert {
        ("bold", 0, 11),
        ("italic", 5, 6),
        ("text_link", 12, 4),
        ("spoiler", 17, 1),
        ("spoiler", 18, 1),
        ("expandable_blockquote", 24, 1),
        ("pre", 25, 1),
    } == kinds
    link = next(e for e in parsed.entities if e["type"] == "text_link")
    assert link["url"] == "https://x.de/?a=1&b=2"
    assert next(e for e in parsed.entities if e["type"] == "pre")["language"] == "py"
    assert parse_html("a > b <b>c</>").text == "a > b c"  # a bare ">" is fine, "</>" closes the last tag


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escaped_text_round_trips(text: str) -> None:
    assert parse_html(html.escape(text)).text == text


async def test_caption_and_document_with_ptb_bot(tg: FakeTelegram) -> None:
    alice = await started(tg)
    async with Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as bot:
        sent = await bot.send_document(
            1001, b"a;b\n1;2\n", filename="liste.csv", caption="<b>CSV</b>", parse_mode="HTML"
        )
        assert sent.document is not None and sent.document.file_name == "liste.csv"
        assert sent.caption == "CSV"
        with pytest.raises(BadRequest, match="caption is too long"):
            await bot.send_document(1001, b"x", filename="a.txt", caption="x" * 1025)
        photo = await bot.send_photo(1001, b"\x89PNG fake", caption="Bild")
        assert photo.photo and photo.caption == "Bild"
        file = await bot.get_file(sent.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"a;b\n1;2\n"
    doc = await alice.next_message()
    assert doc.document is not None and doc.document.content == b"a;b\n1;2\n"
    assert doc.document.mime_type == "text/csv" and doc.text == "CSV"
    pic = await alice.next_message()
    assert pic.photo and pic.document is None and pic.text == "Bild"


# --- keyboards, edits, callbacks ------------------------------------------------------------------


async def test_keyboard_rules(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    await started(tg)

    async def send(markup: Any) -> tuple[int, str] | None:
        body = await call(api, "sendMessage", chat_id=1001, text="k", reply_markup=markup)
        return None if body["ok"] else error(body)

    assert await send({"inline_keyboard": [[{"text": "a", "callback_data": "x" * 64}]]}) is None
    assert await send({"inline_keyboard": [[{"text": "a", "callback_data": "ä" * 33}]]}) == (
        400,
        "Bad Request: BUTTON_DATA_INVALID",
    )
    assert await send({"inline_keyboard": [[{"text": "a", "callback_data": ""}]]}) == (
        400,
        "Bad Request: BUTTON_DATA_INVALID",
    )
    assert await send({"inline_keyboard": [[{"text": "a", "url": "javascript:alert(1)"}]]}) == (
        400,
        "Bad Request: BUTTON_URL_INVALID",
    )
    assert await send({"inline_keyboard": [[{"text": "a", "url": "tg://resolve?domain=x"}]]}) is None
    assert (await send({"inline_keyboard": [[{"text": "a"}]]}) or (0, ""))[0] == 400
    assert (await send({"inline_keyboard": [[{"text": "", "callback_data": "a"}]]}) or (0, ""))[0] == 400
    many = {"inline_keyboard": [[{"text": str(i), "callback_data": str(i)}] for i in range(101)]}
    assert await send(many) == (400, "Bad Request: reply markup is too long")


async def test_edits(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice = await started(tg)
    sent = (
        await call(
            api, "sendMessage", chat_id=1001, text="<b>A</b>", parse_mode="HTML", reply_markup=keyboard("Ja")
        )
    )["result"]
    first = await alice.next_message()
    assert first.button_texts() == ["Ja"] and first.buttons[0][0].callback_data == "cb:Ja"
    mid = sent["message_id"]
    assert error(await call(api, "editMessageText", chat_id=1001, message_id=999, text="x")) == (
        400,
        "Bad Request: message to edit not found",
    )
    same = await call(
        api,
        "editMessageText",
        chat_id=1001,
        message_id=mid,
        text="<b>A</b>",
        parse_mode="HTML",
        reply_markup=keyboard("Ja"),
    )
    assert error(same)[1].startswith("Bad Request: message is not modified: specified new message content")
    edited = await call(
        api, "editMessageText", chat_id=1001, message_id=mid, text="B", reply_markup=keyboard("Ja")
    )
    assert edited["result"]["text"] == "B"
    now = await alice.wait_edit(first)
    assert now.text == "B" and now.edits == 1 and alice.messages[-1].text == "B"
    assert (
        error(
            await call(
                api, "editMessageReplyMarkup", chat_id=1001, message_id=mid, reply_markup=keyboard("Ja")
            )
        )[0]
        == 400
    )
    assert (await call(api, "editMessageReplyMarkup", chat_id=1001, message_id=mid))["ok"]
    assert alice.messages[-1].buttons == [] and alice.messages[-1].edits == 2
    body = await call(api, "editMessageText", chat_id=1001, message_id=mid, text="<x>", parse_mode="HTML")
    assert error(body)[1].startswith("Bad Request: can't parse entities")
    assert (await call(api, "deleteMessage", chat_id=1001, message_id=mid))["ok"]
    assert alice.messages == []


async def test_press_and_callback_answers(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice = await started(tg)
    await call(api, "getUpdates", offset=-1)  # drain alice's text
    await call(api, "sendMessage", chat_id=1001, text="Frage", reply_markup=keyboard("Zustimmen", "Nein"))
    msg = await alice.next_message()
    with pytest.raises(AssertionError, match="Zustimmen"):
        await alice.press(msg, "Vielleicht")
    qid = await alice.press(msg, "Zustimmen")
    forged = await alice.press_data(msg, "any:forged:data")
    updates = (await call(api, "getUpdates", offset=-2))["result"]
    async with Bot(TOKEN, base_url=tg.base_url) as bot:
        parsed = [Update.de_json(u, bot) for u in updates]
    queries = [u.callback_query for u in parsed]
    assert [q.data for q in queries if q] == ["cb:Zustimmen", "any:forged:data"]
    first = queries[0]
    assert first is not None and first.id == qid and first.from_user.id == 1001
    assert first.message is not None and first.message.message_id == msg.message_id
    bad = await call(api, "answerCallbackQuery", callback_query_id="nope")
    assert error(bad) == (
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )
    assert error(await call(api, "answerCallbackQuery", callback_query_id=forged, text="x" * 201)) == (
        400,
        "Bad Request: MESSAGE_TOO_LONG",
    )
    answered = await call(api, "answerCallbackQuery", callback_query_id=qid, text="Danke", show_alert=True)
    assert answered["ok"]
    assert await alice.callback_answer(qid) == {"text": "Danke", "show_alert": True, "url": None}
    assert error(await call(api, "answerCallbackQuery", callback_query_id=qid))[0] == 400
    with pytest.raises(NoMessageError):
        await alice.callback_answer(forged, timeout=0.05)


# --- commands ---------------------------------------------------------------------------------------


async def test_set_my_commands(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    ok = [{"command": "start", "description": "Los"}]
    assert (await call(api, "setMyCommands", commands=ok))["ok"]
    assert (
        await call(api, "setMyCommands", commands=ok, scope={"type": "all_private_chats"}, language_code="en")
    )["ok"]
    assert (await call(api, "setMyCommands", commands=ok, scope={"type": "chat", "chat_id": "1301"}))["ok"]
    assert tg.commands() == ok and tg.commands({"type": "all_private_chats"}, "en") == ok
    assert tg.commands({"type": "all_private_chats"}) == []
    assert tg.commands({"type": "chat", "chat_id": 1301}) == ok
    for bad in ("Start", "a-b", "x" * 33, ""):
        body = await call(api, "setMyCommands", commands=[{"command": bad, "description": "d"}])
        assert error(body) == (400, "Bad Request: BOT_COMMAND_INVALID")
    for description in ("", "d" * 257):
        body = await call(api, "setMyCommands", commands=[{"command": "a", "description": description}])
        assert error(body) == (400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    too_many = [{"command": f"c{i}", "description": "d"} for i in range(101)]
    assert error(await call(api, "setMyCommands", commands=too_many))[0] == 400
    assert error(await call(api, "setMyCommands", commands=[]))[0] == 400
    assert error(await call(api, "setMyCommands", commands=ok, scope={"type": "weird"}))[0] == 400
    assert error(await call(api, "setMyCommands", commands=ok, language_code="deu"))[0] == 400
    assert (await call(api, "getMyCommands"))["result"] == ok
    assert (await call(api, "deleteMyCommands"))["ok"] and tg.commands() == []


# --- injected errors and flood limits -----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's own RetryAfter
async def test_fail_next(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    await started(tg)
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    body = await call(api, "sendMessage", chat_id=1001, text="x")
    assert error(body) == (429, "Too Many Requests: retry after 3")
    assert body["parameters"] == {"retry_after": 3}
    assert (await call(api, "sendMessage", chat_id=1001, text="x"))["ok"]
    tg.fail_next("sendMessage", 502, "Bad Gateway", count=2)
    assert error(await call(api, "sendMessage", chat_id=1001, text="x")) == (502, "Bad Gateway")
    assert error(await call(api, "sendMessage", chat_id=1001, text="x")) == (502, "Bad Gateway")
    assert (await call(api, "sendMessage", chat_id=1001, text="x"))["ok"]
    await started(tg, 1002)
    tg.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=1002)
    assert (await call(api, "sendMessage", chat_id=1001, text="x"))["ok"]
    assert error(await call(api, "sendMessage", chat_id=1002, text="x"))[0] == 403
    async with Bot(TOKEN, base_url=tg.base_url) as bot:
        tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
        with pytest.raises(RetryAfter, match="Retry in 3"):
            await bot.send_message(1001, "x")


async def test_rate_limits(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    tg.rate_limits = True
    alice = await started(tg)
    results = [await call(api, "sendMessage", chat_id=1001, text=str(i)) for i in range(4)]
    assert [r["ok"] for r in results] == [True, True, True, False]  # burst of 3 per private chat
    assert results[3]["error_code"] == 429 and results[3]["parameters"] == {"retry_after": 1}
    assert results[3]["description"] == "Too Many Requests: retry after 1"
    assert len(alice.messages) == 3
    grp = tg.group(-7, "G")
    await grp.add_bot(by=alice)
    tg.limiter.group_per_minute = 2
    group_results = [await call(api, "sendMessage", chat_id=-7, text=str(i)) for i in range(3)]
    assert [r["ok"] for r in group_results] == [True, True, False]
    assert 55 <= group_results[2]["parameters"]["retry_after"] <= 60
    tg.limiter.global_per_second = 5  # 5 sends so far within this second
    await started(tg, 1002)
    assert error(await call(api, "sendMessage", chat_id=1002, text="x"))[0] == 429
    assert (await call(api, "getMe"))["ok"]  # only send*/edit* are limited


# --- getUpdates -------------------------------------------------------------------------------------


async def test_long_poll_and_offset(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice = tg.user(1001, "Alice")
    loop = asyncio.get_running_loop()
    started_at = loop.time()
    poll = asyncio.create_task(call(api, "getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await alice.send("/start abc")
    updates = (await poll)["result"]
    assert loop.time() - started_at < 1.0
    assert len(updates) == 1 and updates[0]["message"]["text"] == "/start abc"
    first = updates[0]["update_id"]
    await alice.send("zwei")
    again = (await call(api, "getUpdates"))["result"]  # not confirmed yet: both again
    assert [u["update_id"] for u in again] == [first, first + 1]
    confirmed = (await call(api, "getUpdates", offset=first + 1))["result"]
    assert [u["update_id"] for u in confirmed] == [first + 1]
    assert (await call(api, "getUpdates", offset=first + 2, timeout=0))["result"] == []
    assert loop.time() - started_at < 2.0


async def test_long_poll_timeout_and_disconnect(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    loop = asyncio.get_running_loop()
    began = loop.time()
    assert (await call(api, "getUpdates", timeout=0.3))["result"] == []
    assert 0.25 <= loop.time() - began < 1.5
    poll = asyncio.create_task(api.post("getUpdates", data={"timeout": "5"}))
    await asyncio.sleep(0.1)
    poll.cancel()  # the client goes away mid-poll
    with pytest.raises(asyncio.CancelledError):
        await poll
    await tg.user(1001, "Alice").send("hi")
    assert len((await call(api, "getUpdates", timeout=1))["result"]) == 1


async def test_allowed_updates_and_webhook(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice = await started(tg)
    msg_update = (await call(api, "getUpdates", allowed_updates=["callback_query"]))["result"]
    assert msg_update == []
    assert len((await call(api, "getUpdates", allowed_updates=[]))["result"]) == 1
    assert (await call(api, "setWebhook", url="https://example.org/hook"))["ok"]
    info = (await call(api, "getWebhookInfo"))["result"]
    assert info["url"] == "https://example.org/hook" and info["pending_update_count"] == 1
    assert error(await call(api, "getUpdates")) == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )
    assert (await call(api, "deleteWebhook", drop_pending_updates=True))["ok"]
    assert (await call(api, "getUpdates"))["result"] == []
    alice.block()
    kinds = [next(k for k in u if k != "update_id") for u in (await call(api, "getUpdates"))["result"]]
    assert kinds == ["my_chat_member"]


# --- simulated people and groups --------------------------------------------------------------------


async def test_user_updates_parse_in_ptb(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice = tg.user(1001, "Alice", last_name="Muster", username="alice", language_code="de")
    own = await alice.send("/start@lag_test_bot abc")
    assert not own.from_bot and own.chat_id == 1001
    data = (await call(api, "getUpdates"))["result"][0]
    async with Bot(TOKEN, base_url=tg.base_url) as bot:
        update = Update.de_json(data, bot)
        assert update.message is not None and update.effective_user is not None
        assert update.effective_user.language_code == "de" and update.effective_user.last_name == "Muster"
        assert update.message.parse_entities() == {update.message.entities[0]: "/start@lag_test_bot"}
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
        sent = await bot.send_message(1001, "Hallo <i>du</i>", parse_mode="HTML", reply_markup=markup)
        assert sent.text == "Hallo du" and sent.reply_markup == markup
        tg.user(1002, "Bob")
        with pytest.raises(Forbidden, match="can't initiate conversation"):
            await bot.send_message(1002, "x")
        info = await bot.get_chat(1001)
        assert isinstance(info, ChatFullInfo) and info.first_name == "Alice"


async def test_group_flow(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice, bob = await started(tg, 1001), tg.user(1002, "Bob")
    grp = tg.group(-100200, "Kreistagsfraktion Test")
    assert (grp.id, grp.title, grp.type, grp.is_forum) == (-100200, "Kreistagsfraktion Test", "group", False)
    await bob.send_in(grp, "vorher")  # bot not there yet: nothing delivered
    await call(api, "getUpdates", offset=-1)
    await grp.add_bot(by=alice)
    await bob.send_in(grp, "/verbinden")
    updates = (await call(api, "getUpdates", offset=-3))["result"]
    async with Bot(TOKEN, base_url=tg.base_url) as bot:
        parsed = [Update.de_json(u, bot) for u in updates]
        member = parsed[0].my_chat_member
        assert member is not None and member.new_chat_member.status == "member"
        assert member.old_chat_member.status == "left" and member.from_user.id == 1001
        joined = parsed[1].message
        assert joined is not None and [u.id for u in joined.new_chat_members] == [tg.bot_id]
        command = parsed[2].message
        assert command is not None and command.text == "/verbinden" and command.from_user is not None
        assert command.from_user.id == 1002 and command.chat.type == "group"
        grp.set_admin(alice)
        assert (await bot.get_chat_member(-100200, 1001)).status == "administrator"
        assert (await bot.get_chat_member(-100200, 1002)).status == "member"
        assert (await bot.get_chat_member(-100200, tg.bot_id)).status == "administrator"
        admins = await bot.get_chat_administrators(-100200)
        assert {a.user.id for a in admins} == {1001, tg.bot_id}
        await bot.send_message(-100200, "Hallo Gruppe")
        reply = await grp.next_message()
        assert reply.text == "Hallo Gruppe" and grp.messages == [reply]
        await grp.remove_bot(by=alice)
        kicked = Update.de_json((await call(api, "getUpdates", offset=-1))["result"][0], bot).my_chat_member
        assert kicked is not None and kicked.new_chat_member.status == "kicked"
        with pytest.raises(Forbidden, match="kicked from the group chat"):
            await bot.send_message(-100200, "x")


async def test_forum_topics(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice = await started(tg)
    forum = tg.group(-100300, "LAG Forum", forum=True)
    assert (forum.type, forum.is_forum) == ("supergroup", True)
    await forum.add_bot(by=alice)
    topic = await forum.create_topic("Kreistag", by=alice)
    await alice.send_in(forum, "/verbinden", topic=topic)
    await alice.send_in(forum, "im General-Thema")
    updates = (await call(api, "getUpdates", offset=-3))["result"]
    async with Bot(TOKEN, base_url=tg.base_url) as bot:
        created, in_topic, in_general = (Update.de_json(u, bot).message for u in updates)
        assert created is not None and created.forum_topic_created is not None
        assert created.forum_topic_created.name == "Kreistag" and created.message_id == topic
        assert in_topic is not None and in_topic.chat.is_forum
        assert (in_topic.message_thread_id, in_topic.is_topic_message) == (topic, True)
        assert in_general is not None and in_general.message_thread_id is None

        sent = await bot.send_message(-100300, "ins Thema", message_thread_id=topic)
        assert (sent.message_thread_id, sent.is_topic_message) == (topic, True)
        await bot.send_message(-100300, "ins General-Thema")
        assert [(m.text, m.message_thread_id) for m in forum.messages] == [
            ("ins Thema", topic),
            ("ins General-Thema", None),
        ]
        # The General topic has no id to send to; unknown and deleted topics are refused alike.
        for wrong in (1, topic + 100):
            with pytest.raises(BadRequest, match=r"^Message thread not found$"):
                await bot.send_message(-100300, "x", message_thread_id=wrong)
        forum.delete_topic(topic)
        with pytest.raises(BadRequest, match=r"^Message thread not found$"):
            await bot.send_message(-100300, "x", message_thread_id=topic)
    body = await call(api, "sendMessage", chat_id=-100300, text="x", message_thread_id=topic)
    assert error(body) == (400, "Bad Request: message thread not found")
    assert len(forum.messages) == 2

    plain = tg.group(-100301, "Fraktion")
    await plain.add_bot(by=alice)
    body = await call(api, "sendMessage", chat_id=-100301, text="x", message_thread_id=topic)
    assert error(body) == (400, "Bad Request: message thread not found")
    with pytest.raises(AssertionError, match="not a forum"):
        await plain.create_topic("Kreistag", by=alice)
    with pytest.raises(AssertionError, match="no open topic"):
        await alice.send_in(forum, "x", topic=topic)


async def test_cursors_and_waits(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    alice = await started(tg)
    for text in ("eins", "zwei", "Willkommen drei"):
        await call(api, "sendMessage", chat_id=1001, text=text)
    assert (await alice.next_message()).text == "eins"
    found = await alice.wait_for(lambda m: "Willkommen" in m.text)
    assert found.text == "Willkommen drei"
    with pytest.raises(NoMessageError, match="no new bot message"):
        await alice.next_message(timeout=0.05)
    await alice.no_message(within=0.05)

    async def later() -> None:
        await asyncio.sleep(0.05)
        await call(api, "sendMessage", chat_id=1001, text="spät")

    task = asyncio.create_task(later())
    assert (await alice.next_message(timeout=2)).text == "spät"
    await task
    await alice.send("noch was")
    await call(api, "sendMessage", chat_id=1001, text="Antwort")
    with pytest.raises(AssertionError, match="Antwort"):
        await alice.no_message(within=0.05)
    with pytest.raises(AssertionError, match="Antwort"):
        await alice.wait_for(lambda m: "gibt es nicht" in m.text, timeout=0.05)


# --- the real PTB stack ------------------------------------------------------------------------------


async def test_ptb_application_polls_the_fake(tg: FakeTelegram) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(" ".join(context.args or []))

    app = ApplicationBuilder().token(TOKEN).base_url(tg.base_url).base_file_url(tg.base_file_url).build()
    app.add_handler(CommandHandler("echo", echo))
    alice = tg.user(1001, "Alice")
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        await app.start()
        try:
            await alice.send("/echo hi")
            answer = await alice.next_message(timeout=5)
            assert answer.text == "hi" and not answer.buttons
        finally:
            await app.updater.stop()
            await app.stop()
    assert any(c.method == "deleteWebhook" for c in tg.calls)


async def test_second_poller_terminates_the_first(tg: FakeTelegram, api: httpx.AsyncClient) -> None:
    first = asyncio.create_task(call(api, "getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    assert (await call(api, "getUpdates", timeout=0))["result"] == []
    assert error(await first) == (
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    )

"""A strict fake Telegram Bot API over real HTTP, for end-to-end tests of the real PTB Application.

fake = FakeTelegram(token="123456:" + "A" * 35, bot_username="lag_test_bot")
await fake.start()                      # 127.0.0.1, random port
app = (ApplicationBuilder().token(fake.token)
       .base_url(fake.base_url).base_file_url(fake.base_file_url).build())

alice = fake.user(1001, "Alice", language_code="de")
await alice.send("/start")              # an Update for the bot's getUpdates
greeting = await alice.next_message()   # the bot's answer, plain text in .text, raw in .html
await alice.press(greeting, "Zustimmen")
edited = await alice.wait_edit(greeting)

grp = fake.group(-100200, "Kreistagsfraktion Test")
await grp.add_bot(by=alice)
await alice.send_in(grp, "/verbinden")
await grp.wait_for(lambda m: "verbunden" in m.text)

forum = fake.group(-100300, "LAG Forum", forum=True)
topic = await forum.create_topic("Kreistag", by=alice)   # the thread id
await alice.send_in(forum, "/verbinden", topic=topic)   # topic=None: the General topic
forum.delete_topic(topic)               # sends there: 400 "message thread not found"

fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
assert [c.method for c in fake.calls][-1] == "sendMessage"
await fake.stop()
"""

from .chats import NoMessageError
from .html_entities import EntityParseError, ParsedText, parse_html, utf16_len
from .limits import RateLimiter
from .models import ApiCall, ApiError, Button, Document, SimMessage
from .server import FakeTelegram
from .sim import SimUser
from .sim_group import SimGroup

__all__ = [
    "ApiCall",
    "ApiError",
    "Button",
    "Document",
    "EntityParseError",
    "FakeTelegram",
    "NoMessageError",
    "ParsedText",
    "RateLimiter",
    "SimGroup",
    "SimMessage",
    "SimUser",
    "parse_html",
    "utf16_len",
]

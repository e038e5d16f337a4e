"""`lag-bot sandbox`: the real bot on one machine, no token, no internet.

The same application, handlers, database and delivery engine run against the Telegram Bot API
emulator (`lag_bot.emulator`, the strict fake the tests use), with a fictional working group as
demo data; a small web page on 127.0.0.1 shows the chats like a messenger.
"""

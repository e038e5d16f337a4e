"""Telegram glue: thin handlers that read an update, call one service, render a text, send."""

"""Telegram glue for operations: /status."""

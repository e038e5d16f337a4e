"""Telegram glue for /rundschreiben: compose, audience, progress and report."""

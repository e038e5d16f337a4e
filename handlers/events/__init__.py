"""Telegram glue for events: /neuertermin, /termine, RSVP buttons, live group cards."""

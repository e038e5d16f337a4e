"""Telegram glue for membership: /start, the wizard, profile, approvals, members, groups."""

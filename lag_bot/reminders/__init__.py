"""Scheduled reminders: one scheduler for every feature, acknowledgements with repeats."""

"""Telegram glue for /erinnerung and /erinnerungen."""

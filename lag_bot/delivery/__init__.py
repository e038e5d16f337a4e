"""The delivery engine: the outbox's sender, Telegram's limits, message parts, reachability."""

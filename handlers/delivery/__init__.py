"""The Telegram side of delivery: the outbox's transport and the application bot's limiter."""

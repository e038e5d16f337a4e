"""lag-bot: the Telegram bot of a LAG Kommunalpolitik."""

__version__ = "0.1.0"

"""Run the bot from a checkout: `python bot.py` (same as the installed `lag-bot` command)."""

from lag_bot.cli import main

if __name__ == "__main__":
    main()

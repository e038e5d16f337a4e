"""Run the bot from a checkout: `python bot.py` (same as the installed `lag-bot` command)."""

from composition.cli import main

if __name__ == "__main__":
    main()

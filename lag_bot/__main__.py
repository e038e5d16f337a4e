"""`python -m lag_bot` is the `lag-bot` command."""

from lag_bot.cli import main

main()

"""`python -m composition` is the `lag-bot` command."""

from composition.cli import main

main()

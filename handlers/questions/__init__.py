"""Telegram glue for the question relay: /frage, cards in faction groups, replies, board."""

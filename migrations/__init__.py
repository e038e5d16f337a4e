"""Numbered SQL files (`0001_initial.sql`, …), applied in order by `lag_bot.migrate`.

An applied file is never edited: change the schema with a new file.
"""

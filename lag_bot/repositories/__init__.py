"""The data layer: every SQL statement of the bot lives in this package, with `?` placeholders."""

"""Running it for years: backups, restore, retention rules, status."""

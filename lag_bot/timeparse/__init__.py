"""Time input typed in plain German or English, and recurrence rules."""

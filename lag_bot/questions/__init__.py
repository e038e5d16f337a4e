"""The question relay between faction levels: routing, replies, deadlines, archive."""

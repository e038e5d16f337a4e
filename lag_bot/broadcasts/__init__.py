"""Coordinator broadcasts through the outbox: drafts, audiences, reports, read receipts."""

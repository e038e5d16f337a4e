"""Events: drafts, publishing, RSVP with waitlist, shifts, live cards, calendar files."""

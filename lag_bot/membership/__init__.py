"""Membership: onboarding, profiles, approval, invites, factions, linked groups, territory."""

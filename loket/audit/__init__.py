"""Audit: every staff action on personal data, and every access to it."""

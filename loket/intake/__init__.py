"""Intake: the brede intake sessions, their events, messages and contact requests."""

"""Bestuur (school board) and its schools."""

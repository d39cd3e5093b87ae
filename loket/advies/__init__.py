"""Advies: the advice for a profile, with the region's open vacatures and invalpool work from the database."""

"""Vacature: open jobs at the region's schools."""

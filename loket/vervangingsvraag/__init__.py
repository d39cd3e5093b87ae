"""Vervangingsvraag: a board asks cover for an absent teacher; aanbod: the offers to invallers."""

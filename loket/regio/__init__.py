"""Regio, subregio and plaats: where the region's schools and people are."""

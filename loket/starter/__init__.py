"""Every starter a coach: besturen list their starting teachers; loket invites each one, follows up, and
a coach runs a coaching track (a series of meetings) that ends with an outcome."""

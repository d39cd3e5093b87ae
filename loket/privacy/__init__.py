"""Privacy (AVG): export and erasure of a person's data, and retention enforced by a nightly purge."""

"""Authentication and authorisation: one layer that every route uses (see ``policy.py``)."""

"""Invaller: members of the shared invalpool, their availability and approval per bestuur."""

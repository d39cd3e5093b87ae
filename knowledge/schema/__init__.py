"""Typed models of the knowledge files, one module per kind of file."""

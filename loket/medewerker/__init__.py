"""Medewerker: accounts of loket staff, boards and coaches."""

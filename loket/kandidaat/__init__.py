"""Kandidaat: a person the loket helps (career switcher, herintreder, teacher)."""

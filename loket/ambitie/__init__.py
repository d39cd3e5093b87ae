"""Ambitieafspraken: targets to 2029 per topic and subregio, actuals, progress and the yearly report."""

"""Coach: independent coaches for loopbaangesprekken and starters."""

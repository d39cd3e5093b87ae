"""Loopbaangesprek: a teacher's request for a career conversation with an independent coach."""

"""Pure matching: plain data in, plain data out. No I/O, no clock."""

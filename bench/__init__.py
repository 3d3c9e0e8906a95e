"""Benchmark scripts: they print figures; they are not tests. Run them with `make bench`."""

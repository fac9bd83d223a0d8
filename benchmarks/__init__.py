"""Benchmarks: run with `make bench`; they report, they never fail on timings."""

"""Benchmarks: scripts that print medians and scores, run by `make bench`; helpers in `lib`."""

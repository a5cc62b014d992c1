"""Helpers the benchmarks and the tests share: evaluation scoring and random briefs."""

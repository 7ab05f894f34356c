"""Benchmarks: ``make bench`` (see bench/README.md). They measure; they never fail a build."""

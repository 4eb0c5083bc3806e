"""Benchmarks: `python -m serve bench` (see docs/benchmarks.md)."""

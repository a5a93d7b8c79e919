"""Benchmarks: `python -m bench --scale medium` (see bench/__main__.py)."""

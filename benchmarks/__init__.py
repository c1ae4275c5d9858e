"""Benchmarks, run on demand (``python -m benchmarks.<name>``); not part of the test suite."""

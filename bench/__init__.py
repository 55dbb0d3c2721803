"""Benchmarks of the archive search beside SQLite FTS5; run ``python -m bench``."""

"""Benchmarks of the archive search beside SQLite FTS5 (issue 6); run ``python -m bench``."""

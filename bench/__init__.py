"""Benchmarks: each module prints tables; run them with ``python -m bench.<module>``."""

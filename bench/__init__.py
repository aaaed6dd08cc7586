"""Benchmarks of conflictmap at war scale (`make bench`, `make bench-quick`); see bench/README.md."""

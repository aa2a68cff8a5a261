"""The benchmark: the main pages of the core and of each enabled plugin, under load, measured
against a bare Pyramid "hello" view served the same way. Run it with ``make bench`` or
``python -m bench --help``; bench/README.md explains it and records the latest figures.
"""


class BenchError(Exception):
    """Something that stops the benchmark, said in one sentence."""

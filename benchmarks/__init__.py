"""Benchmarks: speed and memory of Assess, as ratios against baselines measured in the same run.

Run ``make bench`` (or ``.venv/bin/python -m benchmarks``) from the repository root. It prints
one table and exits 0 whether or not a goal was met; see ``benchmarks/README.md``. Nothing here
is a unit test and nothing is written into the repository.
"""

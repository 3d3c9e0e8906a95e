"""Shared cases: what the Python rules answer, for the browser's JavaScript to answer the same.

Each JSON file here is written by `python -m tests.support.shared_cases` (see tests/support/shared_cases.py) and
committed; pytest (tests/unit/test_shared_cases.py) and node --test (tests/js/) both read it.
"""

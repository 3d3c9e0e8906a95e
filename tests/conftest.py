"""Settings for every test: a short explanation for a failed comparison of large values.

pytest explains a failed `assert a == b` between two sequences with difflib.ndiff over their
pretty-printed lines when it believes it runs on CI (the CI or BUILD_NUMBER variable is set). That
is quadratic in the number of lines: one failure between two 566-row lists ran for more than 15
minutes and blocked the whole run. For large values the explanation in
tests/support/explanations.py (sizes, and the first few differences) replaces it; small values keep
pytest's own.
"""

from __future__ import annotations

from tests.support.explanations import explain_large_comparison


def pytest_assertrepr_compare(config, op, left, right):  # noqa: ARG001 - pytest's hook signature
    return explain_large_comparison(op, left, right)

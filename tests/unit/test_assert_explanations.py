"""A failed comparison of large values explains itself in a few lines, at once (tests/conftest.py's
hook, tests/support/explanations.py).

pytest's own explanation runs difflib.ndiff when CI is set, which took over 15 minutes for two
566-row lists; these tests run the explanation the hook gives on values of that shape and larger.
"""

from __future__ import annotations

import time

import pytest

from tests.support.explanations import explain_large_comparison
from tests.support import assert_rows_agree, mismatch_report

ROWS = [[n % 2 == 0, n % 3 == 0, None, True, False, n % 5 == 0, True, False, n % 7 == 0, False]
        for n in range(5_000)]


def _explain(left, right) -> list[str]:
    started = time.perf_counter()
    lines = explain_large_comparison("==", left, right)
    assert time.perf_counter() - started < 5, "the explanation must not take long"
    return lines


def test_long_lists_report_the_first_differences_only():
    changed = [list(row) for row in ROWS]
    for n in (7, 4_000, 4_001):
        changed[n][0] = not changed[n][0]
    lines = _explain(ROWS, changed)
    text = "\n".join(lines)
    assert "3 of 5000 rows differ" in text
    assert "row 7:" in text and "row 4000:" in text
    assert len(lines) < 20


def test_lists_of_different_lengths_say_so():
    assert "lengths differ: 5000 against 4999" in "\n".join(_explain(ROWS, ROWS[:-1]))


@pytest.mark.parametrize(("left", "right", "expected"), [
    ({n: n for n in range(100)}, {**{n: n for n in range(100)}, 50: -1}, "  input 50\n    left: 50\n    right: -1"),
    ({n: n for n in range(100)}, {n: n for n in range(99)}, "'<missing>'"),
    (set(range(100)), set(range(1, 101)), "only in left (first 5): [0]"),
    ("a" * 100 + "b" + "a" * 100, "a" * 201, "first difference at character 100"),
])
def test_dicts_sets_and_text(left, right, expected):
    assert expected in "\n".join(_explain(left, right))


def test_small_values_keep_pytest_explanation():
    assert explain_large_comparison("==", [1, 2], [1, 3]) is None
    assert explain_large_comparison("<", list(range(100)), list(range(100))) is None


def test_row_comparisons_name_their_inputs():
    report = mismatch_report(["a", "b", "c"], [1, 2, 3], [1, 0, 3], what="case", got_name="browser",
                             expected_name="python")
    assert report == "case: 1 of 3 rows differ; the first 1:\n  row 1: input 'b'\n    browser: 2\n    python: 0"
    assert mismatch_report(["a"], [1], [1], what="case") is None
    assert "every input needs one row" in mismatch_report(["a", "b"], [1], [1, 2], what="case")
    with pytest.raises(pytest.fail.Exception, match="1 of 3 rows differ"):
        assert_rows_agree(["a", "b", "c"], [1, 2, 3], [1, 0, 3], what="case")

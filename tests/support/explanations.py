"""A short explanation for a failed comparison of large values (tests/conftest.py's
pytest_assertrepr_compare hands every comparison to explain_large_comparison).

pytest explains a failed `assert a == b` between two sequences with difflib.ndiff over their
pretty-printed lines when it believes it runs on CI (the CI or BUILD_NUMBER variable is set). That
is quadratic in the number of lines: one failure between two 566-row lists ran for more than 15
minutes and blocked the whole run. For large values the explanation below (sizes, and the first few
differences) replaces it; small values keep pytest's own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

from tests.support.rows import mismatch_report

# Above this many items (or characters, for text) a value is "large".
LARGE = 50


def _size(value: object) -> int:
    return len(value) if isinstance(value, Sequence | Mapping | Set) else 0


def explain_large_comparison(op: str, left: object, right: object) -> list[str] | None:
    """The lines explaining a failed `left op right`; None (pytest's own) unless it is `==` of a large value."""
    if op != "==" or max(_size(left), _size(right)) <= LARGE:
        return None
    head = [f"{type(left).__name__} of {_size(left)} == {type(right).__name__} of {_size(right)}: not equal"]
    if isinstance(left, str) or isinstance(right, str):
        if not (isinstance(left, str) and isinstance(right, str)):
            return head
        at = next((n for n, (a, b) in enumerate(zip(left, right)) if a != b), min(len(left), len(right)))
        return [*head, f"first difference at character {at}:",
                f"  left:  {left[max(0, at - 40):at + 40]!r}", f"  right: {right[max(0, at - 40):at + 40]!r}"]
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        keys = sorted(set(left) | set(right), key=repr)
        left_rows = [left.get(k, "<missing>") for k in keys]
        right_rows = [right.get(k, "<missing>") for k in keys]
        report = mismatch_report(keys, left_rows, right_rows, what="by key", got_name="left", expected_name="right",
                                 numbered=False)
    elif isinstance(left, Set) or isinstance(right, Set):
        only_left, only_right = list(set(left) - set(right))[:5], list(set(right) - set(left))[:5]
        return [*head, f"only in left (first 5): {only_left!r}"[:1000], f"only in right (first 5): {only_right!r}"[:1000]]
    elif isinstance(left, Sequence) and isinstance(right, Sequence):
        common = min(len(left), len(right))
        report = mismatch_report(range(common), list(left)[:common], list(right)[:common], what="by position",
                                 got_name="left", expected_name="right")
        if len(left) != len(right):
            report = (report or "") + f"\nlengths differ: {len(left)} against {len(right)}"
    else:
        return head
    return [*head, *(report or "").splitlines()]

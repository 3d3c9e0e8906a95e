"""Comparisons of many rows.

pytest's own explanation of a failed `==` between long lists runs difflib.ndiff over them (always on
CI, where CI=true), which is quadratic and took over 15 minutes for two 566-row lists; these report
the first few mismatches with their inputs instead.
"""

from __future__ import annotations

MISMATCHES_SHOWN = 5


def _short(value: object, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def mismatch_report(inputs, got, expected, *, what: str, got_name: str = "got",
                    expected_name: str = "expected", limit: int = MISMATCHES_SHOWN,
                    numbered: bool = True) -> str | None:
    """None when got and expected agree row by row; otherwise a short report: how many rows differ,
    and the first `limit` of them with the input that produced them."""
    inputs, got, expected = list(inputs), list(got), list(expected)
    if not len(inputs) == len(got) == len(expected):
        return (f"{what}: {len(inputs)} inputs, {len(got)} {got_name} rows and {len(expected)} "
                f"{expected_name} rows: every input needs one row from each side")
    bad = [(n, x, g, e) for n, (x, g, e) in enumerate(zip(inputs, got, expected)) if g != e]
    if not bad:
        return None
    lines = [f"{what}: {len(bad)} of {len(expected)} rows differ; the first {min(limit, len(bad))}:"]
    for n, x, g, e in bad[:limit]:
        where = f"row {n}: input" if numbered else "input"
        lines.append(f"  {where} {_short(x)}\n    {got_name}: {_short(g)}\n    {expected_name}: {_short(e)}")
    return "\n".join(lines)


def assert_rows_agree(inputs, got, expected, *, what: str, got_name: str = "got",
                      expected_name: str = "expected") -> None:
    """Fail with mismatch_report's short report (never pytest's diff) unless every row agrees."""
    import pytest

    report = mismatch_report(inputs, got, expected, what=what, got_name=got_name, expected_name=expected_name)
    if report is not None:
        pytest.fail(report, pytrace=False)

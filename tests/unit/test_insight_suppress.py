"""Disclosure control for published counts: small counts hidden, and nothing hidden can be worked out."""

import itertools
import os
import random
import subprocess
import sys
from fractions import Fraction

import pytest

from infoshare_widget.insight.suppress import THRESHOLD, TOTAL, determined, margins, published, suppress

# --- helpers: an independent, slow reference and the invariants -------------------------------------


def reference_determined(relations, unknown) -> set:
    """The unknown cells pinned down, by full Gaussian elimination over Fractions (slow, obviously right).

    In reduced row echelon form, e_x is in the row space iff some row is exactly e_x.
    """
    columns = sorted(unknown, key=repr)
    position = {key: i for i, key in enumerate(columns)}
    rows = []
    for total, parts in relations:
        row = [Fraction(0)] * len(columns)
        if total in position:
            row[position[total]] += 1
        for part in parts:
            if part in position:
                row[position[part]] -= 1
        if any(row):
            rows.append(row)
    pivot_columns = []
    for column in range(len(columns)):
        found = next((i for i in range(len(pivot_columns), len(rows)) if rows[i][column]), None)
        if found is None:
            continue
        top = len(pivot_columns)
        rows[top], rows[found] = rows[found], rows[top]
        rows[top] = [value / rows[top][column] for value in rows[top]]
        for i, row in enumerate(rows):
            if i != top and row[column]:
                rows[i] = [a - row[column] * b for a, b in zip(row, rows[top])]
        pivot_columns.append(column)
    return {
        columns[column]
        for row, column in zip(rows, pivot_columns)
        if not any(value for j, value in enumerate(row) if j != column)
    }


def lone_unknowns(relations, unknown) -> list:
    """Relations with exactly one unknown cell: that cell is the total minus the rest."""
    return [
        (total, parts)
        for total, parts in relations
        if sum(key in unknown for key in dict.fromkeys((total, *parts))) == 1
    ]


def small(cells) -> set:
    """The counts that must never be read or worked out."""
    return {key for key, count in cells.items() if count < THRESHOLD}


def assert_safe(cells, relations, suppressed) -> None:
    """Every small count is hidden, none is the lone unknown of a relation, and no combination of the
    published figures pins one down (a larger hidden count may be worked out: it gives nothing away)."""
    assert small(cells) <= suppressed
    assert [r for r in lone_unknowns(relations, suppressed)
            if any(k in small(cells) and k in suppressed for k in (r[0], *r[1]))] == []
    assert determined(cells, relations, suppressed) & small(cells) == set()


def one_way(**counts):
    """A 1-D breakdown (keys are 1-tuples) with its total."""
    return margins({(name,): count for name, count in counts.items()}, [list(counts)])


# --- 1. the threshold and a single breakdown ---------------------------------------------------------


COUNTS = [(0, True), (1, True), (2, True), (3, True), (4, True), (5, False), (6, False)]


@pytest.mark.parametrize(("count", "hidden"), COUNTS)
def test_counts_below_five_are_never_published(count, hidden):
    assert (("a",) in suppress({("a",): count}, [])) is hidden


BREAKDOWNS = [
    # (name, counts of the parts, cells expected hidden (part names, TOTAL for the total))
    ("all parts 5 or more: nothing hidden", dict(a=5, b=9, c=7), set()),
    ("one small part: the smallest other part goes too", dict(a=7, b=3, c=9, d=6), {"b", "d"}),
    ("two small parts already: the total stays", dict(a=2, b=3, c=8), {"a", "b"}),
    ("equal smallest parts: the first by repr", dict(a=3, b=6, c=6), {"a", "b"}),
    ("one small part and one other part: the total stays", dict(a=3, b=8), {"a", "b"}),
    ("zero is small", dict(a=0, b=12, c=40), {"a", "b"}),
    ("total below five: every part is too", dict(a=1, b=2, c=0), {"a", "b", "c", TOTAL}),
    ("a single part below five: the total is the part", dict(a=4), {"a", TOTAL}),
    ("a single part of five or more", dict(a=5), set()),
]


@pytest.mark.parametrize(("name", "counts", "expected"), BREAKDOWNS, ids=[b[0] for b in BREAKDOWNS])
def test_one_breakdown_with_its_total(name, counts, expected):
    cells, relations = one_way(**counts)
    hidden = suppress(cells, relations)
    assert hidden == {(part,) for part in expected}
    assert_safe(cells, relations, hidden)


def test_a_large_cell_that_is_never_published_may_be_worked_out_but_a_small_one_may_not():
    cells, relations = one_way(a=10, b=20, c=30)
    assert suppress(cells, relations, hidden=[("c",)]) == {("c",)}  # 30 gives nothing away
    cells, relations = one_way(a=10, b=20, c=3)
    assert suppress(cells, relations, hidden=[("c",)]) == {("c",), ("a",)}


def test_published_shows_none_for_hidden_cells():
    cells, relations = one_way(a=7, b=3, c=9, d=6)
    shown = published(cells, suppress(cells, relations))
    assert shown == {("a",): 7, ("b",): None, ("c",): 9, ("d",): None, (TOTAL,): 25}


# --- 2. a table with row, column and grand totals ----------------------------------------------------

KINDS = ["share", "not share", "ask", "refer"]
TABLES = [
    # (name, {row: counts by column}, cells expected hidden as (row, column index))
    ("no small cell", {"org A": [12, 5, 9, 7], "org B": [8, 15, 6, 6]}, set()),
    (
        # r0's smallest other part (6) and c0's (7) go; the 6 and the 7 may be worked out (they are not
        # small), but with them the 2 could, so the exact check hides r1's 40 and a rectangle is left.
        "one small cell: a rectangle of four is hidden",
        {"r0": [2, 6, 20, 30], "r1": [7, 40, 9, 30], "r2": [30, 8, 10, 30]},
        {("r0", 0), ("r0", 1), ("r1", 0), ("r1", 1)},
    ),
    (
        "three small cells in different rows and columns",
        {"org A": [12, 3, 9, 7], "org B": [8, 15, 1, 6], "org C": [20, 11, 14, 2]},
        {("org A", 1), ("org A", 2), ("org A", 3), ("org B", 2), ("org B", 3), ("org C", 1), ("org C", 3)},
    ),
]


@pytest.mark.parametrize(("name", "table", "expected"), TABLES, ids=[t[0] for t in TABLES])
def test_a_table_with_its_margins_is_safe_after_suppression(name, table, expected):
    counts = {(row, kind): n for row, ns in table.items() for kind, n in zip(KINDS, ns)}
    cells, relations = margins(counts, [list(table), KINDS])
    hidden = suppress(cells, relations)
    assert hidden == {(row, KINDS[column]) for row, column in expected}
    assert_safe(cells, relations, hidden)
    assert reference_determined(relations, hidden) & small(cells) == set()


# --- 3. the exact check, against the reference and at random -----------------------------------------


def bridge_table():
    """4 x 4: two 2 x 2 blocks of small cells joined by one more small cell (r0, c2).

    Every row and column has 0 or at least 2 small cells, so no single relation gives one away, but
    rows r0 + r1 minus columns c0 + c1 leaves exactly (r0, c2).
    """
    rows, columns = ["r0", "r1", "r2", "r3"], ["c0", "c1", "c2", "c3"]
    small = {
        ("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1"),
        ("r2", "c2"), ("r2", "c3"), ("r3", "c2"), ("r3", "c3"),
        ("r0", "c2"),
    }  # fmt: skip
    counts = {key: 1 if key in small else 10 for key in itertools.product(rows, columns)}
    cells, relations = margins(counts, [rows, columns])
    # Hiding (r2, c0) closes a rectangle through (r0, c2): r0-c2, r2-c2, r2-c0, r0-c0.
    return cells, relations, small, {("r0", "c2")}, {("r2", "c0")}


def box_cube():
    """3 x 3 x 3, all margins published, found by search. Its three counts below five (2, 2 and 0) make the
    quick pass hide 13 more inner cells, after which each line through the cube holds 0 or at least 2
    hidden cells: no single relation gives one away, yet all 16 can be worked out."""
    grid = [
        [[30, 8, 9], [7, 9, 7], [15, 30, 6]],
        [[15, 9, 2], [6, 30, 8], [2, 8, 15]],
        [[6, 9, 12], [20, 6, 8], [30, 9, 0]],
    ]
    dims = [["a0", "a1", "a2"], ["b0", "b1", "b2"], ["c0", "c1", "c2"]]
    counts = {
        (a, b, c): grid[i][j][k]
        for (i, a), (j, b), (k, c) in itertools.product(*map(enumerate, dims))
    }
    cells, relations = margins(counts, dims)
    after_quick_pass = {
        ("a0", "b0", "c1"), ("a0", "b0", "c2"), ("a0", "b1", "c0"), ("a0", "b1", "c1"),
        ("a0", "b2", "c0"), ("a0", "b2", "c2"), ("a1", "b0", "c1"), ("a1", "b0", "c2"),
        ("a1", "b1", "c0"), ("a1", "b1", "c2"), ("a1", "b2", "c0"), ("a1", "b2", "c1"),
        ("a2", "b1", "c1"), ("a2", "b1", "c2"), ("a2", "b2", "c1"), ("a2", "b2", "c2"),
    }  # fmt: skip
    # Three more inner cells are enough (hiding one cell at a time by size alone took 26, margins among them).
    extra = {("a0", "b1", "c2"), ("a0", "b2", "c1"), ("a1", "b1", "c1")}
    return cells, relations, after_quick_pass, after_quick_pass, extra


HEURISTIC_NOT_ENOUGH = [("2-D bridge", bridge_table), ("3-D box", box_cube)]


@pytest.mark.parametrize(("name", "case"), HEURISTIC_NOT_ENOUGH, ids=[c[0] for c in HEURISTIC_NOT_ENOUGH])
def test_one_relation_at_a_time_is_not_enough(name, case):
    cells, relations, unknown, expected, extra = case()
    assert lone_unknowns(relations, unknown) == []  # the quick pass has nothing to do
    assert reference_determined(relations, unknown) == expected
    assert determined(cells, relations, unknown) == expected
    hidden = suppress(cells, relations)
    assert hidden == unknown | extra
    assert_safe(cells, relations, hidden)
    assert reference_determined(relations, hidden) == set()


def random_cube(seed: int):
    """2 or 3 dimensions of 2 to 5 values, with many counts below five."""
    rng = random.Random(seed)
    dims = [[f"{'xyz'[d]}{i}" for i in range(rng.randint(2, 5))] for d in range(rng.randint(2, 3))]
    counts = {
        key: rng.randint(0, THRESHOLD - 1) if rng.random() < 0.4 else rng.randint(THRESHOLD, 40)
        for key in itertools.product(*dims)
    }
    return rng, *margins(counts, dims)


@pytest.mark.parametrize("seed", range(200))
def test_random_cubes_are_safe(seed):
    rng, cells, relations = random_cube(seed)
    hidden = suppress(cells, relations)
    assert_safe(cells, relations, hidden)
    if len(cells) <= 50:  # the reference is slow: check it on the small ones
        assert reference_determined(relations, hidden) & small(cells) == set()
        primary = {key for key, count in cells.items() if count < THRESHOLD}
        some = {key for key in cells if rng.random() < 0.5}
        for unknown in (primary, some):
            assert determined(cells, relations, unknown) == reference_determined(relations, unknown)


def test_the_same_input_gives_the_same_answer_whatever_the_hash_seed():
    code = (
        "from tests.unit.test_insight_suppress import random_cube;"
        "from infoshare_widget.insight.suppress import suppress;"
        "_, cells, relations = random_cube(7);"
        "print(sorted(map(repr, suppress(cells, relations))))"
    )
    answers = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(answers) == 1


# --- 4. margins ---------------------------------------------------------------------------------------


def test_margins_of_a_two_by_three_table():
    # ("x", 2) is missing: it counts 0.
    counts = {("x", 1): 4, ("x", 3): 6, ("y", 1): 1, ("y", 2): 2, ("y", 3): 3}
    cells, relations = margins(counts, [["x", "y"], [1, 2, 3]])
    assert len(cells) == 3 * 4
    assert cells[("x", 2)] == 0
    assert cells[("x", TOTAL)] == 10
    assert cells[("y", TOTAL)] == 6
    assert [cells[(TOTAL, k)] for k in (1, 2, 3)] == [5, 2, 9]
    assert cells[(TOTAL, TOTAL)] == 16
    assert len(relations) == 2 + 3 + 2
    assert (("x", TOTAL), (("x", 1), ("x", 2), ("x", 3))) in relations
    assert ((TOTAL, 3), (("x", 3), ("y", 3))) in relations
    assert ((TOTAL, TOTAL), ((TOTAL, 1), (TOTAL, 2), (TOTAL, 3))) in relations
    assert ((TOTAL, TOTAL), (("x", TOTAL), ("y", TOTAL))) in relations
    for total, parts in relations:
        assert cells[total] == sum(cells[part] for part in parts)


@pytest.mark.parametrize(
    ("counts", "dims"),
    [
        ({("z", 1): 3}, [["x", "y"], [1, 2]]),  # not a dimension value
        ({("x",): 3}, [["x", "y"], [1, 2]]),  # too short
        ({("x", 1): -1}, [["x", "y"], [1, 2]]),  # negative
        ({}, [["x", TOTAL], [1, 2]]),  # TOTAL used as a value
        ({}, [["x", "x"], [1, 2]]),  # a value twice
    ],
)
def test_margins_refuses_bad_input(counts, dims):
    with pytest.raises(ValueError):
        margins(counts, dims)


def test_relations_and_hidden_cells_must_name_cells():
    cells, relations = one_way(a=7, b=8)
    with pytest.raises(KeyError):
        suppress(cells, [*relations, ((TOTAL,), [("c",)])])
    with pytest.raises(KeyError):
        suppress(cells, relations, hidden=[("c",)])


# --- 5. the largest real case ------------------------------------------------------------------------


def test_the_largest_real_cube_completes():
    rng = random.Random(12)
    dims = [[f"org {i}" for i in range(12)], list(range(105)), [f"kind {i}" for i in range(7)]]
    cells, relations = margins({key: rng.randint(0, 12) for key in itertools.product(*dims)}, dims)
    assert len(cells) == 13 * 106 * 8
    hidden = suppress(cells, relations)
    assert lone_unknowns(relations, hidden) == []
    assert {key for key, count in cells.items() if count < THRESHOLD} <= hidden

"""Which counts must not be published, so no small count can be read or worked out. Pure: stdlib only.

The rule (a count below THRESHOLD is never published, and more cells are hidden until none can be
worked out from the published ones) is in docs/insight.md ("Small counts"). How:

1. The quick pass. While some relation "total = sum of parts" has exactly one hidden cell, hide one more
   of its cells: the published part with the smallest count (small counts lose the reader least), or the
   total when every part is already hidden. Equal counts go by the `repr` of the key.
2. The exact check. The quick pass looks at one relation at a time; a reader can combine several (in a
   table: add two rows, take away two columns). Every relation is a linear equation; published cells are
   constants; a hidden cell x can be worked out exactly iff the unit vector e_x lies in the row space of
   the equations restricted to the hidden cells. `determined` finds those cells.
3. For each such cell, hide a small pattern around it: cells that can all change together, x among them,
   without changing any published figure (in a table, a rectangle of four cells changed by +1 -1 +1 -1;
   in a cube, the eight corners of a box). It is grown from x one relation at a time, preferring cells
   that close relations it already touches, then hidden cells, then the smallest published ones, and is
   kept only when an exact check on the pattern shows x really can change; only the published cells
   that change in it are hidden. A cell for which no pattern is found within 64 cells gets the plain
   fallback: the smallest published cell of a relation next to it (parts before the total). Steps 1 to 3
   repeat until the exact check finds nothing. Hiding more cells never makes a hidden cell easier to
   work out, so every pattern stays valid; each round hides at least one more cell, so this ends.

The exact check does integer, fraction-free Gaussian elimination (exact over the rationals: the rank and
which cells are free are the true ones) on sparse rows, shortest row first and, within it, on the cell in
the fewest other rows, which keeps fill-in small. It then draws random solutions of the equations with
all constants 0, modulo the prime 2**61-1 with a fixed seed (same input, same answer). Such a solution is
the difference between two tables with the same published figures. A cell the published figures pin down
is 0 in every solution, so none is ever missed; a cell they do not pin down is 0 in one draw with
probability about 2**-61 and must be 0 in two draws to be called pinned, so the only possible error (odds
about 2**-122 a cell) is a cell hidden needlessly. The largest real case, 12 organisations x 105 weeks x 7
kinds with every margin (11,024 cells, 2,330 relations), takes at most about 0.15 s for one check and
0.05 to 0.17 s for the whole of `suppress` in CPython on the development machine (measured over counts
from mostly 0 to mostly large), so no size limit is applied.

Only exact values are protected, not ranges: knowing counts are never negative, a reader can bound a
hidden cell by a published total it is part of (a total of 6 over two hidden parts says each is at most 6).
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence, Set as AbstractSet
from math import gcd

THRESHOLD = 5
TOTAL = "*"

# A relation: (the total's key, the keys of its parts). It says total = sum of parts.
Relation = tuple[Hashable, Sequence[Hashable]]
# One relation as a sparse linear equation over some cells: key -> integer coefficient, never 0.
Row = dict[Hashable, int]

_PRIME = (1 << 61) - 1  # a Mersenne prime: the random solutions are drawn modulo it
_SEED = 5  # any fixed seed: it makes the answer the same on every run
_DRAWS = 2  # random solutions a cell must be 0 in to be called pinned down
_PATTERN_LIMIT = 64  # cells a pattern may grow to before the fallback is used instead


def margins(
    counts: Mapping[tuple, int], dims: Sequence[Sequence[Hashable]]
) -> tuple[dict[tuple, int], list[tuple[tuple, tuple[tuple, ...]]]]:
    """Every cell of the cube, marginal totals included, and every relation "total = sum of parts".

    `counts` has a key per full combination of dimension values (a tuple of len(dims)); a missing
    combination counts 0. A marginal key has TOTAL in each position it adds up over. For each key and
    each position d holding TOTAL there is the relation (key, key with d replaced by each value of
    dims[d]). Keys and relations come in a fixed order: dimension values as listed, TOTAL last.
    """
    _check_dims(dims)
    full = {key: 0 for key in itertools.product(*dims)}
    for key, count in counts.items():
        if key not in full:
            raise ValueError(f"count for {key!r} is not a combination of the dimension values")
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"count for {key!r} must be a whole number 0 or more, not {count!r}")
        full[key] = count
    sums = dict(full)
    # Adding up over one dimension at a time, over every key so far, reaches each set of TOTAL positions once.
    for d in range(len(dims)):
        for key, count in list(sums.items()):
            total_key = _replace(key, d, TOTAL)
            sums[total_key] = sums.get(total_key, 0) + count
    cells = {key: sums[key] for key in itertools.product(*[(*values, TOTAL) for values in dims])}
    relations = [
        (key, tuple(_replace(key, d, value) for value in dims[d]))
        for key in cells
        for d in range(len(dims))
        if key[d] == TOTAL
    ]
    return cells, relations


def suppress(
    cells: Mapping[Hashable, int],
    relations: Sequence[Relation],
    hidden: Iterable[Hashable] = (),
    known: Iterable[Hashable] = (),
    nobody: Iterable[Hashable] = (),
) -> frozenset:
    """The keys of the cells that must not be published.

    Every cell below THRESHOLD, every cell in `hidden` (never published, whatever its count), and the
    further cells the steps in the module docstring hide so that no cell below THRESHOLD can be worked
    out from the published cells and the relations (a larger hidden count may be: it is not protected).
    Two more ways in are closed: a total whose published parts already add up to it says its hidden
    parts are all 0 (counts are never negative), so another part is hidden; and `known` cells (what
    the reader can count for themselves, such as their own organisation's records) must not help
    work out anyone else's small count either. `nobody`: cells that are 0 because there was nothing
    to count at all (a week with no decisions, and every cell of it): still not published, but they
    need no protection, since they are about nobody. A 0 among decisions that were made stays
    protected: "all 20 were referrals" tells something about each of the 20.
    """
    _check_relations(cells, relations)
    # Only the small counts must never be worked out. A larger count hidden to protect them (or a cell
    # never published) may be: knowing it gives away nothing, and the exact check still sees every way
    # it could be combined to reach a small one.
    small = frozenset(key for key, count in cells.items() if count < THRESHOLD)
    known = frozenset(known)
    unknown = set(small)
    small = small - frozenset(nobody)
    for key in hidden:
        if key not in cells:
            raise KeyError(f"hidden cell {key!r} is not a cell")
        unknown.add(key)
    tally = _Tally(cells, relations, unknown, small)
    # Cells nothing can free (the relations alone fix them, whatever the counts): not tried again.
    fixed: set = set()
    while True:
        tally.close()
        pinned = (_pinned(_rows(tally.relations, tally.unknown)) & small) - fixed
        if pinned:
            if not _protect(tally, pinned):
                fixed |= pinned
            continue
        if known:
            pinned = (_pinned(_rows(tally.relations, tally.unknown - known)) & (small - known)) - fixed
            if pinned:
                if not _hide_beside(tally, pinned, known):
                    fixed |= pinned
                continue
        if not _zero_remainders(tally, small):
            return frozenset(tally.unknown)


def _hide_beside(tally: "_Tally", pinned: AbstractSet[Hashable], known: AbstractSet[Hashable]) -> bool:
    """For each cell a reader who knows `known` could work out, hide the smallest published cell they
    do not know in a relation with it. Whether anything was hidden."""
    hid_any = False
    for key in sorted(pinned, key=tally.order):
        near = [cell for index in tally.relations_of.get(key, ()) for cell in tally.members[index]
                if cell not in tally.unknown and cell not in known]
        if near:
            tally.hide(min(near, key=tally.order))
            hid_any = True
    return hid_any


def _zero_remainders(tally: "_Tally", small: AbstractSet[Hashable]) -> bool:
    """Hide one more cell of each relation whose published total equals its published parts while some
    of its parts are hidden and small: those parts could only be 0 (counts are never negative). The
    remainder is then at least THRESHOLD. Whether anything was hidden."""
    hid_any = False
    for index, (total, parts) in enumerate(tally.relations):
        if total in tally.unknown:
            continue
        hidden = [p for p in dict.fromkeys(parts) if p in tally.unknown and p != total]
        if hidden and any(p in small for p in hidden) and sum(tally.cells[p] for p in hidden) == 0:
            choice = tally.pick(index)
            if choice is not None:
                tally.hide(choice[1])
                hid_any = True
    return hid_any


def determined(
    cells: Mapping[Hashable, int], relations: Sequence[Relation], unknown: AbstractSet[Hashable]
) -> set:
    """The cells in `unknown` whose value the published cells (all the others) pin down exactly.

    Only which cells are unknown matters, not the counts; `cells` is there to check the relations
    against. A cell x is pinned down iff e_x lies in the row space of the relations' equations restricted
    to the unknown cells (how this is decided: the module docstring).
    """
    _check_relations(cells, relations)
    return _pinned(_rows(relations, unknown))


def published(cells: Mapping, suppressed: AbstractSet) -> dict:
    """Each cell's count as it may be shown: {key: count, or None where it is suppressed}."""
    return {key: None if key in suppressed else count for key, count in cells.items()}


# --- the quick pass ---------------------------------------------------------------------------------


class _Tally:
    """The unknown cells, and how many of them each relation has, kept up to date as cells are hidden."""

    def __init__(self, cells: Mapping[Hashable, int], relations: Sequence[Relation], unknown: set,
                 sensitive: AbstractSet[Hashable] | None = None) -> None:
        self.cells = cells
        self.unknown = unknown
        # The cells that must not be worked out (the small counts); None: every unknown cell.
        self.sensitive = sensitive
        self.relations = [(total, tuple(parts)) for total, parts in relations]
        # A relation's distinct cells, the total first: a cell listed twice is still one cell to hide.
        self.members = [tuple(dict.fromkeys((total, *parts))) for total, parts in self.relations]
        self.relations_of: dict[Hashable, list[int]] = {}
        for index, members in enumerate(self.members):
            for key in members:
                self.relations_of.setdefault(key, []).append(index)
        self.hidden_in = [sum(key in unknown for key in members) for members in self.members]
        self.queue = deque(index for index, count in enumerate(self.hidden_in) if count == 1)

    def hide(self, key: Hashable) -> None:
        """Hide one more cell; a relation it leaves with a single unknown cell is queued to be closed."""
        if key in self.unknown:
            return
        self.unknown.add(key)
        for index in self.relations_of.get(key, ()):
            self.hidden_in[index] += 1
            if self.hidden_in[index] == 1:
                self.queue.append(index)

    def close(self) -> None:
        """Hide cells until no relation has exactly one unknown cell (it is the total minus the rest)."""
        while self.queue:
            index = self.queue.popleft()
            if self.hidden_in[index] == 1 and self._lone_unknown_matters(index):
                choice = self.pick(index)
                if choice is not None:  # None only for a relation of one cell: there is nothing to take away
                    self.hide(choice[1])

    def _lone_unknown_matters(self, index: int) -> bool:
        """Whether the one unknown cell of a relation is one that must stay unknown."""
        if self.sensitive is None:
            return True
        return any(key in self.sensitive for key in self.members[index] if key in self.unknown)

    def pick(self, index: int) -> tuple[tuple[bool, int, str], Hashable] | None:
        """A relation's published cell to hide next, with its rank: parts before the total, then smallest."""
        total = self.relations[index][0]
        parts = [key for key in self.members[index] if key != total and key not in self.unknown]
        if parts:
            key = min(parts, key=self.order)
            return (False, *self.order(key)), key
        if total not in self.unknown:
            return (True, *self.order(total)), total
        return None

    def order(self, key: Hashable) -> tuple[int, str]:
        """Smallest count first; equal counts by repr, so no choice depends on how keys hash."""
        return self.cells[key], repr(key)


# --- after the exact check: patterns ----------------------------------------------------------------


def _protect(tally: _Tally, pinned: set) -> bool:
    """Hide cells so the pinned cells can no longer be worked out; False when nothing could be hidden."""
    hid_any = False
    freed: set[Hashable] = set()
    for key in sorted(pinned, key=tally.order):
        if key in freed:
            continue  # a pattern hidden for an earlier cell already lets this one change
        pattern = _free_pattern(tally, key)
        if pattern is not None:
            freed |= pattern
            new = sorted(pattern - tally.unknown, key=tally.order)
        else:
            fallback = _nearest_published(tally, key)
            new = [] if fallback is None else [fallback]
        for cell in new:
            tally.hide(cell)
        hid_any = hid_any or bool(new)
    return hid_any


def _free_pattern(tally: _Tally, key: Hashable) -> set | None:
    """Cells, `key` among them, that can change together without changing any figure outside them.

    Grown by `_grow`, then checked exactly: a random solution of the pattern's relations (cells outside
    it held still) must change `key`. Only the cells that change in it are returned; hiding the published
    ones among them lets `key` change while every published figure stays the same.
    """
    grown = _grow(tally, key)
    if grown is None:
        return None
    pattern, touched = grown
    solutions = _solutions(_rows([tally.relations[index] for index in sorted(touched)], pattern))
    moving = {cell for cell in pattern if any(solution.get(cell, 0) for solution in solutions)}
    return moving if key in moving else None


def _grow(tally: _Tally, key: Hashable) -> tuple[set, set[int]] | None:
    """Cells, grown from `key`, no relation has exactly one of; and the relations they touch.

    A relation with exactly one member in the set would hold that member still, so while there is one, a
    cell of it is added: the one that leaves fewest such relations (so the pattern closes up quickly),
    then a hidden cell before a published one, then parts before the total, then the smallest count.
    None when it passes _PATTERN_LIMIT cells.
    """
    pattern: set[Hashable] = set()
    touching: dict[int, int] = {}  # relation -> how many of its cells are in the pattern
    open_relations: deque[int] = deque()

    def add(cell: Hashable) -> None:
        pattern.add(cell)
        for index in tally.relations_of.get(cell, ()):
            touching[index] = touching.get(index, 0) + 1
            if touching[index] == 1:
                open_relations.append(index)

    def rank(cell: Hashable, index: int) -> tuple:
        opened_minus_closed = sum(
            1 if touching.get(other, 0) == 0 else -1 if touching[other] == 1 else 0
            for other in tally.relations_of[cell]
        )
        if cell in tally.unknown:
            return opened_minus_closed, 0, 0, ""
        return opened_minus_closed, 1 + (cell == tally.relations[index][0]), *tally.order(cell)

    add(key)
    while open_relations:
        index = open_relations.popleft()
        if touching[index] != 1:
            continue
        if len(pattern) >= _PATTERN_LIMIT:
            return None
        candidates = [cell for cell in tally.members[index] if cell not in pattern]
        if not candidates:
            return None  # a relation of one cell holds it still
        add(min(candidates, key=lambda cell: rank(cell, index)))
    return pattern, set(touching)


def _nearest_published(tally: _Tally, key: Hashable) -> Hashable | None:
    """The fallback cell to hide for a pinned cell: the best pick among the relations around it, widening
    through unknown cells until one has a published cell. None when none is reachable: then the relations
    alone fix its value (0, whatever the counts), and hiding more would not change that."""
    seen_cells = {key}
    seen_relations: set[int] = set()
    frontier = [key]
    while frontier:
        ring = sorted({i for cell in frontier for i in tally.relations_of.get(cell, ())} - seen_relations)
        seen_relations.update(ring)
        picks = [choice for choice in map(tally.pick, ring) if choice is not None]
        if picks:
            return min(picks, key=lambda choice: choice[0])[1]
        frontier = [cell for i in ring for cell in tally.members[i] if cell not in seen_cells]
        seen_cells.update(frontier)
    return None


# --- the exact check --------------------------------------------------------------------------------


def _rows(relations: Iterable[Relation], columns: AbstractSet[Hashable]) -> list[Row]:
    """Each relation as the equation total - sum(parts) = constant, keeping only the cells in `columns`.

    The other cells are held fixed, so they move to the constant side; constants do not matter for what
    is pinned down, so they are dropped.
    """
    rows = []
    for total, parts in relations:
        row: Row = {total: 1} if total in columns else {}
        for part in parts:
            if part in columns:
                row[part] = row.get(part, 0) - 1
        row = {key: coefficient for key, coefficient in row.items() if coefficient}
        if row:
            rows.append(row)
    return rows


def _pinned(rows: list[Row]) -> set:
    """The cells of the rows that are 0 in every solution of rows = 0 (that is, pinned down)."""
    solutions = _solutions(rows)
    return {key for key in solutions[0] if not any(solution[key] for solution in solutions)}


def _solutions(rows: list[Row]) -> list[dict[Hashable, int]]:
    """_DRAWS random solutions of rows = 0, modulo _PRIME, with a value for every cell of the rows."""
    pivots = _echelon(rows)
    rng = random.Random(_SEED)
    return [_random_solution(pivots, rng) for _ in range(_DRAWS)]


def _echelon(rows: list[Row]) -> list[tuple[Hashable, Row]]:
    """Exact echelon form: (pivot cell, its row) in elimination order. The rows are changed in place.

    When a row becomes a pivot row it holds no earlier pivot, so the rows can be solved last to first.
    Rows that reduce to nothing (they repeated others) are dropped.
    """
    rows_of: dict[Hashable, set[int]] = {}
    for index, row in enumerate(rows):
        for column in row:
            rows_of.setdefault(column, set()).add(index)
    # Shortest row first, pivoting on its cell that is in the fewest other rows: little fill-in.
    queue = [(len(row), index) for index, row in enumerate(rows)]
    heapq.heapify(queue)
    done: set[int] = set()
    pivots: list[tuple[Hashable, Row]] = []
    while queue:
        length, index = heapq.heappop(queue)
        row = rows[index]
        if index in done or length != len(row):
            continue  # already a pivot row, or a stale entry for a row whose length changed
        done.add(index)
        if not row:
            continue
        column = min(row, key=lambda key: (len(rows_of[key]), abs(row[key])))
        for key in row:
            rows_of[key].discard(index)
        for other in sorted(rows_of[column]):
            _eliminate(row, column, rows[other], other, rows_of)
            heapq.heappush(queue, (len(rows[other]), other))
        pivots.append((column, row))
    return pivots


def _eliminate(
    pivot_row: Row, column: Hashable, row: Row, index: int, rows_of: dict[Hashable, set[int]]
) -> None:
    """Take a multiple of the pivot row from `row` (number `index`) so `column` leaves it; integers only."""
    pivot, coefficient = pivot_row[column], row[column]
    scaled = coefficient % pivot != 0
    if scaled:
        # Fraction-free: scale the row so the pivot divides it, and divide out the common factor after.
        common = gcd(pivot, coefficient)
        scale, factor = pivot // common, coefficient // common
        for key in row:
            row[key] *= scale
    else:
        factor = coefficient // pivot
    for key, value in pivot_row.items():
        new = row.get(key, 0) - factor * value
        if new:
            if key not in row:
                rows_of[key].add(index)
            row[key] = new
        elif key in row:
            del row[key]
            rows_of[key].discard(index)
    if scaled and row:
        common = gcd(*row.values())
        if common > 1:
            for key in row:
                row[key] //= common


def _random_solution(pivots: list[tuple[Hashable, Row]], rng: random.Random) -> dict[Hashable, int]:
    """A random solution of pivot rows = 0, modulo _PRIME: free cells random, then each pivot from its row."""
    solution: dict[Hashable, int] = {}
    for column, row in reversed(pivots):
        rest = 0
        for key, coefficient in row.items():
            if key != column:
                if key not in solution:  # not the pivot of a later row, so free
                    solution[key] = rng.randrange(1, _PRIME)
                rest += coefficient * solution[key]
        pivot = row[column] % _PRIME
        if pivot == 0:  # coefficients stay tiny; this would take one that is a multiple of 2**61-1
            raise ArithmeticError("a pivot coefficient is a multiple of the prime")
        solution[column] = -rest * pow(pivot, -1, _PRIME) % _PRIME
    return solution


# --- small helpers and checks -----------------------------------------------------------------------


def _replace(key: tuple, position: int, value: Hashable) -> tuple:
    """The key with one position changed."""
    return key[:position] + (value,) + key[position + 1 :]


def _check_dims(dims: Sequence[Sequence[Hashable]]) -> None:
    """Each dimension lists distinct values, none of them TOTAL (it would be read as 'all values')."""
    for d, values in enumerate(dims):
        if TOTAL in values:
            raise ValueError(f"dimension {d} uses {TOTAL!r}, which means 'all values'")
        if len(set(values)) != len(values):
            raise ValueError(f"dimension {d} lists a value twice")


def _check_relations(cells: Mapping[Hashable, int], relations: Sequence[Relation]) -> None:
    """Every cell a relation names is a cell: a typo would otherwise be taken as a published figure."""
    for total, parts in relations:
        for key in (total, *parts):
            if key not in cells:
                raise KeyError(f"relation names {key!r}, which is not a cell")

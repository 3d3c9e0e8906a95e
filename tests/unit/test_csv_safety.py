"""CSV cells a spreadsheet would run as a formula are neutralised; every other cell is left alone."""

import pytest

from infoshare_widget.base import csv_safety
from infoshare_widget.base.csv_safety import safe_cell

NEUTRALISED = [
    ("=HYPERLINK(\"http://x\")", "formula"),
    ("+1+1", "plus"),
    ("-1+1", "minus formula"),
    ("-1", "negative-looking number"),
    ("-5 days overdue", "negative-looking text"),
    ("@SUM(A1:A2)", "at sign"),
    (" =1+1", "leading space"),
    ("  plain words", "leading spaces before plain text"),
    ("\t=1+1", "tab"),
    ("\r=1+1", "carriage return"),
    ("\n=1+1", "line feed"),
    ("|cmd", "pipe"),
]


@pytest.mark.parametrize(("cell", "why"), NEUTRALISED, ids=[why for _, why in NEUTRALISED])
def test_cells_a_spreadsheet_could_run_get_a_leading_quote(cell, why):
    assert safe_cell(cell) == "'" + cell


UNTOUCHED = ["", "MASH", "s47", "Children's guardian", "a=b", "2026-11-26", "1+1", "'already quoted",
             "Section 20 (accommodation)", "e-mail", "Multi-agency"]


@pytest.mark.parametrize("cell", UNTOUCHED)
def test_normal_text_is_untouched(cell):
    assert safe_cell(cell) == cell


@pytest.mark.parametrize("cell", ["-1", "-5 days overdue", "-"])
def test_text_starting_with_a_minus_is_always_treated_the_same_way(cell):
    assert safe_cell(cell).startswith("'-")
    assert safe_cell(cell)[1:] == cell


def test_neutralising_twice_changes_nothing_more():
    assert safe_cell(safe_cell("=1+1")) == "'=1+1"


def test_both_exports_use_the_one_definition():
    from infoshare_widget.glossary import csv_io
    from infoshare_widget.records import export

    assert csv_io.safe_cell is csv_safety.safe_cell
    assert export.safe_cell is csv_safety.safe_cell

"""A retention period as typed in the admin area or the command: whole years, or none."""

import pytest

from infoshare_widget.records.retention import parse_years
from infoshare_widget.base.acting import RecordError


@pytest.mark.parametrize(("typed", "years"), [("7", 7), (" 12 ", 12), ("", None), ("  ", None), ("none", None),
                                               ("None", None)])
def test_whole_years_or_none(typed, years):
    assert parse_years(typed) == years


@pytest.mark.parametrize("typed", ["7.5", "-3", "seven", "٧", "1e3", "9" * 40, "7 years"])
def test_anything_else_is_refused_with_a_clear_message(typed):
    with pytest.raises(RecordError, match="whole number of years"):
        parse_years(typed)

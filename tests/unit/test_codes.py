"""Codes people read out and type: the length asked for, in groups of four, from the unmistakable
letters and digits only."""

import re

import pytest

from infoshare_widget.base.codes import ALPHABET, readable_code


@pytest.mark.parametrize(("length", "shape"), [(8, r"^[A-Z0-9]{4}-[A-Z0-9]{4}$"),
                                                (12, r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$"),
                                                (16, r"^([A-Z0-9]{4}-){3}[A-Z0-9]{4}$")])
def test_the_code_has_the_length_in_groups_of_four(length, shape):
    code = readable_code(length)
    assert re.match(shape, code)
    assert set(code.replace("-", "")) <= set(ALPHABET)


def test_no_character_that_reads_as_another():
    assert not set("01ILOU") & set(ALPHABET)
    assert len({readable_code(16) for _ in range(200)}) == 200

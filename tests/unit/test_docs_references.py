"""docs/security.md names, for each promise, the code that keeps it and the test that would fail if it
broke: every file and test it names must exist, or the page promises what nothing checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "security.md"
TESTS = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`")
CODE = re.compile(r"`((?:infoshare_widget|assets)/[\w/.-]+\.(?:py|js))`")


def _named(pattern) -> list:
    return sorted(set(pattern.findall(PAGE.read_text(encoding="utf-8"))))


@pytest.mark.parametrize(("path", "test"), _named(TESTS))
def test_every_test_the_security_page_names_exists(path, test):
    source = (ROOT / path).read_text(encoding="utf-8")
    if test:
        assert re.search(rf"^def {test}\(", source, re.M), f"docs/security.md names {path}::{test}, which is not there"


def test_every_file_the_security_page_names_exists():
    missing = [path for path in _named(CODE) if not (ROOT / path).exists()]
    assert missing == []


def test_the_page_names_tests_at_all():
    assert len(_named(TESTS)) >= 30

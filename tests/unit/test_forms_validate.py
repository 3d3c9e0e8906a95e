"""Forms leave checking to the server, GOV.UK style (errors in the page's error summary, what was
typed kept): `no_validate` reaches the page as the form's noValidate attribute. Reflex turns a prop it
does not know into CSS, so the misspelling `novalidate=` compiled silently into a style and let the
browser block an email field's submit with its own message."""

from __future__ import annotations

import re
from pathlib import Path

import reflex as rx

PACKAGE = Path(__file__).resolve().parents[2] / "infoshare_widget"


def test_no_validate_compiles_to_the_attribute():
    rendered = str(rx.el.form(rx.el.input(type="email"), no_validate=True).render())
    assert "noValidate" in rendered


def test_no_form_spells_it_as_css():
    found = [f"{path.relative_to(PACKAGE)}:{n}" for path in PACKAGE.rglob("*.py")
             for n, line in enumerate(path.read_text().splitlines(), start=1) if re.search(r"\bnovalidate\s*=", line)]
    assert found == []

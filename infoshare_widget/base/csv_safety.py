"""Making CSV cells safe to open in a spreadsheet. Pure: no Reflex, no I/O.

Spreadsheets run a cell as a formula when it starts with = + - or @, and some do so after leading
whitespace (space, tab, carriage return, line feed) or a pipe (old DDE payloads). Such a cell gets a
leading apostrophe, which spreadsheets show as text. A cell starting with a minus is always
neutralised, number-looking or not, so every export treats "-1" and "-5 days" the same way.
Used by every CSV export (the glossary's and the records').
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "|", " ", "\t", "\r", "\n")


def safe_cell(value: str) -> str:
    """The cell as text a spreadsheet will not run: a leading apostrophe where it could be a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value

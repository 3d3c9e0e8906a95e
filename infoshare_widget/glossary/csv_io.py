"""A partnership's local terms as CSV: read with a report of every bad row, and export. Pure.

CSV columns (a header row is required; extra columns are refused):
  term, expansion, meaning, disciplines, variants, related, source, reviewed
One row per meaning. Rows with the same term make one entry; the first row is the usual meaning.
`disciplines`, `variants` and `related` hold values separated by semicolons. `source` defaults to
LOCAL (the partnership); `reviewed` is a date like 2026-11-26.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from pydantic import ValidationError

from infoshare_widget.base.content_files import validation_problems
from infoshare_widget.base.csv_safety import safe_cell
from infoshare_widget.glossary.entries import (
    DISCIPLINES,
    LOCAL_SOURCE,
    Entry,
    Glossary,
    GlossaryError,
)

COLUMNS = ("term", "expansion", "meaning", "disciplines", "variants", "related", "source", "reviewed")
REQUIRED = ("term", "expansion", "meaning", "disciplines")
MAX_CSV_BYTES = 5_000_000


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def parse_csv_entries(text: str, source: str, known_terms: set[str] | None = None) -> list[Entry]:
    """Entries from CSV text; raise GlossaryError listing every bad row by its line number."""
    _check_header(text, source)
    grouped: dict[str, dict] = {}
    first_line: dict[str, int] = {}
    problems: list[str] = []
    for line, row in _rows(text, source):
        problems += _add_row(grouped, first_line, line, row)
    entries, invalid = _entries(grouped, first_line)
    problems += invalid
    if known_terms is not None:
        problems += _related_problems(grouped, first_line, known_terms)
    if problems:
        raise GlossaryError(source, sorted(problems, key=_line_number))
    return entries


def _check_header(text: str, source: str) -> None:
    """Refuse the whole file when its columns are wrong: every row would be read into the wrong fields."""
    header = csv.DictReader(io.StringIO(text, newline="")).fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra:
        detail = []
        if missing:
            detail.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            detail.append(f"unknown column(s) {', '.join(extra)}")
        raise GlossaryError(source, [f"line 1: {'; '.join(detail)} (columns: {', '.join(COLUMNS)})"])


def _rows(text: str, source: str) -> list[tuple[int, dict]]:
    """Every row with its line number, or one problem for the file: CSV that cannot be read has no
    rows to report on one by one."""
    try:
        return _numbered_rows(text)
    except csv.Error as exc:
        raise GlossaryError(source, [f"not valid CSV ({exc})"]) from None


def _add_row(grouped: dict[str, dict], first_line: dict[str, int], line: int, row: dict) -> list[str]:
    """Add a row's meaning to its term's entry (rows with the same term, in any case, make one entry),
    or say what is wrong with the row; a blank row is skipped, as spreadsheets leave them."""
    if None in row:
        return [f"line {line}: more cells than columns"]
    cells = {k: (v or "").strip() for k, v in row.items()}
    if not any(cells.values()):
        return []
    problem = _missing_cells(line, cells) or _unknown_disciplines(line, cells) or _bad_date(line, cells)
    if problem:
        return [problem]
    key = cells["term"].casefold()
    entry = grouped.setdefault(
        key,
        {"term": cells["term"], "variants": [], "meanings": [], "related": [], "reviewed": _reviewed(cells)},
    )
    first_line.setdefault(key, line)
    if any(m["expansion"].casefold() == cells["expansion"].casefold() for m in entry["meanings"]):
        return [f"line {line}: '{cells['term']}' already has the meaning '{cells['expansion']}'"]
    _add_meaning(entry, cells)
    return []


def _missing_cells(line: int, cells: dict[str, str]) -> str | None:
    """A meaning is no use without its term, expansion, meaning and disciplines."""
    empty = [c for c in REQUIRED if not cells.get(c)]
    return f"line {line}: missing {', '.join(empty)}" if empty else None


def _unknown_disciplines(line: int, cells: dict[str, str]) -> str | None:
    """Disciplines filter the glossary, so only the ones the filter offers."""
    unknown = [d for d in _split(cells["disciplines"]) if d not in DISCIPLINES]
    if unknown:
        return f"line {line}: unknown discipline(s) {', '.join(unknown)} (use {', '.join(DISCIPLINES)})"
    return None


def _bad_date(line: int, cells: dict[str, str]) -> str | None:
    """The review date decides when an entry is due again, so it must be a date, not a guess at one."""
    try:
        _reviewed(cells)
    except ValueError:
        return f"line {line}: reviewed must be a date like 2026-11-26, not {cells['reviewed']!r}"
    return None


def _reviewed(cells: dict[str, str]) -> dt.date | None:
    """The row's review date, if it gives one."""
    return dt.date.fromisoformat(cells["reviewed"]) if cells.get("reviewed") else None


def _add_meaning(entry: dict, cells: dict[str, str]) -> None:
    """The row's meaning after the entry's others (the first row's is the usual one), and its variants
    and related terms, each once."""
    entry["meanings"].append(
        {
            "expansion": cells["expansion"],
            "meaning": cells["meaning"],
            "disciplines": _split(cells["disciplines"]),
            "source": cells.get("source") or LOCAL_SOURCE,
        }
    )
    entry["variants"] += [v for v in _split(cells.get("variants", "")) if v not in entry["variants"]]
    entry["related"] += [r for r in _split(cells.get("related", "")) if r not in entry["related"]]


def _entries(grouped: dict[str, dict], first_line: dict[str, int]) -> tuple[list[Entry], list[str]]:
    """Each term's entry, checked by the same rules as the shipped glossary's; a problem is named by the
    line where the term first appears."""
    entries: list[Entry] = []
    problems: list[str] = []
    for key, data in grouped.items():
        try:
            entries.append(Entry.model_validate({**data, "local": True}))
        except ValidationError as exc:
            problems += validation_problems(exc, f"line {first_line[key]}: '{data['term']}' ")
    return entries, problems


def _related_problems(grouped: dict[str, dict], first_line: dict[str, int],
                      known_terms: set[str]) -> list[str]:
    """A related term must be one the glossary will have (its own or this file's), or its link goes
    nowhere."""
    terms = known_terms | set(grouped)
    return [f"line {first_line[key]}: related term '{related}' is not in the glossary"
            for key, data in grouped.items() for related in data["related"]
            if related.casefold() not in terms]


def _line_number(problem: str) -> int:
    try:
        return int(problem.split(":", 1)[0].removeprefix("line "))
    except ValueError:
        return 0


def _numbered_rows(text: str) -> list[tuple[int, dict]]:
    """Rows with the line each starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    rows = []
    line = reader.line_num + 1
    for cells in reader:
        row = dict(zip(header, cells, strict=False))
        if len(cells) > len(header):
            row[None] = cells[len(header) :]
        rows.append((line, row))
        line = reader.line_num + 1
    return rows


def read_csv_entries(path: Path | str, known_terms: set[str] | None = None) -> list[Entry]:
    """Read a CSV file of local entries; raise GlossaryError naming the file and each bad line."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise GlossaryError(str(path), [f"the file is larger than {MAX_CSV_BYTES} bytes"])
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GlossaryError(str(path), ["the file does not exist"]) from None
    except UnicodeDecodeError:
        raise GlossaryError(str(path), ["the file is not UTF-8 text"]) from None
    return parse_csv_entries(text, str(path), known_terms)


def glossary_rows(glossary: Glossary) -> list[dict[str, str]]:
    """One row per meaning, in the import columns plus `local`."""
    rows = []
    for entry in glossary.entries:
        for meaning in entry.meanings:
            rows.append(
                {
                    "term": entry.term,
                    "expansion": meaning.expansion,
                    "meaning": meaning.meaning,
                    "disciplines": ";".join(meaning.disciplines),
                    "variants": ";".join(entry.variants),
                    "related": ";".join(entry.related),
                    "source": meaning.source,
                    "reviewed": entry.reviewed.isoformat() if entry.reviewed else "",
                    "local": "yes" if entry.local else "no",
                }
            )
    return rows


def to_csv(glossary: Glossary) -> str:
    """The merged glossary as CSV (cells that would be formulas are neutralised: see csv_safety)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, "local"], lineterminator="\n")
    writer.writeheader()
    for row in glossary_rows(glossary):
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return out.getvalue()


def to_json(glossary: Glossary) -> str:
    """The merged glossary as JSON: version, sources and entries with their meanings."""
    body = {
        "version": glossary.version,
        "last_reviewed": glossary.last_reviewed.isoformat(),
        "sources": {code: s.model_dump() for code, s in glossary.sources.items()},
        "entries": [
            {**entry.model_dump(mode="json"), "slug": entry.slug} for entry in glossary.entries
        ],
    }
    return json.dumps(body, indent=1, ensure_ascii=False) + "\n"

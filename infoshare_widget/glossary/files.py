"""A partnership's local terms as files: check a CSV of them and write it as YAML (nothing is written
when any row is wrong), and write the merged glossary out as CSV and JSON."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import yaml

from infoshare_widget.glossary.csv_io import read_csv_entries, to_csv, to_json
from infoshare_widget.glossary.entries import GlossaryError, merge_local
from infoshare_widget.glossary.loading import DEFAULT_GLOSSARY_PATH, load_glossary, local_glossary_path


def _write_whole(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp") as tmp:
        tmp.write(text)
    os.replace(tmp.name, path)


def import_csv(csv_path: Path, out: Path) -> int:
    """Validate a CSV of local terms and write them as YAML; 0 on success, 1 with a report."""
    shipped = load_glossary(DEFAULT_GLOSSARY_PATH)
    known = {e.term.casefold() for e in shipped.entries}
    try:
        entries = read_csv_entries(csv_path, known_terms=known)
        merge_local(shipped, entries, str(csv_path))
    except GlossaryError as exc:
        print(f"Nothing imported. {exc.source} has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    data = {
        "entries": [
            entry.model_dump(mode="json", exclude={"local"}, exclude_none=True) for entry in entries
        ]
    }
    _write_whole(out, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    print(f"Imported {len(entries)} local term(s) into {out}.")
    return 0


def export(csv_out: Path | None, json_out: Path | None) -> int:
    """Write the merged glossary as CSV and/or JSON."""
    glossary = load_glossary(DEFAULT_GLOSSARY_PATH, local_glossary_path())
    if csv_out:
        _write_whole(csv_out, to_csv(glossary))
        print(f"Wrote {csv_out}")
    if json_out:
        _write_whole(json_out, to_json(glossary))
        print(f"Wrote {json_out}")
    return 0

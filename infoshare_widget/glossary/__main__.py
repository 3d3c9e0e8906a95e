"""Glossary commands for a partnership's local terms.

  python -m infoshare_widget.glossary import terms.csv --out local-glossary.yaml
      Check every row of a CSV of local terms against the shipped glossary. Any bad row: each is
      reported by line number and nothing is written. Otherwise the YAML file is written whole.
      Then set INFOSHARE_GLOSSARY_FILE=local-glossary.yaml (a CSV file works there too).

  python -m infoshare_widget.glossary export --csv glossary.csv --json glossary.json
      Write the merged glossary (shipped plus INFOSHARE_GLOSSARY_FILE, if set).
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infoshare_widget.glossary", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="check a CSV of local terms and write it as YAML")
    imp.add_argument("csv", type=Path)
    imp.add_argument("--out", type=Path, required=True)
    exp = commands.add_parser("export", help="write the merged glossary as CSV and JSON")
    exp.add_argument("--csv", type=Path)
    exp.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "import":
            return import_csv(args.csv, args.out)
        if not (args.csv or args.json):
            parser.error("export needs --csv, --json or both")
        return export(args.csv, args.json)
    except GlossaryError as exc:
        print(str(exc), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

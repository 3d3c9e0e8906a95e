"""Loading the glossary from files: the shipped YAML, with a partnership's own YAML or CSV over it.

The one module that reads glossary files. It uses entries.py (the model and its checks) and
csv_io.py (the CSV reader), neither of which imports it, so there is no import cycle.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from infoshare_widget.base.content_files import ContentFileError, read_yaml
from infoshare_widget.glossary.csv_io import read_csv_entries
from infoshare_widget.glossary.entries import (
    Entry,
    Glossary,
    GlossaryError,
    merge_local,
    parse_glossary,
    parse_local_entries,
)

DEFAULT_GLOSSARY_PATH = Path(__file__).resolve().parent.parent / "content" / "glossary.yaml"
LOCAL_GLOSSARY_ENV = "INFOSHARE_GLOSSARY_FILE"


def load_local_entries(path: Path | str) -> list[Entry]:
    """A partnership's own entries from YAML (a list, or {entries: [...]}) or CSV."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return read_csv_entries(path)
    try:
        data = read_yaml(path)
    except ContentFileError as exc:
        raise GlossaryError(exc.source, [exc.problem]) from None
    raw = data.get("entries") if isinstance(data, dict) else data
    return parse_local_entries(raw, str(path))


def load_glossary(path: Path | str = DEFAULT_GLOSSARY_PATH, local_path: Path | str | None = None) -> Glossary:
    """The shipped glossary, with a partnership's local file merged over it when given."""
    try:
        data = read_yaml(path)
    except ContentFileError as exc:
        raise GlossaryError(exc.source, [exc.problem]) from None
    glossary = parse_glossary(data, source=str(path))
    if local_path:
        glossary = merge_local(glossary, load_local_entries(local_path), source=str(local_path))
    return glossary


def local_glossary_path(environ: dict[str, str] | None = None) -> Path | None:
    """The partnership's local glossary file named by INFOSHARE_GLOSSARY_FILE, if any."""
    environ = os.environ if environ is None else environ
    value = environ.get(LOCAL_GLOSSARY_ENV, "").strip()
    return Path(value) if value else None


@functools.cache
def get_glossary() -> Glossary:
    """The glossary for this process (shipped plus local), loaded and validated once."""
    return load_glossary(DEFAULT_GLOSSARY_PATH, local_glossary_path())

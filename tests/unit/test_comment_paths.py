"""Every file a comment or docstring under infoshare_widget/ names is there, so a reader sent to one
finds it: `records/service.py`, `assets/records.js` or `docs/insight.md` from the package or the
repository's root (or inside an installed package, as `reflex/utils/exec.py`), and a bare
`acting.py` beside the file that names it (a bare script, `flow.js`, in assets/)."""

from __future__ import annotations

import ast
import importlib.util
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "infoshare_widget"
NAMED = re.compile(r"(?<![\w./$-])((?:[\w-]+/)*[\w-]+\.(?:py|js|md))\b")


def _prose(path: Path):
    """(line, text) of each comment and docstring in a Python file, or each comment in a YAML file."""
    source = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        yield from ((n, line) for n, line in enumerate(source.splitlines(), 1) if line.lstrip().startswith("#"))
        return
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.body[0].lineno, doc


def _installed(name: str) -> Path | None:
    """Where a path inside an installed package would be (`reflex/utils/exec.py`), if it is one."""
    top = name.split("/", 1)[0]
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations or top == PACKAGE.name:
        return None
    return Path(next(iter(spec.submodule_search_locations))).parent / name


def _places(name: str, named_in: Path, root: Path) -> list[Path]:
    package = root / PACKAGE.name
    if "/" in name:
        return [path for path in (package / name, root / name, _installed(name)) if path is not None]
    return [named_in.parent / name, package / name, root / name, root / "assets" / name]


def missing_files(root: Path = ROOT) -> list[str]:
    """Each file named in the package's comments and docstrings that is not there, with where."""
    missing = []
    for path in sorted([*(root / PACKAGE.name).rglob("*.py"), *(root / PACKAGE.name).rglob("*.yaml")]):
        for line, text in sorted(_prose(path), key=lambda found: found[0]):
            for name in NAMED.findall(text):
                if not any(place.exists() for place in _places(name, path, root)):
                    missing.append(f"{path.relative_to(root).as_posix()}:{line}: {name}")
    return missing


def test_every_file_a_comment_names_exists():
    assert missing_files() == [], "a comment or docstring names a file that is not there"


def test_a_file_that_is_not_there_is_named(tmp_path):
    folder = tmp_path / "infoshare_widget" / "records"
    folder.mkdir(parents=True)
    (folder / "chain.py").write_text("")
    (folder / "state.py").write_text('"""Reads through records/db.py and assets/session.js."""\n\n'
                                     "X = 1  # the rule is in not_kept.py; the chain in records/chain.py\n")
    assert missing_files(tmp_path) == ["infoshare_widget/records/state.py:1: records/db.py",
                                       "infoshare_widget/records/state.py:1: assets/session.js",
                                       "infoshare_widget/records/state.py:3: not_kept.py"]

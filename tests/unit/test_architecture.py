"""The layers hold (pyproject.toml's import-linter contracts: app > web > features > components > base
> compat, features independent but for the named directions, no cycles), counting every import,
function-local ones too; and a broken layer is caught."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).parent / "lint-imports"


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([str(LINT), "--no-cache", str(ROOT / "pyproject.toml")], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_import_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_function_local_imports_count():
    graph = grimp.build_graph("infoshare_widget", cache_dir=None)
    # cli.main imports the server launcher only when asked to serve.
    assert graph.direct_import_exists(importer="infoshare_widget.cli", imported="infoshare_widget.web.serve")


def test_a_base_module_that_imports_a_feature_breaks_the_layers(tmp_path):
    shutil.copytree(ROOT / "infoshare_widget", tmp_path / "infoshare_widget",
                    ignore=shutil.ignore_patterns("__pycache__", "content"))
    clock = tmp_path / "infoshare_widget" / "base" / "clock.py"
    clock.write_text(clock.read_text() + "\n\ndef _knot():\n    from infoshare_widget.records import service  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "infoshare_widget.base.clock -> infoshare_widget.records.service" in result.stdout


def test_two_features_that_import_each_other_break_the_contracts(tmp_path):
    shutil.copytree(ROOT / "infoshare_widget", tmp_path / "infoshare_widget",
                    ignore=shutil.ignore_patterns("__pycache__", "content"))
    engine = tmp_path / "infoshare_widget" / "flowchart" / "engine.py"
    engine.write_text(engine.read_text() + "\n\ndef _knot():\n    from infoshare_widget.records import chain  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "infoshare_widget.flowchart is not allowed to import infoshare_widget.records" in result.stdout


def test_view_models_are_named_so_and_need_no_reflex():
    """A view model (`*_view_model.py`) shapes what a page or the API shows, without Reflex: importing
    every one of them leaves Reflex unloaded."""
    names = sorted(".".join(path.relative_to(ROOT).with_suffix("").parts)
                   for path in (ROOT / "infoshare_widget").rglob("*_view_model.py"))
    assert len(names) >= 6, names
    code = (f"import importlib, sys\nfor name in {names!r}:\n    importlib.import_module(name)\n"
            "print('reflex' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False", f"a view model loads Reflex: {names}"
    old_names = [path.relative_to(ROOT).as_posix() for path in (ROOT / "infoshare_widget").rglob("*.py")
                 if path.name in ("screens.py", "public.py", "view.py", "tables.py")]
    assert old_names == [], "name a view model *_view_model.py"

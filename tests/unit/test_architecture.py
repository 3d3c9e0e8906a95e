"""The layers hold (pyproject.toml's import-linter contracts: app > web > features > components > base
> compat, features independent but for the named directions, no cycles), counting every import,
function-local ones too; and a broken layer is caught. A name with a leading underscore stays in its
module. View models are named so, and need no Reflex."""

from __future__ import annotations

import ast
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


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(package: Path) -> list[str]:
    """Every place in the package that uses another module's underscore name: `from infoshare_widget.x
    import _name`, or `_name` read off something imported from the package (`service._name`).

    Only module-level names: a Reflex State keeps its helpers underscored on purpose (Reflex makes
    every public method of a State an event the browser may send), and those are called on instances."""
    found = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package.parent).as_posix()
        module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(package.name):
                for alias in node.names:
                    if _is_private(alias.name) and node.module != module:
                        found.append(f"{where}:{node.lineno}: from {node.module} import {alias.name}")
                    imported.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                imported.update(alias.asname or alias.name.split(".")[0] for alias in node.names
                                if alias.name.startswith(package.name))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _is_private(node.attr):
                base = node.value
                while isinstance(base, ast.Attribute):
                    base = base.value
                if isinstance(base, ast.Name) and base.id in imported:
                    found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_module_uses_another_module_s_underscore_names():
    assert private_uses(ROOT / "infoshare_widget") == [], "make the name public, or move it where it is used"


def test_an_underscore_name_taken_from_another_module_is_named(tmp_path):
    shutil.copytree(ROOT / "infoshare_widget", tmp_path / "infoshare_widget",
                    ignore=shutil.ignore_patterns("__pycache__", "content"))
    retention = tmp_path / "infoshare_widget" / "records" / "retention.py"
    retention.write_text(retention.read_text() + "\n\ndef _peek():\n"
                         "    from infoshare_widget.records.service import _whole  # noqa\n"
                         "    from infoshare_widget.records import chain\n"
                         "    return chain._canonical\n")
    lines = len(retention.read_text().splitlines())
    assert private_uses(tmp_path / "infoshare_widget") == [
        f"infoshare_widget/records/retention.py:{lines - 2}: from infoshare_widget.records.service import _whole",
        f"infoshare_widget/records/retention.py:{lines}: chain._canonical"]

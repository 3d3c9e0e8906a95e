"""The layers hold (pyproject.toml's import-linter contracts: app > web > features > components > base
> compat, features independent but for the named directions, no cycles), counting every import,
function-local ones too; and a broken layer is caught.

Around the widget: bench and harness never import tests, and harness never imports bench (contracts
in pyproject.toml too). Each rule is shown to fail on an import that breaks it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).parent / "lint-imports"
# The packages the import-linter contracts name (pyproject.toml's root_packages).
PACKAGES = ("infoshare_widget", "tests", "bench", "harness")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run([str(LINT), "--no-cache", str(ROOT / "pyproject.toml")], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _copy_packages(tmp_path: Path) -> Path:
    """The four packages the contracts name, copied to tmp_path (without content, builds or caches),
    for a lint of a tree with one import added."""
    for package in PACKAGES:
        skipped = shutil.ignore_patterns("__pycache__", "content", ".web", ".states", "node_modules")
        shutil.copytree(ROOT / package, tmp_path / package, ignore=skipped)
    return tmp_path


def test_the_import_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 kept, 0 broken" in result.stdout


def test_function_local_imports_count():
    graph = grimp.build_graph("infoshare_widget", cache_dir=None)
    # cli.main imports the server launcher only when asked to serve.
    assert graph.direct_import_exists(importer="infoshare_widget.cli", imported="infoshare_widget.web.serve")


def test_a_base_module_that_imports_a_feature_breaks_the_layers(tmp_path):
    tree = _copy_packages(tmp_path)
    clock = tree / "infoshare_widget" / "base" / "clock.py"
    clock.write_text(clock.read_text() + "\n\ndef _knot():\n    from infoshare_widget.records import service  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "infoshare_widget.base.clock -> infoshare_widget.records.service" in result.stdout


def test_two_features_that_import_each_other_break_the_contracts(tmp_path):
    tree = _copy_packages(tmp_path)
    engine = tree / "infoshare_widget" / "flowchart" / "engine.py"
    engine.write_text(engine.read_text() + "\n\ndef _knot():\n    from infoshare_widget.records import chain  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "infoshare_widget.flowchart is not allowed to import infoshare_widget.records" in result.stdout


@pytest.mark.parametrize(("path", "line", "named"), [
    ("bench/load.py", "from tests.support import rows", "bench.load -> tests.support.rows"),
    ("harness/server.py", "from tests.support import rows", "harness.server -> tests.support.rows"),
    ("harness/server.py", "from bench import sio", "harness.server -> bench.sio"),
], ids=["bench imports tests", "harness imports tests", "harness imports bench"])
def test_bench_or_harness_reaching_into_tests_or_bench_breaks_the_contracts(tmp_path, path, line, named):
    tree = _copy_packages(tmp_path)
    module = tree / path
    module.write_text(module.read_text() + f"\n\ndef _reach():\n    {line}  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert named in result.stdout

"""The layers hold (pyproject.toml's import-linter contracts: app > web > features > components > base
> compat, features independent but for the named directions, no cycles), counting every import,
function-local ones too; and a broken layer is caught. Framework internals appear only in compat/
(and assets/compat/), and one anywhere else is named by file and line."""

from __future__ import annotations

import os
import re
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


# Framework internals (Reflex, React Router, Granian) live only in infoshare_widget/compat/ and
# assets/compat/: these markers may appear nowhere else in the package or the page scripts.
_INTERNAL_MODULES = r"reflex_base|reflex_components_core|reflex\.utils|reflex\.app|reflex\.middleware|reflex\.reflex|" \
                    r"reflex\.istate|granian"
INTERNAL_MARKERS = [
    ("an import of a framework internal", re.compile(rf"^\s*(?:from|import)\s+(?:{_INTERNAL_MODULES})\b")),
    *((name, re.compile(re.escape(name))) for name in (
        "_js_expr", "__override_base_method__", "FIELD_MARKER", "EventContext", "__reflex", "_var_data", "VarData",
        "_get_all_var_data")),
]


def framework_internals_outside_compat(root: Path) -> list[str]:
    """Each line of root's infoshare_widget/**/*.py and assets/**/*.js, outside their compat/ folders,
    that uses a framework internal: 'file:line: marker: the line'."""
    files = [path for path in (root / "infoshare_widget").rglob("*.py")
             if path.relative_to(root / "infoshare_widget").parts[0] != "compat"]
    files += [path for path in (root / "assets").rglob("*.js") if path.relative_to(root / "assets").parts[0] != "compat"]
    found = []
    for path in sorted(files):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name, pattern in INTERNAL_MARKERS:
                if pattern.search(line):
                    found.append(f"{path.relative_to(root).as_posix()}:{number}: {name}: {line.strip()}")
    return found


def test_framework_internals_are_used_only_in_compat():
    found = framework_internals_outside_compat(ROOT)
    assert not found, ("Framework internals outside infoshare_widget/compat/ and assets/compat/ (move each into "
                       "compat, with a contract test in tests/unit/test_compat.py):\n" + "\n".join(found))


def test_a_framework_internal_outside_compat_is_named_by_file_and_line(tmp_path):
    shutil.copytree(ROOT / "infoshare_widget", tmp_path / "infoshare_widget",
                    ignore=shutil.ignore_patterns("__pycache__", "content"))
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    govuk = tmp_path / "infoshare_widget" / "components" / "govuk.py"
    lines = govuk.read_text(encoding="utf-8").splitlines()
    govuk.write_text("\n".join([*lines, "from reflex_base.constants.state import FIELD_MARKER  # noqa"]) + "\n",
                     encoding="utf-8")
    trouble = tmp_path / "assets" / "trouble.js"
    trouble_lines = trouble.read_text(encoding="utf-8").splitlines()
    trouble.write_text("\n".join([*trouble_lines, "window.__reflex_otel = {};"]) + "\n", encoding="utf-8")
    # Inside compat the same lines are allowed.
    (tmp_path / "infoshare_widget" / "compat" / "extra.py").write_text("from reflex_base import constants\n")
    (tmp_path / "assets" / "compat" / "extra.js").write_text("window.__reflex_otel = {};\n")

    found = framework_internals_outside_compat(tmp_path)
    assert found == [
        f"assets/trouble.js:{len(trouble_lines) + 1}: __reflex: window.__reflex_otel = {{}};",
        f"infoshare_widget/components/govuk.py:{len(lines) + 1}: an import of a framework internal: "
        "from reflex_base.constants.state import FIELD_MARKER  # noqa",
        f"infoshare_widget/components/govuk.py:{len(lines) + 1}: FIELD_MARKER: "
        "from reflex_base.constants.state import FIELD_MARKER  # noqa",
    ]

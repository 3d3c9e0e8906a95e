"""The layers hold (pyproject.toml's import-linter contracts: app > web > features > components > base
> compat, features independent but for the named directions, no cycles), counting every import,
function-local ones too; and a broken layer is caught. A name with a leading underscore stays in its
module. View models are named so, and need no Reflex.

Around the widget: bench and harness never import tests, harness never imports bench (contracts in
pyproject.toml too), and no module under tests imports another module under tests but tests.support
(a test's helpers come from tests/support, never from another test module or a conftest). Each rule
is shown to fail on an import that breaks it. Framework internals appear only in compat/ (and
assets/compat/), and one anywhere else is named by file and line.
"""

from __future__ import annotations

import ast
import os
import re
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
SUPPORT = "tests.support"


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


@pytest.mark.parametrize(("path", "line", "named"), [
    ("infoshare_widget/base/clock.py", "from infoshare_widget.records import service",
     "infoshare_widget.base.clock -> infoshare_widget.records.service"),
    ("infoshare_widget/flowchart/engine.py", "from infoshare_widget.records import chain",
     "infoshare_widget.flowchart is not allowed to import infoshare_widget.records"),
    ("bench/load.py", "from tests.support import rows", "bench.load -> tests.support.rows"),
    ("harness/server.py", "from tests.support import rows", "harness.server -> tests.support.rows"),
    ("harness/server.py", "from bench import sio", "harness.server -> bench.sio"),
], ids=["a base module imports a feature", "a feature imports another not named", "bench imports tests",
        "harness imports tests", "harness imports bench"])
def test_an_import_against_the_contracts_breaks_them(tmp_path, path, line, named):
    """Each contract fails, naming the import, on one added inside a function."""
    tree = _copy_packages(tmp_path)
    module = tree / path
    module.write_text(module.read_text() + f"\n\ndef _knot():\n    {line}  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert named in result.stdout


def _imports_between_test_modules(graph) -> list[str]:
    """Each import by a module under tests of another module under tests that is not tests.support
    or in it: "importer -> imported (line n: the line)", sorted."""
    def is_support(module: str) -> bool:
        return module == SUPPORT or module.startswith(SUPPORT + ".")

    found = []
    for importer in sorted({"tests", *graph.find_descendants("tests")}):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if (imported == "tests" or imported.startswith("tests.")) and not is_support(imported):
                lines = graph.get_import_details(importer=importer, imported=imported)
                where = "; ".join(f"line {d['line_number']}: {d['line_contents']}" for d in lines)
                found.append(f"{importer} -> {imported} ({where})")
    return found


def test_no_test_module_imports_another_but_tests_support():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert graph.find_modules_that_directly_import(SUPPORT), "the graph holds the tests and their imports"
    crossing = _imports_between_test_modules(graph)
    assert crossing == [], ("test modules import other test modules or conftests; move the helper to "
                            "tests/support:\n" + "\n".join(crossing))


def test_the_check_names_each_import_between_test_modules():
    graph = grimp.ImportGraph()
    for module in ("tests", "tests.support", "tests.support.flows", "tests.e2e", "tests.e2e.conftest",
                   "tests.e2e.test_decide", "tests.e2e.test_phone", "tests.e2e.test_load_driver",
                   "tests.unit", "tests.unit.test_engine", "harness", "harness.server", "bench",
                   "bench.load"):
        graph.add_module(module)
    allowed = [("tests.e2e.test_phone", "tests.support.flows"), ("tests.e2e.test_phone", "tests.support"),
               ("tests.e2e.test_phone", "harness.server"), ("tests.e2e.test_load_driver", "bench.load"),
               ("tests.support.flows", "tests.support")]
    bad = [("tests.e2e.test_phone", "tests.e2e.test_decide", 19, "from tests.e2e.test_decide import answer"),
           ("tests.e2e.test_decide", "tests.e2e.conftest", 20, "from tests.e2e.conftest import open_widget"),
           ("tests.support.flows", "tests.unit.test_engine", 8, "from tests.unit.test_engine import ASKED")]
    for importer, imported in allowed:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import ...")
    for importer, imported, number, line in bad:
        graph.add_import(importer=importer, imported=imported, line_number=number, line_contents=line)
    assert _imports_between_test_modules(graph) == [
        "tests.e2e.test_decide -> tests.e2e.conftest (line 20: from tests.e2e.conftest import open_widget)",
        "tests.e2e.test_phone -> tests.e2e.test_decide (line 19: from tests.e2e.test_decide import answer)",
        "tests.support.flows -> tests.unit.test_engine (line 8: from tests.unit.test_engine import ASKED)",
    ]


def test_an_import_of_another_test_module_fails_the_check(tmp_path):
    """The check above, run by pytest on a copy of the tree where one test module imports a helper
    from another in a function, fails and names that import."""
    tree = _copy_packages(tmp_path)
    phone = tree / "tests" / "e2e" / "test_phone.py"
    reach = "\n\ndef _reach():\n    from tests.e2e.test_decide import radio  # noqa\n"
    phone.write_text(phone.read_text() + reach)
    check = "tests/unit/test_architecture.py::test_no_test_module_imports_another_but_tests_support"
    # No settings file (-c): the copy is checked as it is, without this checkout's pytest options.
    command = [sys.executable, "-m", "pytest", check, "-q", "-p", "no:cacheprovider", "-c", os.devnull,
               "--rootdir", str(tree)]
    result = subprocess.run(command, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tests.e2e.test_phone -> tests.e2e.test_decide (line " in result.stdout, result.stdout
    assert "1 failed" in result.stdout


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


def test_tests_run_coroutines_through_the_support_helper():
    """In the whole suite the browser tests run before the unit tests, and Playwright's sync API leaves
    an event loop running in the main thread: asyncio.run there fails, in CI only (a unit run alone
    passes). Coroutines run through tests/support/coroutines.run_coroutine, or in a thread of their own."""
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted((ROOT / "tests").rglob("*.py")) if path.name != "coroutines.py"
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if "asyncio.run(" in line and "Thread(" not in line]
    assert found == [], "use tests.support.coroutines.run_coroutine:\n" + "\n".join(found)

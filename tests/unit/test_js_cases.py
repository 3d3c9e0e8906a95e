"""The shared cases, JavaScript side, under pytest (`make test` runs pytest only): node's own test
runner runs assets/flow.js, hours.js and glossary-search.js over tests/cases/*.json (tests/js/), with
no browser and no npm packages. Where node is missing this skips, except on CI (CI set), where it
fails: there the browser's copies of the rules must be checked."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.support import ROOT

NODE_TIMEOUT = 120
# Node 20's test runner takes a directory; older ones do not.
NODE_MAJOR_NEEDED = 20


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        message = "node is not installed: the JavaScript side of the shared cases (tests/js/) did not run"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (required on CI)", pytrace=False)
        pytest.skip(message)
    version = subprocess.run([node, "--version"], check=False, capture_output=True, text=True, timeout=30).stdout.strip()
    if int(version.lstrip("v").split(".")[0]) < NODE_MAJOR_NEEDED:
        pytest.fail(f"node {version} is too old for tests/js/: node {NODE_MAJOR_NEEDED} or later", pytrace=False)
    return node


@pytest.mark.parametrize("scripts", ["as written", "as the page has them"])
def test_the_browser_scripts_answer_every_shared_case_as_the_python_does(scripts, tmp_path):
    """The scripts as written, and as written into the page (minified: components/browser.py
    page_script), answer every shared case alike."""
    node = _node()
    # A zone far from the UK, as on a browser abroad: hours.js must not read the machine's own zone.
    env = {**os.environ, "TZ": "America/St_Johns", "NODE_OPTIONS": ""}
    if scripts == "as the page has them":
        from infoshare_widget.components.browser import page_script

        # flow.js is written into the page; the other two are served as they are.
        (tmp_path / "flow.js").write_text(page_script("flow.js"), encoding="utf-8")
        for name in ("glossary-search.js", "hours.js"):
            shutil.copy(ROOT / "assets" / name, tmp_path / name)
        env["INFOSHARE_JS_ASSETS"] = str(tmp_path)
    try:
        run = subprocess.run([node, "--test", "--test-reporter=spec", "tests/js/"], check=False, cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=NODE_TIMEOUT)
    except subprocess.TimeoutExpired as timeout:
        pytest.fail(f"node --test tests/js/ ran past {NODE_TIMEOUT} s:\n{timeout.stdout or ''}{timeout.stderr or ''}",
                    pytrace=False)
    if run.returncode != 0:
        pytest.fail(f"node --test tests/js/ failed (exit {run.returncode}): the JavaScript disagrees with the "
                    f"Python on the cases below.\n{run.stdout}{run.stderr}", pytrace=False)


INLINED = ["compat/reflex.js", "flow.js", "areas.js", "safety.js", "offline.js", "records.js", "trouble.js",
           "walks.js"]


def test_every_script_written_into_the_page_is_still_javascript_once_minified(tmp_path):
    """node --check on each script as the page has it (and the list is the one the app inlines)."""
    import inspect

    import infoshare_widget.flowchart.client as client
    import infoshare_widget.infoshare_widget as app
    from infoshare_widget.components.browser import page_script

    written = inspect.getsource(app) + inspect.getsource(client)
    assert sorted(INLINED) == sorted(set(re.findall(r'inline_asset\("([^"]+)"\)', written)))
    node = _node()
    for name in INLINED:
        path = tmp_path / name.replace("/", "-")
        path.write_text(page_script(name), encoding="utf-8")
        checked = subprocess.run([node, "--check", str(path)], check=False, capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, f"{name}, minified: {checked.stderr}"
        assert len(path.read_text()) < len((ROOT / "assets" / name).read_text())

"""The offline copy's version (web/offline.py): a change to anything the offline pages show or run
gives a new version, so a deployment replaces the copy kept on devices; the same content, the same."""

import json
import re
from pathlib import Path

import pytest

from infoshare_widget.base.settings import get_partnership
from infoshare_widget.components.browser import ASSETS
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.records.state import held_decision
from infoshare_widget.web.offline import content_version, offline_version, page_files

SW = (ASSETS / "sw.js").read_text(encoding="utf-8")


def _version(assets: Path = ASSETS, **changed) -> str:
    parts = {"chart": get_chart(), "glossary": get_glossary(), "partnership": get_partnership(), **changed}
    return content_version(**parts, assets=assets)


def test_the_same_content_gives_the_same_version():
    assert _version() == _version()
    assert len(_version()) == 24 and all(c in "0123456789abcdef" for c in _version())


@pytest.mark.parametrize("what", ["chart", "glossary", "partnership"])
def test_a_change_to_the_content_or_the_partnership_gives_a_new_version(what):
    before = {"chart": get_chart(), "glossary": get_glossary(), "partnership": get_partnership()}[what]
    if what == "chart":
        changed = before.model_copy(update={"version": "2026.99"})
    elif what == "glossary":
        first = before.entries[0]
        changed = before.model_copy(update={"entries": (first.model_copy(update={"term": first.term + "s"}),
                                                        *before.entries[1:])})
    else:
        contact = before.front_door
        changed = before.model_copy(update={"front_door": contact.model_copy(update={"phone": "0300 999 0000"})})
    assert _version(**{what: changed}) != _version()


def test_a_change_to_a_page_script_or_its_name_gives_a_new_version(tmp_path):
    (tmp_path / "flow.js").write_text("one();")
    (tmp_path / "infoshare.css").write_text("p {}")
    (tmp_path / "notes.txt").write_text("not a page file")
    first = _version(tmp_path)
    (tmp_path / "notes.txt").write_text("still not a page file")
    assert _version(tmp_path) == first
    (tmp_path / "flow.js").write_text("two();")
    assert _version(tmp_path) != first
    (tmp_path / "flow.js").rename(tmp_path / "walk.js")
    assert [p for p in page_files(tmp_path)[::2]] == [b"infoshare.css", b"walk.js"]


def test_parts_cannot_run_together():
    assert offline_version(["ab", "c"]) != offline_version(["a", "bc"])


def test_the_worker_is_versioned_by_its_address_and_deletes_every_other_copy():
    # The page registers /sw.js?v=<version>; the worker names its cache for it and, when it takes over,
    # deletes the others (tests/e2e/test_offline.py shows a new version replacing the old copy).
    offline_js = (ASSETS / "offline.js").read_text(encoding="utf-8")
    assert "`/sw.js?v=${encodeURIComponent(version)}`" in offline_js
    assert 'searchParams.get("v")' in SW and "const CACHE = PREFIX + VERSION" in SW
    assert "name.startsWith(PREFIX) && name !== CACHE" in SW and "caches.delete(name)" in SW
    assert "self.skipWaiting()" in SW and "self.clients.claim()" in SW


def test_the_worker_never_answers_or_keeps_what_records_or_signs_in():
    passed = json.loads(SW.split("const PASS_BY = ", 1)[1].split(";", 1)[0].replace("\n", " "))
    for prefix in ("/api/", "/_event", "/records", "/sign-in", "/reset-password", "/admin", "/access-log"):
        assert prefix in passed
    assert "no-store" in SW  # a response marked no-store is never kept


def test_every_script_react_adds_to_a_kept_page_is_kept_too():
    # rx.script's are added by React, so are not in the page's HTML for the worker to find: the worker
    # names them, and must name every one the glossary page adds, or its search fails offline.
    source = (Path(__file__).resolve().parents[2] / "infoshare_widget" / "glossary" / "pages.py").read_text()
    added = set(re.findall(r'rx\.script\(src="(/[^"]+)"', source))
    named = set(json.loads(SW.split("const ADDED_BY_REACT = ", 1)[1].split(";", 1)[0]))
    assert added and added == named


# -- A decision held in the tab while offline, as the browser sends it back (records/state.py) --------

@pytest.mark.parametrize("value, expected", [
    ({"answers": {"immediate_danger": "no"}, "key": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", "walk": 3},
     ({"immediate_danger": "no"}, 3, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")),
    ({"answers": {}, "key": "abcdef0123456789", "walk": -1}, ({}, -1, "abcdef0123456789")),
    # A walk that is not a whole number is no walk on screen.
    ({"answers": {}, "key": "abcdef0123456789", "walk": "3"}, ({}, -1, "abcdef0123456789")),
    ({"answers": {}, "key": "abcdef0123456789", "walk": True}, ({}, -1, "abcdef0123456789")),
    # Nothing held, or not a decision: no key, so nothing is recorded.
    ({}, ({}, -1, "")),
    (None, ({}, -1, "")),
    ("answers", ({}, -1, "")),
    ({"answers": ["no"], "key": "abcdef0123456789"}, ({}, -1, "")),
    ({"answers": {}, "key": ""}, ({}, -1, "")),
    ({"answers": {}, "key": "short"}, ({}, -1, "")),
    ({"answers": {}, "key": "x" * 65}, ({}, -1, "")),
    ({"answers": {}, "key": "abc');alert(1);//"}, ({}, -1, "")),
])
def test_a_held_decision_is_taken_only_as_answers_a_walk_and_a_plain_key(value, expected):
    assert held_decision(value) == expected

"""The shared cases (tests/cases/*.json), Python side: the Python rules answer every case as the file
says, the files carry the data the pages carry, and each file is what `python -m tests.support.shared_cases`
writes now, so a change to a rule on the Python side fails here at once and says to regenerate.

The JavaScript side reads the same files (tests/js/, run by test_js_cases.py).
"""

from __future__ import annotations

import json

import pytest

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.client import flow_table
from infoshare_widget.flowchart.chart_view_model import hours_table
from infoshare_widget.base.settings import EXAMPLE_PARTNERSHIP_FILE, load_partnership
from tests.support import shared_cases as regenerate
from tests.support import assert_rows_agree, mismatch_report

REGENERATE = f"run `{regenerate.COMMAND}`, review the diff of the cases, and make the JavaScript agree (node --test tests/js/)"


def load(name: str) -> dict:
    return json.loads(regenerate.path_of(name).read_text(encoding="utf-8"))


def _label(case: object) -> object:
    """A case as a report names it: its name, or its inputs."""
    if not isinstance(case, dict):
        return case
    if "name" in case:
        return case["name"]
    return {key: value for key, value in case.items() if key != "expect"}


@pytest.mark.parametrize("name", list(regenerate.BUILDERS))
def test_each_case_file_is_what_the_python_gives_now(name):
    path = regenerate.path_of(name)
    now = regenerate.render(regenerate.BUILDERS[name]())
    committed = path.read_text(encoding="utf-8") if path.exists() else None
    if committed == now:
        return
    if committed is None:
        pytest.fail(f"{path.name} is missing: {REGENERATE}", pytrace=False)
    before, after = json.loads(committed), json.loads(now)
    lines = []
    for part in dict.fromkeys([*before, *after]):
        old, new = before.get(part), after.get(part)
        if old == new:
            continue
        if isinstance(old, list) and isinstance(new, list):
            common = min(len(old), len(new))
            report = mismatch_report([_label(case) for case in new[:common]], old[:common], new[:common], what=part,
                                     got_name="committed", expected_name="Python now")
            lines.append(report or f"{part}: the first {common} agree")
            if len(old) != len(new):
                lines.append(f"{part}: {len(old)} committed, {len(new)} from the Python now")
        else:
            lines.append(f"{part}: differs")
    pytest.fail(f"{path.name} is not what the Python gives now: {REGENERATE}.\n" + "\n".join(lines), pytrace=False)


def test_the_case_files_carry_the_data_the_pages_carry():
    """The JavaScript is tested over what the page would give it (as written by the app's functions)."""
    from infoshare_widget.glossary.pages import search_data

    chart_on_page = json.loads(json.dumps(flow_table(get_chart()), sort_keys=True))  # as client.head_scripts
    assert load("flow")["page_data"] == chart_on_page
    hours_on_page = json.loads(json.dumps(hours_table(load_partnership(EXAMPLE_PARTNERSHIP_FILE))))
    assert load("hours")["page_data"]["example"] == hours_on_page
    assert load("glossary_search")["page_data"] == json.loads(search_data(regenerate.shipped_index().entries))


def test_the_engine_answers_every_flow_case():
    chart = get_chart()
    cases = load("flow")["cases"]
    assert_rows_agree([(c["name"], c["answers"], c["stop_at"]) for c in cases],
                      [regenerate.flow_answer(chart, c["answers"], c["stop_at"]) for c in cases],
                      [c["expect"] for c in cases], what="flow cases", got_name="engine.py",
                      expected_name="tests/cases/flow.json")


def test_the_flow_cases_cover_every_walk_and_refuse_bad_answers():
    chart = get_chart()
    cases = load("flow")["cases"]
    walked = {json.dumps(c["answers"]) for c in cases if c["expect"].get("outcome") and not c["expect"]["ignored"]}
    walks = chart.walks()
    assert all(json.dumps(answers) in walked for answers, _ in walks)
    assert sum(1 for c in cases if "problems" in c["expect"]) >= 20


def test_hours_py_answers_every_hours_case():
    partnerships = regenerate.hours_partnerships()
    cases = load("hours")["cases"]
    assert_rows_agree([(c["table"], c["at"], c["note"]) for c in cases],
                      [regenerate.hours_answer(partnerships[c["table"]], c["at"]) for c in cases],
                      [c["expect"] for c in cases], what="hours cases", got_name="hours.py",
                      expected_name="tests/cases/hours.json")


def test_the_hours_cases_cover_open_closed_unknown_and_both_clock_changes():
    cases = load("hours")["cases"]
    values = {value for c in cases for value in c["expect"]["open"].values()}
    assert values == {True, False, None}
    notes = " ".join(c["note"] for c in cases)
    for change in ("2026-03-29", "2026-10-25", "2027-03-28", "2027-10-31"):
        assert f"clock change on {change}" in notes
    assert "bank holidays" in notes and "end of the bank-holiday list" in notes


def test_search_py_answers_every_glossary_case():
    index = regenerate.shipped_index()
    document = load("glossary_search")
    cases = document["cases"]
    assert_rows_agree([(c["query"], c["discipline"], c["limit"]) for c in cases],
                      [regenerate.glossary_answer(index, c["query"], c["discipline"], c["limit"]) for c in cases],
                      [c["expect"] for c in cases], what="glossary search cases", got_name="search.py",
                      expected_name="tests/cases/glossary_search.json")
    browse = document["browse"]
    assert_rows_agree([c["discipline"] for c in browse],
                      [[e.slug for e in index.browse(c["discipline"] or None)] for c in browse],
                      [c["expect"] for c in browse], what="glossary browsing", got_name="search.py",
                      expected_name="tests/cases/glossary_search.json")


def test_the_glossary_cases_reach_every_tier_and_suggest():
    cases = load("glossary_search")["cases"]
    scores = [score for c in cases for _, score in c["expect"]["hits"]]
    # Exact names (1000, 950, 900), prefixes (~800, ~700), words (600+), meaning (450+), corrected
    # names (~400) and typos (300+).
    for low, high in [(1000, 1000), (950, 950), (900, 900), (700, 899), (600, 699), (450, 599), (350, 449),
                      (300, 349)]:
        assert any(low <= score <= high for score in scores), (low, high)
    assert sum(1 for c in cases if c["expect"].get("suggestions")) >= 50
    assert {c["discipline"] for c in cases} >= {"", "health", "police", "astrology"}

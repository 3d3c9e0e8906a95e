"""Keeping the content current: what is due, strict start-up, and the version following the content."""

import datetime as dt
import json
import subprocess
import sys

import pytest

from infoshare_widget.flowchart.chart import ChartError, get_chart
from infoshare_widget.flowchart.review import (
    check_at_start,
    due_items,
    fingerprint,
    stamp,
    version_problem,
)

CHART = get_chart()
FIRST_DUE = CHART.next_review


def test_the_shipped_version_is_stamped_for_the_shipped_content():
    """Changing the content without raising the version (and stamping it) fails here."""
    assert version_problem(CHART) is None


def test_the_version_follows_the_year_of_the_review():
    assert CHART.version.startswith(f"{CHART.last_reviewed.year}.")


@pytest.mark.parametrize(
    ("today", "expected_due"),
    [
        (CHART.last_reviewed, 0),
        (FIRST_DUE, 0),  # due the day after the next review date
        (FIRST_DUE + dt.timedelta(days=1), None),
    ],
)
def test_items_become_due_after_their_next_review(today, expected_due):
    due = due_items(CHART, today)
    if expected_due is None:
        assert due and all(d.days_over >= 1 for d in due)
        assert all(d.next_review < today for d in due)
    else:
        assert len(due) == expected_due


def test_strict_start_up_refuses_only_past_the_grace_period():
    late = FIRST_DUE + dt.timedelta(days=31)
    assert check_at_start(CHART, strict=False, grace_days=30, today=late, source="c.yaml")  # shown, not refused
    assert check_at_start(CHART, strict=True, grace_days=31, today=late, source="c.yaml")
    with pytest.raises(ChartError) as caught:
        check_at_start(CHART, strict=True, grace_days=30, today=late, source="c.yaml")
    assert "next review was" in str(caught.value) and "strict review" in str(caught.value)


def test_a_content_change_without_a_new_version_is_reported(tmp_path):
    path = tmp_path / "flowchart.fingerprint"
    stamp(CHART, path)
    assert version_problem(CHART, path) is None
    changed = CHART.model_copy(update={"title": "Something else"})
    assert fingerprint(changed) != fingerprint(CHART)
    assert "raise the version" in version_problem(changed, path)
    bumped = changed.model_copy(update={"version": "2026.99"})
    assert "not stamped yet" in version_problem(bumped, path)
    path.unlink()
    assert "missing" in version_problem(CHART, path)


def _command(*args):
    return subprocess.run([sys.executable, "-m", "infoshare_widget", "content-review", *args],
                          capture_output=True, text=True, timeout=60)


def test_the_command_lists_what_is_due_and_why():
    late = (FIRST_DUE + dt.timedelta(days=10)).isoformat()
    result = _command("--today", late)
    assert result.returncode == 1
    assert "due for review" in result.stdout and "check it against" in result.stdout
    body = json.loads(_command("--today", late, "--json").stdout)
    assert body["version"] == CHART.version and body["due"][0]["days_over"] == 10
    now = _command("--today", CHART.last_reviewed.isoformat())
    assert now.returncode == 0 and "Nothing is due" in now.stdout


def test_every_legal_reference_has_a_status_and_every_item_a_known_source():
    for ref in CHART.legal.values():
        assert ref.status
    for _, review in CHART.reviewed_items():
        assert review.source in CHART.sources


# -- The watch list, glossary reviews and the partnership file -------------------------------------

from infoshare_widget.flowchart.review import describe_watch, watch_due  # noqa: E402
from infoshare_widget.glossary.loading import get_glossary  # noqa: E402

GLOSSARY = get_glossary()
FIRST_LOOK = min(item.look_again for item in CHART.watch.values())


def test_the_watch_list_names_each_pending_change_with_what_it_would_change():
    titles = " ".join(item.title for item in CHART.watch.values())
    for words in ("Children's Wellbeing and Schools Act 2026, section 4", "child sexual abuse", "Working Together",
                  "Keeping children safe in education", "section 16H", "section 47(11)", "Mental Health Act 2025",
                  "Victims and Prisoners Act 2024", "respect orders", "children not in school"):
        assert words in titles, words
    for wid, item in CHART.watch.items():
        assert item.change and item.look_again > item.checked, wid


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (CHART.last_reviewed, set()),
        (FIRST_LOOK - dt.timedelta(days=1), set()),
        (FIRST_LOOK, {wid for wid, item in CHART.watch.items() if item.look_again == FIRST_LOOK}),
        (max(item.look_again for item in CHART.watch.values()), set(CHART.watch)),
    ],
)
def test_watch_items_are_due_from_their_look_again_date(today, expected):
    due = watch_due(CHART, today)
    assert {wid for wid, _ in due} == expected
    assert [item.look_again for _, item in due] == sorted(item.look_again for _, item in due)


def test_a_due_watch_item_says_what_it_would_change_and_where_to_look():
    wid, item = watch_due(CHART, FIRST_LOOK)[0]
    line = describe_watch(CHART, wid, item)
    assert item.title in line and "What it would change:" in line and CHART.sources[item.source].url in line


def test_glossary_entries_fall_due_twelve_months_after_review_unless_they_say_otherwise():
    entry = GLOSSARY.entries[0]
    assert entry.reviewed is not None
    due_on = GLOSSARY.review_due_on(entry)
    assert due_on == entry.reviewed.replace(year=entry.reviewed.year + 1)
    assert entry not in [e for e, _ in GLOSSARY.due_entries(due_on)]
    assert entry in [e for e, _ in GLOSSARY.due_entries(due_on + dt.timedelta(days=1))]
    sooner = entry.model_copy(update={"next_review": entry.reviewed + dt.timedelta(days=30)})
    assert GLOSSARY.review_due_on(sooner) == entry.reviewed + dt.timedelta(days=30)
    undated = entry.model_copy(update={"reviewed": None})
    assert GLOSSARY.review_due_on(undated) == GLOSSARY.last_reviewed.replace(year=GLOSSARY.last_reviewed.year + 1)
    assert not GLOSSARY.due_entries(CHART.last_reviewed)


def test_a_glossary_entry_cannot_be_due_before_it_was_reviewed():
    from infoshare_widget.glossary.entries import GlossaryError, parse_glossary

    data = {"version": "1", "last_reviewed": "2026-12-07", "sources": {"S": {"title": "T", "url": "https://x"}},
            "entries": [{"term": "Term", "meanings": [{"expansion": "E", "meaning": "M", "disciplines": ["health"],
                                                         "source": "S"}],
                         "reviewed": dt.date(2026, 12, 7), "next_review": dt.date(2026, 1, 1)}]}
    with pytest.raises(GlossaryError, match="entry 'Term': next_review must be after reviewed"):
        parse_glossary(data)


def _partnership_file(tmp_path, text):
    path = tmp_path / "partnership.yaml"
    path.write_text(text, encoding="utf-8")
    return path


PARTNERSHIP_WITH_A_GAP = """
name: Gap Partnership
area: Gapshire
front_door:
  name: Gapshire MASH
  phone: "01632 960 100"
  open: {monday: "09:00-17:00", tuesday: "09:00-17:00", wednesday: "09:00-17:00", thursday: "09:00-17:00",
         friday: "09:00-17:00"}
out_of_hours:
  name: Gapshire Emergency Duty Team
  phone: "01632 960 101"
  open: {monday: ["00:00-09:00", "17:00-24:00"], tuesday: ["00:00-09:00", "17:00-24:00"],
         wednesday: ["00:00-09:00", "17:00-24:00"], thursday: ["00:00-09:00", "17:00-24:00"],
         friday: ["00:00-09:00", "17:00-24:00"], saturday: "08:00-24:00", sunday: "all day"}
advice:
  - name: Your safeguarding lead
bank_holidays: [2026-12-25]
"""


def test_the_command_lists_watch_items_glossary_entries_and_partnership_gaps(tmp_path):
    import os

    path = _partnership_file(tmp_path, PARTNERSHIP_WITH_A_GAP)
    env = {**os.environ, "INFOSHARE_PARTNERSHIP_FILE": str(path)}
    late = (FIRST_LOOK + dt.timedelta(days=400)).isoformat()
    result = subprocess.run([sys.executable, "-m", "infoshare_widget", "content-review", "--today", late],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1
    assert "Watch list:" in result.stdout and "What it would change:" in result.stdout
    assert "Glossary:" in result.stdout and "past their review date" in result.stdout
    assert "nobody answers on Saturday at 00:00-08:00" in result.stdout
    assert "nobody answers on bank holidays at 00:00-24:00" in result.stdout
    assert "has passed" in result.stdout
    body = json.loads(subprocess.run([sys.executable, "-m", "infoshare_widget", "content-review", "--today",
                                      late, "--json"], capture_output=True, text=True, timeout=60, env=env).stdout)
    assert body["jurisdiction"] == "England" and body["law_as_at"] == "2026-12-07"
    assert {w["id"] for w in body["watch_due"]} == set(CHART.watch)
    assert body["glossary_due"] and body["glossary_due"][0]["days_over"] > 0
    assert any("Saturday" in w for w in body["partnership_warnings"])


def test_the_shipped_example_partnership_needs_nothing_today():
    result = _command("--today", CHART.last_reviewed.isoformat())
    assert "hours and bank holidays are complete" in result.stdout
    assert "Watch list: nothing to look at again yet." in result.stdout
    assert "Glossary: no entry is past its review date." in result.stdout

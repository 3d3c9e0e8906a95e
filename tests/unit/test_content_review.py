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
    return subprocess.run([sys.executable, "-m", "infoshare_widget.flowchart", "content-review", *args],
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

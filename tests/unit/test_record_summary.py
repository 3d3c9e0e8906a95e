"""How a record reads: rows for its page and text for a case system, with choices in words."""

import datetime as dt

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.records.details import suggestions
from infoshare_widget.records.models import DecisionRecord
from infoshare_widget.records.service import RecordView
from infoshare_widget.records.summary import local_time, summary_rows, summary_text

CHART = get_chart()


def view(**details):
    record = DecisionRecord(
        id="r1", reference="IS-ABCD-EFGH", org_id="trust-a", created_at=dt.datetime(2026, 7, 1, 13, 5, tzinfo=dt.UTC),
        recorded_by="Sam Jones", recorded_role="Health visitor", outcome_id="refer_now", outcome_kind="refer_now",
        chart_version="2024.1", path_json='[{"id":"immediate_danger","answer":"no"},{"id":"significant_harm","answer":"yes"}]',
        seq=1, prev_hash="0" * 64, hash="x",
    )
    return RecordView(record=record, details=details, case_reference="CR-1", check_by=dt.date(2026, 7, 8),
                      follow_up="awaiting")


def test_rows_show_the_facts_the_answers_and_choices_in_words():
    rows = dict(summary_rows(view(route="phone_known", lawful_basis="public_task", categories=["health", "family"]),
                             CHART))
    assert rows["Recorded"] == "1 Jul 2026, 2:05pm by Sam Jones (Health visitor)"  # UK summer time
    assert rows["Decision"] == "Refer to children's social care now (refer_now)"
    assert rows["Is anyone in immediate danger?"] == "No"
    assert rows["How"] == "Phone call to a number I know is theirs"
    assert rows["Lawful basis"].startswith("Public task")
    assert rows["Information shared"] == "Health, including mental health, Family and home life"
    assert rows["Check by"] == "8 Jul 2026" and rows["Follow-up"] == "awaiting"


def test_text_starts_with_the_reference_and_holds_every_row():
    text = summary_text(view(purpose="Referral"), CHART)
    assert text.splitlines()[0] == "Information sharing decision IS-ABCD-EFGH"
    assert "Purpose: Referral" in text and "Case reference: CR-1" in text


def test_local_time_in_winter_and_summer():
    assert local_time(dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)) == "1 Jan 2026, 9:00am"
    assert local_time(dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)) == "1 Jul 2026, 10:00am"


def test_a_naive_time_from_sqlite_is_utc_whatever_the_server_zone(monkeypatch):
    """SQLite gives times back without a zone; they are UTC, not the server's local time."""
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert local_time(dt.datetime(2026, 7, 1, 12, 0)) == "1 Jul 2026, 1:00pm"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_suggestions_from_the_path():
    assert suggestions("refer_now", {})["consent"] == "not_sought"
    assert suggestions("refer_now", {})["consent_why"] == "risk_of_harm"
    assert suggestions("emergency", {})["consent_why"] == "danger"
    assert suggestions("share_with_consent", {"consent": "yes"}) == {
        "lawful_basis": "public_task", "consent": "given", "consent_reason": "", "consent_why": ""}
    assert suggestions("do_not_share", {}) == {"lawful_basis": "", "consent": "", "consent_reason": "",
                                               "consent_why": ""}

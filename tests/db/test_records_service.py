"""The records service on SQLite and on a real PostgreSQL: one click, amendments, lists, the chain."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.base.models import ChainHead
from infoshare_widget.records.models import DecisionRecord
from infoshare_widget.base.acting import Actor, RecordError
from infoshare_widget.records.service import (
    NotFound,
    RecordFilter,
    amend,
    get_record,
    list_records,
    record_decision,
    to_check,
    verify_chain,
)

LEAD_A = Actor("trust-a", "Lee Lead", "Designated safeguarding lead", access="lead")
LEAD_B = Actor("school-b", "Bo Lead", "Designated safeguarding lead", access="lead")


CHART = get_chart()


def count_records(*, session: Session, org_id: str) -> int:
    return session.exec(select(func.count()).select_from(DecisionRecord).where(DecisionRecord.org_id == org_id)).one()
SAM = Actor("trust-a", "Sam Jones", "Health visitor", None, access="lead")
ALEX = Actor("school-b", "Alex Lee", "Designated safeguarding lead", None, access="lead")
REFER = {"immediate_danger": "no", "significant_harm": "yes"}
NO_PURPOSE = {"immediate_danger": "no", "significant_harm": "no", "asked_for_information": "no", "legitimate_purpose": "no"}


def test_one_click_stores_everything_already_known(session):
    before = dt.datetime.now(dt.UTC)
    record = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER)
    view = get_record(session=session, actor=LEAD_A, record_id=record.id)
    assert view.record.outcome_id == "refer_now" and view.record.outcome_kind == "refer_now"
    assert view.path == [{"id": "immediate_danger", "answer": "no"}, {"id": "significant_harm", "answer": "yes"}]
    assert view.record.chart_version == CHART.version
    assert (view.record.recorded_by, view.record.recorded_role) == ("Sam Jones", "Health visitor")
    assert view.record.created_at.astimezone(dt.UTC) >= before - dt.timedelta(seconds=1)
    assert re.fullmatch(r"IS-[A-Z2-9]{4}-[A-Z2-9]{4}", view.record.reference)


@pytest.mark.parametrize(
    "answers",
    [{}, {"immediate_danger": "no"}, {"immediate_danger": "maybe"}, {"nope": "yes"}, ["immediate_danger"]],
)
def test_nothing_is_saved_when_there_is_no_decision_to_record(session, answers):
    with pytest.raises(RecordError):
        record_decision(session=session, actor=SAM, chart=CHART, answers=answers)
    assert count_records(session=session, org_id="trust-a") == 0
    assert session.get(ChainHead, "trust-a").seq == 0


def test_records_belong_to_their_organisation(session):
    record = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER)
    with pytest.raises(NotFound):
        get_record(session=session, actor=LEAD_B, record_id=record.id)
    with pytest.raises(NotFound):
        amend(session=session, actor=ALEX, record_id=record.id, kind="details", data={"purpose": "x"})
    assert list_records(session=session, actor=LEAD_B).items == []
    assert verify_chain(session=session, org_id="school-b").checked == 0


def test_amendments_add_to_a_record_that_never_changes(session):
    record = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER)
    original_hash = record.hash
    amend(session=session, actor=SAM, record_id=record.id, kind="details",
          data={"purpose": "Referral to the front door"}, case_reference="CR-100", check_by=dt.date(2026, 12, 1))
    amend(session=session, actor=SAM, record_id=record.id, kind="details",
          data={"purpose": "Referral to the front door, corrected"}, case_reference="CR-101", check_by=dt.date(2026, 12, 2))
    view = get_record(session=session, actor=LEAD_A, record_id=record.id)
    assert view.details["purpose"].endswith("corrected")
    assert view.case_reference == "CR-101" and view.follow_up == "awaiting"
    amend(session=session, actor=SAM, record_id=record.id, kind="follow_up", data={"result": "confirmed", "note": "Visit booked"})
    view = get_record(session=session, actor=LEAD_A, record_id=record.id)
    assert view.follow_up == "confirmed" and view.follow_up_note == "Visit booked"
    assert len(view.amendments) == 3
    stored = session.exec(select(DecisionRecord).where(DecisionRecord.id == record.id)).one()
    assert stored.hash == original_hash
    assert verify_chain(session=session, org_id="trust-a").ok


def test_lists_filter_page_and_put_overdue_follow_ups_first(session):
    day = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    made = []
    for i in range(5):
        answers = REFER if i % 2 == 0 else NO_PURPOSE
        made.append(record_decision(session=session, actor=SAM, chart=CHART, answers=answers, now=day + dt.timedelta(days=i)))
    amend(session=session, actor=SAM, record_id=made[1].id, kind="details", data={}, case_reference="CR-7",
          check_by=dt.date(2026, 11, 30))
    amend(session=session, actor=SAM, record_id=made[3].id, kind="details", data={}, case_reference="CR-8",
          check_by=dt.date(2026, 11, 25))
    everything = list_records(session=session, actor=LEAD_A, per_page=2)
    assert [v.record.id for v in everything.items] == [made[4].id, made[3].id] and everything.has_next
    last = list_records(session=session, actor=LEAD_A, per_page=2, page=3)
    assert [v.record.id for v in last.items] == [made[0].id] and not last.has_next
    refer = list_records(session=session, actor=LEAD_A, filters=RecordFilter(outcome_kind="refer_now"))
    assert {v.record.id for v in refer.items} == {made[0].id, made[2].id, made[4].id}
    dated = list_records(session=session, actor=LEAD_A,
                         filters=RecordFilter(date_from=dt.date(2026, 11, 21), date_to=dt.date(2026, 11, 22)))
    assert [v.record.id for v in dated.items] == [made[2].id, made[1].id]
    by_case = list_records(session=session, actor=LEAD_A, filters=RecordFilter(case_reference="CR-8"))
    assert [v.record.id for v in by_case.items] == [made[3].id]
    awaiting = list_records(session=session, actor=LEAD_A, filters=RecordFilter(awaiting_follow_up=True))
    assert {v.record.id for v in awaiting.items} == {made[1].id, made[3].id}
    assert [v.record.id for v in to_check(session=session, actor=LEAD_A)] == [made[3].id, made[1].id]
    amend(session=session, actor=SAM, record_id=made[3].id, kind="follow_up", data={"result": "not_done", "note": "No reply"})
    assert [v.record.id for v in to_check(session=session, actor=LEAD_A)] == [made[1].id]


TAMPERING = [
    ("change a record's outcome", "UPDATE decision_record SET outcome_kind = 'emergency' WHERE seq = 2",
     2, "content does not match its hash"),
    ("change an amendment", "UPDATE record_amendment SET data_json = '{}' WHERE seq = 3", 3,
     "content does not match its hash"),
    ("re-link an entry", "UPDATE decision_record SET prev_hash = hash WHERE seq = 4", 4,
     "link to the previous entry does not match"),
    ("delete an entry in the middle", "DELETE FROM decision_record WHERE seq = 2", 3, "entry is missing"),
    ("delete the last entry", "DELETE FROM decision_record WHERE seq = 4", 4, "the last were removed"),
]


@pytest.mark.parametrize(("case", "sql", "seq", "problem"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_tampering_in_the_database_is_reported_at_the_first_broken_link(engine, case, sql, seq, problem):
    with Session(engine) as session:
        first = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER)
        record_decision(session=session, actor=SAM, chart=CHART, answers=NO_PURPOSE)
        amend(session=session, actor=SAM, record_id=first.id, kind="details", data={"purpose": "x"})
        record_decision(session=session, actor=SAM, chart=CHART, answers=REFER)
        assert verify_chain(session=session, org_id="trust-a").ok
    with engine.begin() as connection:
        if sql.startswith("DELETE"):
            connection.execute(text("DELETE FROM record_amendment WHERE record_id IN "
                                    f"(SELECT id FROM decision_record WHERE {sql.split('WHERE ')[1]})"))
        connection.execute(text(sql))
    with Session(engine) as session:
        report = verify_chain(session=session, org_id="trust-a")
    assert not report.ok
    assert report.broken_seq == seq
    assert problem in report.problem


def test_twenty_concurrent_writers_make_exactly_one_thousand_records_and_a_sound_chain(engine):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with Session(engine) as session:
                actor = Actor("trust-a", f"Writer {n}", "Tester")
                for _ in range(50):
                    record_decision(session=session, actor=actor, chart=CHART, answers=REFER)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors[:3]
    with Session(engine) as session:
        assert count_records(session=session, org_id="trust-a") == 1000
        report = verify_chain(session=session, org_id="trust-a")
        assert report.ok and report.checked == 1000


def test_a_correction_changes_only_what_it_gives(session):
    record = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER)
    amend(session=session, actor=SAM, record_id=record.id, kind="details",
          data={"purpose": "Referral", "description": "Bruising"}, check_by=dt.date(2026, 12, 1))
    amend(session=session, actor=SAM, record_id=record.id, kind="details", data={"description": "Bruising, twice"},
          case_reference="CR-9")
    view = get_record(session=session, actor=LEAD_A, record_id=record.id)
    assert view.details == {"purpose": "Referral", "description": "Bruising, twice"}
    assert (view.case_reference, view.check_by, view.follow_up) == ("CR-9", dt.date(2026, 12, 1), "awaiting")


def test_date_filters_use_uk_days(session):
    # 00:30 on 1 July in London is 23:30 on 30 June in UTC: it belongs to 1 July.
    late = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
    record = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER, now=late)
    july = list_records(session=session, actor=LEAD_A,
                        filters=RecordFilter(date_from=dt.date(2026, 7, 1), date_to=dt.date(2026, 7, 1)))
    assert [v.record.id for v in july.items] == [record.id]


def test_the_same_save_sent_again_adds_one_amendment_and_a_changed_one_adds_another(engine):
    """Details and follow-up saves carry a key (service.amendment_key: the page's attempt token and
    what the save says): sent twice, or by four writers at once, one amendment; the same attempt with
    other content, or the same content from a later page load, is a new one. The chain stays sound."""
    from infoshare_widget.records.models import RecordAmendment
    from infoshare_widget.records.service import amendment_key

    with Session(engine) as session:
        record = record_decision(session=session, actor=LEAD_A, chart=CHART, answers=REFER)
    data = {"result": "not_done", "note": "no answer from the duty desk"}
    key = amendment_key("attempt-one-0001", record.id, "follow_up", data, None, None)
    assert key == amendment_key("attempt-one-0001", record.id, "follow_up", dict(data), None, None)
    assert amendment_key("short", record.id, "follow_up", data, None, None) is None

    def save(key_: str, content: dict) -> str:
        with Session(engine) as session:
            return amend(session=session, actor=LEAD_A, record_id=record.id, kind="follow_up", data=content,
                         client_key=key_).id

    threads, ids = [], []
    for _ in range(4):
        threads.append(threading.Thread(target=lambda: ids.append(save(key, data))))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 1
    other = {"result": "confirmed", "note": ""}
    changed = save(amendment_key("attempt-one-0001", record.id, "follow_up", other, None, None), other)
    later = save(amendment_key("attempt-two-0002", record.id, "follow_up", data, None, None), data)
    assert len({ids[0], changed, later}) == 3
    with Session(engine) as session:
        kept = session.exec(select(RecordAmendment).where(RecordAmendment.record_id == record.id)).all()
        assert len(kept) == 3
        assert verify_chain(session=session, org_id="trust-a").ok

"""How many SQL statements the records pages cost: a fixed number for any page size, no N+1, and
an export that reads in keyset batches. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlmodel import Session

from infoshare_widget.auth import SignedIn
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.records.export import iter_rows
from infoshare_widget.records.pages_view_model import record_screen, records_screen
from infoshare_widget.base.acting import Actor
from infoshare_widget.records.service import RecordFilter, amend, list_records, record_decision

LEAD_A = Actor("trust-a", "Lee Lead", "Designated safeguarding lead", access="lead")
LEAD_B = Actor("school-b", "Bo Lead", "Designated safeguarding lead", access="lead")


CHART = get_chart()
SAM = Actor("trust-a", "Sam Jones", "Health visitor", None, access="lead")
WHO = SignedIn(SAM, "Trust A", dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
REFER = {"immediate_danger": "no", "significant_harm": "yes"}


@contextmanager
def counted(engine) -> Iterator[list[str]]:
    """The statements the engine runs inside the block (their first words)."""
    seen: list[str] = []

    def log(_conn, _cursor, statement, *_args):
        seen.append(statement.split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", log)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", log)


def make_records(engine, n: int, *, awaiting: bool) -> list[str]:
    start = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    ids = []
    with Session(engine) as session:
        for i in range(n):
            record = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER,
                                     now=start + dt.timedelta(minutes=i))
            if awaiting:
                amend(session=session, actor=SAM, record_id=record.id, kind="details",
                      data={"follow_up_action": f"visit {i}"}, case_reference=f"CR-{i}", check_by=dt.date(2027, 1, 1))
            ids.append(record.id)
    return ids


def screen_statements(engine) -> tuple[int, int]:
    """(statements, rows shown) for opening the records list."""
    with Session(engine) as session, counted(engine) as seen:
        screen = records_screen(session=session, who=WHO, chart=CHART, filters=RecordFilter(), page=1, per_page=20)
    return len([s for s in seen if s == "SELECT"]), len(screen.rows) + len(screen.checks)


def test_the_records_list_costs_the_same_for_one_record_or_a_full_page(engine):
    make_records(engine, 1, awaiting=True)
    few, shown_few = screen_statements(engine)
    make_records(engine, 24, awaiting=True)
    many, shown_many = screen_statements(engine)
    assert (shown_few, shown_many) == (2, 20 + 25)
    # A page and its amendments (2), then 'To check' and its amendments (2): never one per record.
    assert few == many == 4


def test_one_record_is_three_reads_and_its_log_entry(engine):
    record_id = make_records(engine, 1, awaiting=True)[0]
    with Session(engine) as session, counted(engine) as seen:
        screen = record_screen(session=session, who=WHO, chart=CHART, record_id=record_id)
    # The record, its amendments, who has read it; and the access log entry for this read.
    assert screen.reference and seen.count("SELECT") == 3 and seen.count("INSERT") == 1


def test_the_export_reads_every_record_once_in_keyset_batches(engine):
    made = make_records(engine, 11, awaiting=False)
    with counted(engine) as seen:
        rows = list(iter_rows(sessions=lambda: Session(engine), actor=LEAD_A, filters=RecordFilter(), batch=4))
    assert [row["id"] for row in rows] == list(reversed(made))
    # Three batches (4, 4, 3), each the records and their amendments; no OFFSET anywhere.
    assert seen.count("SELECT") == 6
    with Session(engine) as session:
        newest = list_records(session=session, actor=LEAD_A, per_page=11).items
    assert [v.record.id for v in newest] == [row["id"] for row in rows]


def test_the_export_stops_at_its_limit(engine):
    make_records(engine, 5, awaiting=False)
    rows = list(iter_rows(sessions=lambda: Session(engine), actor=LEAD_A, filters=RecordFilter(), limit=3,
                          batch=2))
    assert len(rows) == 3

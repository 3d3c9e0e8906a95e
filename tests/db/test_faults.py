"""Faults in the database: a PostgreSQL of its own, really stopped in the middle of use (an
immediate shutdown, as a crash), then started again. A record attempt while it is down fails with
nothing half-saved; the retry with the browser's key saves exactly once; every acknowledged record
is still there and the chain verifies. And two attempts with one key at the same time make one record.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.base.db import make_engine, upgrade
from infoshare_widget.records.models import DecisionRecord
from infoshare_widget.base.acting import Actor, RecordError, ensure_organisation
from infoshare_widget.records.service import record_decision, verify_chain
from tests.support.databases import PrivatePostgres

CHART = get_chart()
SAM = Actor("trust-a", "Sam Jones", "Health visitor", None, "https://intranet.example", "u-7")
REFER = {"immediate_danger": "no", "significant_harm": "yes"}
DANGER = {"immediate_danger": "yes"}


@pytest.fixture
def private_postgres():
    server = PrivatePostgres()
    server.start()
    yield server
    server.remove()


def _count(engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(DecisionRecord)).one()


def test_a_record_while_postgres_is_down_is_not_saved_and_the_retry_saves_once(private_postgres):
    engine = make_engine(private_postgres.url)
    upgrade(engine)
    with Session(engine) as session:
        ensure_organisation(session=session, org_id="trust-a", name="Trust A")
        acknowledged = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER,
                                       client_key="first-attempt-key").id

    private_postgres.crash()
    with Session(engine) as session, pytest.raises(DBAPIError):
        record_decision(session=session, actor=SAM, chart=CHART, answers=DANGER, client_key="second-attempt-key")

    private_postgres.start()
    with Session(engine) as session:
        saved = record_decision(session=session, actor=SAM, chart=CHART, answers=DANGER,
                                client_key="second-attempt-key")
    # The answer to the retry was lost too, say: the next retry gives back the same record.
    with Session(engine) as session:
        again = record_decision(session=session, actor=SAM, chart=CHART, answers=DANGER,
                                client_key="second-attempt-key")
        assert again.id == saved.id
        assert session.get(DecisionRecord, acknowledged) is not None  # acknowledged before the crash
        assert verify_chain(session=session, org_id="trust-a").ok
    assert _count(engine) == 2
    engine.dispose()


def test_a_retry_gets_its_record_back_readable_once_the_session_is_closed(engine):
    """As the widget uses the service: one session per event, closed before the page is answered.
    The retry's record (found by its key) must still read after that, not 'not bound to a Session'."""
    with Session(engine) as session:
        first = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER, client_key="closed-key-1")
    with Session(engine) as session:
        again = record_decision(session=session, actor=SAM, chart=CHART, answers=REFER, client_key="closed-key-1")
    assert (again.id, again.reference) == (first.id, first.reference)
    assert _count(engine) == 1


def test_one_key_at_the_same_moment_makes_one_record(engine):
    results: list[str] = []
    errors: list[Exception] = []

    def attempt():
        try:
            with Session(engine) as session:
                results.append(record_decision(session=session, actor=SAM, chart=CHART, answers=REFER,
                                               client_key="same-key-twice").id)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(results)) == 1 and _count(engine) == 1
    with Session(engine) as session:
        assert verify_chain(session=session, org_id="trust-a").ok
        # The same key with other answers is refused, never mistaken for the first decision.
        with pytest.raises(RecordError):
            record_decision(session=session, actor=SAM, chart=CHART, answers=DANGER, client_key="same-key-twice")
        # And another person's key is theirs alone.
        with pytest.raises(RecordError):
            record_decision(session=session, actor=Actor("trust-a", "Alex", "Nurse", None, "https://intranet.example", "u-8"),
                            chart=CHART, answers=REFER,
                            client_key="same-key-twice")

"""Decision records in a running widget's database: written straight in, counted, the chain checked."""

from __future__ import annotations

from pathlib import Path

from harness.accounts import TEST_ORG, TEST_USER


def add_records(folder: Path, n: int) -> list[str]:
    """Record n refer-now decisions for the test organisation straight into the widget's database
    (one a minute from 1 January 2026); their ids."""
    import datetime as dt

    from sqlmodel import Session

    from infoshare_widget.flowchart.chart import get_chart
    from infoshare_widget.base.db import make_engine
    from sqlmodel import select

    from infoshare_widget.auth.models import AppUser
    from infoshare_widget.base.acting import Actor
    from infoshare_widget.records.service import record_decision

    engine = make_engine(f"sqlite:///{folder / 'e2e.db'}")
    try:
        with Session(engine) as session:
            # Made by the test practitioner, so they see them at the recorder level too.
            user = session.exec(select(AppUser).where(AppUser.org_id == TEST_ORG,
                                                      AppUser.username == TEST_USER)).first()
            actor = Actor(TEST_ORG, user.name, user.role, user.id)
            return [record_decision(session=session, actor=actor, chart=get_chart(),
                                    answers={"immediate_danger": "no", "significant_harm": "yes"},
                                    now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=i)).id
                    for i in range(n)]
    finally:
        engine.dispose()


def records_and_chain(db_url: str, org_id: str) -> tuple[int, bool]:
    """How many decision records the database at db_url holds, and whether org_id's chain verifies."""
    from sqlalchemy import func
    from sqlmodel import Session, select

    from infoshare_widget.base.db import make_engine
    from infoshare_widget.records.models import DecisionRecord
    from infoshare_widget.records.service import verify_chain

    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            return (session.exec(select(func.count()).select_from(DecisionRecord)).one(),
                    verify_chain(session=session, org_id=org_id).ok)
    finally:
        engine.dispose()

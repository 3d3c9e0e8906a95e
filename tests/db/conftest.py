"""Databases for the service tests: a fresh SQLite file, and a fresh PostgreSQL database
(tests/support/databases.py).

PostgreSQL is reached over a real connection (INFOSHARE_TEST_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/test). Where it cannot be reached the PostgreSQL tests
are skipped with a notice, unless INFOSHARE_REQUIRE_POSTGRES=1 (set by .ci/run), where they fail.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from infoshare_widget.base.db import make_engine, upgrade
from infoshare_widget.base.acting import ensure_organisation
from tests.support.databases import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """A migrated, empty database of each kind, with two organisations."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'records.db'}", (lambda: None)
    else:
        url, drop = postgres_database()
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        ensure_organisation(session=session, org_id="trust-a", name="Trust A")
        ensure_organisation(session=session, org_id="school-b", name="School B")
    yield engine
    engine.dispose()
    drop()


@pytest.fixture
def session(engine):
    with Session(engine) as session:
        yield session

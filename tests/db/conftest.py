"""Databases for the service tests: a fresh SQLite file, and a fresh PostgreSQL database.

PostgreSQL is reached over a real connection (INFOSHARE_TEST_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/test). Where it cannot be reached the PostgreSQL tests
are skipped with a notice, unless INFOSHARE_REQUIRE_POSTGRES=1 (set by .ci/run), where they fail.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import Session

from infoshare_widget.base.db import make_engine, upgrade
from infoshare_widget.base.acting import ensure_organisation
from tests.support import require

POSTGRES_URL = os.environ.get("INFOSHARE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_database():
    """Create a throw-away database on the server; return its URL and a drop function."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"infoshare_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the server
        admin.dispose()
        require("POSTGRES", f"PostgreSQL not reachable at {POSTGRES_URL.split('@')[-1]}: {type(exc).__name__}")
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def another_database(engine, tmp_path, name: str):
    """A second, empty database of the same kind as `engine` (for migration tests): its URL and a
    drop function."""
    if engine.dialect.name == "sqlite":
        return f"sqlite:///{tmp_path / f'{name}.db'}", (lambda: None)
    return _postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    """A migrated, empty database of each kind, with two organisations."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'records.db'}", (lambda: None)
    else:
        url, drop = _postgres_database()
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

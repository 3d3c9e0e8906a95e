"""The database: the engine, migrations, and `in_database`, the one place a database that does not
answer is named. No Reflex: services, states, the API and tests all use it.

SQLite runs in WAL mode with a busy timeout, and every transaction starts with BEGIN IMMEDIATE, so
concurrent writers wait for each other instead of failing on a stale snapshot. PostgreSQL locks the
organisation's chain head row (SELECT ... FOR UPDATE) for the same effect.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable
from typing import TypeVar
from pathlib import Path

import alembic.runtime.environment
import alembic.script
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlmodel import Session, create_engine

from infoshare_widget.base.acting import RecordError

log = logging.getLogger(__name__)
T = TypeVar("T")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_URL = "sqlite:///infoshare.db"


def database_url() -> str:
    """REFLEX_DB_URL, or the SQLite file the app uses by default (as rxconfig.py)."""
    return os.environ.get("REFLEX_DB_URL", "").strip() or DEFAULT_DB_URL


SQL_LOG_ENV = "INFOSHARE_SQL_LOG"


def log_statements(engine: Engine, path: str) -> None:
    """Append one line per SQL statement the engine runs to `path`: its first word only (SELECT,
    UPDATE...), never its text or values. For tests and benchmarks that count statements per event
    (INFOSHARE_SQL_LOG)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _log(_conn, _cursor, statement, _parameters, _context, _executemany):
        with open(path, "a", encoding="ascii") as log:
            log.write((statement.split(None, 1) or ["?"])[0].upper() + "\n")


def make_engine(url: str, *, for_events: bool = True) -> Engine:
    """An engine for `url`, with SQLite set up for safe concurrent writes. The SQL log counts the
    statements of events: an engine for work in the background (the outbox worker) passes
    for_events=False and is not logged."""
    engine = _make_engine(url)
    if for_events and os.environ.get(SQL_LOG_ENV):
        log_statements(engine, os.environ[SQL_LOG_ENV])
    return engine


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            # Let SQLAlchemy, not the driver, begin transactions (see _sqlite_begin).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@functools.cache
def get_engine() -> Engine:
    """The engine for this process's database."""
    return make_engine(database_url())


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the alembic migrations in alembic/versions to the engine's database."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    script = alembic.script.ScriptDirectory.from_config(config)

    def run(rev, _context):
        return script._upgrade_revs(revision, rev)

    with engine.connect() as connection:
        with alembic.runtime.environment.EnvironmentContext(config, script, fn=run) as env:
            env.configure(connection=connection)
            with env.begin_transaction():
                env.run_migrations()
        connection.commit()


class Unavailable(RecordError):
    """The records database did not answer (down, restarting, or every connection busy): nothing
    was written, since each write is one transaction."""


# What a person is told whenever the database did not answer them, whatever they were doing (one
# wording everywhere; components/database_trouble.py puts it on the page).
NOT_ANSWERED = ("The records database did not answer, so nothing was saved or done. What you entered is "
                "still here: try again in a moment")


async def in_database(work: Callable[[Session], T]) -> T:
    """Do the work in one database session, off the event loop. A database that does not answer
    raises Unavailable, the one place its failures are named."""
    def run() -> T:
        with Session(get_engine()) as session:
            return work(session)

    try:
        return await asyncio.to_thread(run)
    except (DBAPIError, SQLAlchemyTimeoutError):
        log.warning("the records database did not answer")
        raise Unavailable(NOT_ANSWERED) from None

"""The migrations build exactly the tables the models describe, on each database."""

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import Session, SQLModel

import infoshare_widget.records.models  # noqa: F401 - the tables
from infoshare_widget.auth import resolve
from infoshare_widget.auth.rules import secret_hash
from infoshare_widget.records.db import make_engine, upgrade
from tests.db.conftest import another_database


def test_migrations_match_the_models(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_sessions_open_before_0004_keep_working_after_it(engine, tmp_path):
    url, drop = another_database(engine, tmp_path, "before-0004")
    old = make_engine(url)
    try:
        upgrade(old, "0003")
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with old.connect() as connection:
            connection.execute(text("INSERT INTO organisation (id, name, created_at) VALUES ('t', 'Trust T', :now)"),
                               {"now": now})
            connection.execute(text("INSERT INTO app_user (id, org_id, username, name, role, password_hash, "
                                    "created_at) VALUES (1, 't', 'sam', 'Sam Jones', 'Nurse', 'x', :now)"),
                               {"now": now})
            connection.execute(text("INSERT INTO user_session (token_hash, user_id, created_at, expires_at) "
                                    "VALUES (:hash, 1, :now, :later)"),
                               {"hash": secret_hash("opened-before-0004"), "now": now,
                                "later": now + dt.timedelta(hours=8)})
            connection.commit()
        upgrade(old)
        with Session(old) as session:
            who = resolve(session=session, secret="opened-before-0004", now=now + dt.timedelta(minutes=5))
            assert (who.actor.name, who.actor.user_id, who.organisation_name) == ("Sam Jones", 1, "Trust T")
            # Idle for the idle time since that use, it ends.
            assert resolve(session=session, secret="opened-before-0004", now=now + dt.timedelta(minutes=35)) is None
    finally:
        old.dispose()
        drop()

"""The migrations build exactly the tables the models describe, on each database."""

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import Session, SQLModel

import infoshare_widget.schema  # noqa: F401 - every table
from infoshare_widget.auth import resolve
from infoshare_widget.auth.rules import secret_hash
from infoshare_widget.base.db import make_engine, upgrade
from tests.support.databases import another_database


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


def test_case_references_logged_before_0008_become_fingerprints_that_still_find_them(engine, tmp_path):
    """Migration 0008 rewrites case references already in the (append-only) access log as keyed
    fingerprints, then makes the log append-only again; searching the log by the reference still
    finds those entries."""
    from sqlmodel import select

    from infoshare_widget.base.access_log import LogFilter, read_log
    from infoshare_widget.base.models import AccessLog
    from infoshare_widget.base.acting import Actor

    url, drop = another_database(engine, tmp_path, "before-0008")
    old = make_engine(url)
    targets = ["case=CASE 42/A page=1", "from=2026-01-01 case=CASE 42/A awaiting=yes csv (API)",
               "case=OTHER-1 subject access request", "kind=refer_now page=2", "IS-ABCD-EFGH"]
    try:
        upgrade(old, "0007")
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        with old.connect() as connection:
            connection.execute(text("INSERT INTO organisation (id, name, created_at) VALUES ('t', 'Trust T', :now)"),
                               {"now": now})
            for target in targets:
                connection.execute(text(
                    "INSERT INTO access_log (at, org_id, who, account, level, action, target, client, outcome) "
                    "VALUES (:now, 't', 'Lee', 'lee', 'lead', 'list', :target, '', 'ok')"), {"now": now, "target": target})
            connection.commit()
        upgrade(old)
        with Session(old) as session:
            kept = [row.target for row in session.exec(select(AccessLog).order_by(AccessLog.id))]
            assert "CASE 42/A" not in " ".join(kept) and "OTHER-1" not in " ".join(kept)
            assert kept[3:] == targets[3:]
            assert kept[1].startswith("from=2026-01-01 case=#") and kept[1].endswith(" awaiting=yes csv (API)")
            lead = Actor("t", "Lee", "DSL", access="lead", account="lee")
            found = read_log(session=session, actor=lead, filters=LogFilter(case="CASE 42/A"))
            assert sorted(row.target for row in found) == sorted(kept[:2])
            for statement in ("UPDATE access_log SET who = 'x'", "DELETE FROM access_log"):
                try:
                    session.connection().exec_driver_sql(statement)
                except Exception as exc:  # noqa: BLE001 - the database's own refusal
                    assert "append-only" in str(exc)
                else:
                    raise AssertionError(f"the access log took: {statement}")
                session.rollback()
    finally:
        old.dispose()
        drop()

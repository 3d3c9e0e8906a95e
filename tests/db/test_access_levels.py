"""The permission table, on SQLite and PostgreSQL: every level by every action, allowed or refused,
through the real service functions (the ones pages, events and the API call); plus the access log
that every read and refusal leaves."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from infoshare_widget.base.access import ACTIONS, LEVELS, Refused, allowed
from infoshare_widget.auth.accounts import redeem_reset, sign_in
from infoshare_widget.base.access_log import LogFilter, read_log
from infoshare_widget.admin.service import (
    create_account,
    create_key,
    hand_over_code,
    list_accounts,
    reset_password,
    set_level,
    waiting_for_a_code,
)
from infoshare_widget.auth.api_keys import key_actor
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.records.export import begin, iter_rows
from infoshare_widget.base.models import AccessLog
from infoshare_widget.auth.models import AppUser
from infoshare_widget.base.acting import Actor
from infoshare_widget.records.service import (
    NotFound,
    RecordFilter,
    amend,
    get_record,
    list_records,
    record_decision,
    to_check,
    verify_for,
)

from infoshare_widget.insight.service import look, scope_for  # noqa: E402
from infoshare_widget.base.settings import InsightSettings  # noqa: E402
import datetime as dt  # noqa: E402

CHART = get_chart()
REFER = {"immediate_danger": "no", "significant_harm": "yes"}

# The table docs/security.md promises ("Access levels"): what each level may do.
EXPECTED = {
    "recorder": {"record", "list", "open", "amend", "follow_up", "export"},
    "lead": {"record", "list", "open", "amend", "follow_up", "export", "subject_access", "verify",
             "read_access_log", "insight", "hand_over", "manage_keys"},
    "admin": {"manage_accounts"},
    "auditor": {"list", "open", "export", "subject_access", "verify", "read_access_log", "insight"},
}


def test_the_table_in_the_code_is_the_promised_one():
    for level in LEVELS:
        assert {a for a in ACTIONS if allowed(level, a)} == EXPECTED[level]
    assert not any(allowed("nobody", a) for a in ACTIONS)


# Each row of the table in docs/security.md, and the actions in the code it stands for.
PAGE_ROWS = {
    "record a decision": {"record"},
    "list, open, print, copy": {"list", "open"},
    "add details, correct, follow up": {"amend", "follow_up"},
    "export CSV or JSON": {"export"},
    "subject access export (one case)": {"subject_access"},
    "check the chain (verify)": {"verify"},
    "manage accounts and retention; list and revoke API keys": {"manage_accounts"},
    "make records API keys; make the one-time code of an account that reads records": {"manage_keys", "hand_over"},
    "read the access log": {"read_access_log"},
    "the insight page (counts only)": {"insight"},
}


def test_the_table_on_the_security_page_is_the_promised_one():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text(encoding="utf-8")
    table = page[page.index("| action | recorder | lead | admin | auditor |"):].split("\n\n")[0].splitlines()
    levels = [cell.strip() for cell in table[0].strip("|").split("|")][1:]
    shown = {level: set() for level in levels}
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table[2:]]
    assert [row[0] for row in rows] == list(PAGE_ROWS), "the page's rows changed: update PAGE_ROWS"
    for action, *cells in rows:
        for level, cell in zip(levels, cells):
            if cell != "no":  # "yes", "all" and "own only" all allow it (own only is scoped by the service)
                shown[level] |= PAGE_ROWS[action]
    assert shown == EXPECTED


def _people(session: Session) -> dict[str, Actor]:
    """One account per level in trust-a (ids matter: a recorder's own records are by account)."""
    people = {}
    for n, level in enumerate(LEVELS, start=1):
        user = AppUser(org_id="trust-a", username=level, name=f"{level.title()} Person", role="Tester",
                       password_hash="x", access=level)
        session.add(user)
        session.commit()
        session.refresh(user)
        people[level] = Actor("trust-a", user.name, user.role, user.id, access=level, account=level,
                              client="192.0.2.1")
    return people


def _act(session: Session, engine, actor: Actor, action: str, record_id: str) -> str:
    """Try the action through the service; what happened: ok, refused or not found."""
    try:
        if action == "record":
            record_decision(session=session, actor=actor, chart=CHART, answers=REFER)
        elif action == "list":
            list_records(session=session, actor=actor)
        elif action == "open":
            get_record(session=session, actor=actor, record_id=record_id)
        elif action == "amend":
            amend(session=session, actor=actor, record_id=record_id, kind="details", data={"purpose": "x"})
        elif action == "follow_up":
            amend(session=session, actor=actor, record_id=record_id, kind="follow_up",
                  data={"result": "confirmed", "note": ""})
        elif action == "export":
            session.commit()  # the export reads in sessions of its own (SQLite: one writer at a time)
            begin(sessions=lambda: Session(engine), actor=actor, filters=RecordFilter(), what="csv")
        elif action == "subject_access":
            session.commit()
            begin(sessions=lambda: Session(engine), actor=actor, filters=RecordFilter(case_reference="C-1"),
                  what="subject access request")
        elif action == "verify":
            verify_for(session=session, actor=actor)
        elif action == "manage_accounts":
            list_accounts(session=session, actor=actor)
        elif action == "read_access_log":
            read_log(session=session, actor=actor)
        elif action == "hand_over":
            waiting_for_a_code(session=session, actor=actor)
        elif action == "manage_keys":
            create_key(session=session, actor=actor, name="Case system")
        elif action == "insight":
            scope = scope_for(session=session, actor=actor, settings=InsightSettings(), partnership=False)
            look(session=session, actor=actor, scope=scope, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                 today=dt.date(2026, 12, 7), organisation=None, walks=False)
    except Refused:
        return "refused"
    except NotFound:
        return "not found"
    return "ok"


@pytest.mark.parametrize("level", LEVELS)
def test_every_level_by_every_action(engine, level):
    with Session(engine) as session:
        people = _people(session)
        own = record_decision(session=session, actor=people["recorder"], chart=CHART, answers=REFER).id
        colleagues = record_decision(session=session, actor=people["lead"], chart=CHART, answers=REFER).id
    actor = people[level]
    for action in ACTIONS:
        with Session(engine) as session:
            before = len(session.exec(select(AccessLog).where(AccessLog.account == level)).all())
            on_own = _act(session, engine, actor, action, own)
        with Session(engine) as session:
            on_colleagues = _act(session, engine, actor, action, colleagues)
        if action not in EXPECTED[level]:
            assert (action, on_own, on_colleagues) == (action, "refused", "refused")
        elif level == "recorder" and action in ("open", "amend", "follow_up"):
            # Their own record, yes; a colleague's is not found, exactly as if it did not exist.
            assert (action, on_own, on_colleagues) == (action, "ok", "not found")
        else:
            assert (action, on_own, on_colleagues) == (action, "ok", "ok")
        with Session(engine) as session:
            logged = session.exec(select(AccessLog).where(AccessLog.account == level)).all()[before:]
        if action in ("list", "open", "export", "subject_access", "verify", "read_access_log", "insight") or \
                action not in EXPECTED[level]:
            assert logged, f"{action}: every read and every refusal leaves an entry in the access log"
            assert all(entry.level == level and entry.client == "192.0.2.1" for entry in logged)
        if action not in EXPECTED[level]:
            assert {entry.outcome for entry in logged} == {"refused"}


def test_a_recorder_lists_and_exports_only_their_own_and_a_lead_everything(engine):
    with Session(engine) as session:
        people = _people(session)
        mine = [record_decision(session=session, actor=people["recorder"], chart=CHART, answers=REFER).id
                for _ in range(2)]
        theirs = record_decision(session=session, actor=people["lead"], chart=CHART, answers=REFER).id
        for record_id in (*mine, theirs):
            amend(session=session, actor=people["lead"], record_id=record_id, kind="details",
                  data={"follow_up_action": "visit"}, check_by=__import__("datetime").date(2030, 1, 1))
        seen = {v.record.id for v in list_records(session=session, actor=people["recorder"]).items}
        checks = {v.record.id for v in to_check(session=session, actor=people["recorder"])}
        assert seen == checks == set(mine)
        everything = {v.record.id for v in list_records(session=session, actor=people["lead"]).items}
        assert everything == {*mine, theirs}
        assert {v.record.id for v in to_check(session=session, actor=people["lead"])} == everything
    rows = list(iter_rows(sessions=lambda: Session(engine), actor=people["recorder"], filters=RecordFilter()))
    assert {row["id"] for row in rows} == set(mine)


def test_the_access_log_holds_no_content_and_cannot_be_changed(engine):
    with Session(engine) as session:
        people = _people(session)
        record = record_decision(session=session, actor=people["recorder"], chart=CHART, answers=REFER)
        amend(session=session, actor=people["recorder"], record_id=record.id, kind="details",
              data={"description": "SECRET-CONTENT about the child"}, case_reference="CASE-CANARY")
        get_record(session=session, actor=people["lead"], record_id=record.id)
        list_records(session=session, actor=people["lead"], filters=RecordFilter(case_reference="CASE-CANARY"))
        entries = session.exec(select(AccessLog)).all()
        assert [e.action for e in entries] == ["open", "list"]
        assert entries[0].target == record.reference
        # The filters used are logged, a case reference as its keyed fingerprint: the log outlives
        # the records the retention purge removes, and must not say the reference then.
        assert re.fullmatch(r"case=#[0-9a-f]{16} page=1", entries[1].target)
        text = " ".join(str(v) for e in entries for v in e.model_dump().values())
        assert "SECRET-CONTENT" not in text and "CASE-CANARY" not in text
        # "Who searched for this case?" stays answerable: the same reference finds the entry.
        found = read_log(session=session, actor=people["lead"], filters=LogFilter(case="CASE-CANARY"))
        assert [e.id for e in found] == [entries[1].id]
        assert read_log(session=session, actor=people["lead"], filters=LogFilter(case="CASE-OTHER")) == []
        for statement in ("UPDATE access_log SET who = 'someone else'", "DELETE FROM access_log"):
            with pytest.raises(Exception, match="append-only"):
                session.connection().exec_driver_sql(statement)
            session.rollback()
        assert len(session.exec(select(AccessLog)).all()) == 4  # the two, and the two reads of the log


def test_an_admin_sees_no_content_anywhere(engine):
    with Session(engine) as session:
        people = _people(session)
        record = record_decision(session=session, actor=people["recorder"], chart=CHART, answers=REFER)
        admin = people["admin"]
        for attempt in (
            lambda: list_records(session=session, actor=admin),
            lambda: get_record(session=session, actor=admin, record_id=record.id),
            lambda: to_check(session=session, actor=admin),
            lambda: begin(sessions=lambda: Session(engine), actor=admin, filters=RecordFilter(), what="json"),
            lambda: read_log(session=session, actor=admin),
        ):
            with pytest.raises(Refused):
                attempt()
        # What an admin does see: accounts and keys, never a record.
        assert [a.username for a in list_accounts(session=session, actor=admin)] == sorted(LEVELS)


NEW_PASSWORD = "a password only its holder knows"


def _account_id(session: Session, username: str) -> int:
    return session.exec(select(AppUser.id).where(AppUser.username == username)).one()


def _admin_tries_to_sign_in_as(session: Session, username: str, code: str | None) -> bool:
    """With whatever the admin was shown, can they set the account's password and sign in?"""
    if code is None:
        return False
    assert redeem_reset(session=session, org_id="trust-a", username=username, code=code, password=NEW_PASSWORD,
                        client="192.0.2.1") == ""
    return sign_in(session=session, org_id="trust-a", username=username, password=NEW_PASSWORD,
                   client="192.0.2.1").secret is not None


def test_an_admin_never_holds_a_credential_that_reads_records(engine):
    """Every route the December review found: a records API key, a new auditor account, a reset of a
    recorder's password, and an admin account moved to a level that reads. None gives the admin a
    credential; a lead hands each account's code to its person."""
    with Session(engine) as session:
        people = _people(session)
        admin, lead = people["admin"], people["lead"]
        # A key reads records: only a lead makes one.
        with pytest.raises(Refused):
            create_key(session=session, actor=admin, name="Case system")
        assert key_actor(session=session, key="isk_guess", client="") is None
        # A new auditor account: the admin is shown no code, and cannot set its password.
        assert create_account(session=session, actor=admin, username="audra", name="Audra", role="Auditor",
                              access="auditor") is None
        assert not _admin_tries_to_sign_in_as(session, "audra", None)
        # A recorder's password reset: no code for the admin either (it would open their records).
        assert reset_password(session=session, actor=admin, user_id=people["recorder"].user_id) is None
        # An admin account made by the admin (its code shown to them) and moved to auditor starts
        # again: the password the admin set no longer works.
        code = create_account(session=session, actor=admin, username="eve", name="Eve", role="Admin", access="admin")
        assert _admin_tries_to_sign_in_as(session, "eve", code)
        set_level(session=session, actor=admin, user_id=_account_id(session, "eve"), access="auditor")
        assert sign_in(session=session, org_id="trust-a", username="eve", password=NEW_PASSWORD,
                       client="192.0.2.1").secret is None
        # The lead sees who waits for a code, and makes each one for the person.
        waiting = [row.username for row in waiting_for_a_code(session=session, actor=lead)]
        assert waiting == ["audra", "eve", "recorder"]
        with pytest.raises(Refused):
            waiting_for_a_code(session=session, actor=admin)
        with pytest.raises(Refused):
            hand_over_code(session=session, actor=admin, user_id=_account_id(session, "audra"))
        code = hand_over_code(session=session, actor=lead, user_id=_account_id(session, "audra"))
        assert redeem_reset(session=session, org_id="trust-a", username="audra", code=code, password=NEW_PASSWORD,
                            client="192.0.2.9") == ""
        assert [row.username for row in waiting_for_a_code(session=session, actor=lead)] == ["eve", "recorder"]
        # A key the lead makes reads like an auditor, logged under its name.
        key = create_key(session=session, actor=lead, name="Case system")
        assert key_actor(session=session, key=key, client="").access == "auditor"
        changes = [e.target for e in session.exec(select(AccessLog).where(AccessLog.action == "admin")).all()]
        assert "created account audra as auditor, its code from a lead" in changes
        assert "made a one-time code for audra" in changes

"""The records API over real databases: keys, scoping to the organisation, filters, CSV, verify."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text
from sqlmodel import Session
from starlette.testclient import TestClient

from infoshare_widget.api.app import build_api
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.glossary.search import get_search_index
from infoshare_widget.base.acting import Actor, case_fingerprint
from infoshare_widget.records.service import amend, record_decision
from infoshare_widget.base.settings import SettingsError, parse_api_keys

KEY_A = "a" * 32
KEY_B = "b" * 32
KEY_NEW = "n" * 32
CHART = get_chart()


@pytest.fixture
def api(engine):
    app = build_api(get_chart(), get_glossary(), get_search_index(), engine=lambda: engine,
                    api_keys=lambda: {KEY_A: "trust-a", KEY_B: "school-b", KEY_NEW: "not-set-up"})
    client = TestClient(app, raise_server_exceptions=False)
    with Session(engine) as session:
        actor = Actor("trust-a", "Sam Jones", "Health visitor", access="lead")
        first = record_decision(session=session, actor=actor, chart=CHART,
                                answers={"immediate_danger": "no", "significant_harm": "yes"}).id
        amend(session=session, actor=actor, record_id=first, kind="details",
              data={"purpose": "=cmd|' /C calc'!A0"}, case_reference="=HYPERLINK(1)")
        record_decision(session=session, actor=actor, chart=CHART, answers={"immediate_danger": "yes"})
    return client, first


def auth(key):
    return {"Authorization": f"Bearer {key}"}


def test_keys_are_required_and_checked(api):
    client, _ = api
    assert client.get("/api/v1/records").status_code == 401
    assert client.get("/api/v1/records", headers=auth("x" * 32)).status_code == 401
    assert client.get("/api/v1/records", headers={"X-API-Key": KEY_A}).status_code == 200


def test_a_key_from_the_environment_is_logged_under_the_variable_that_holds_it(api, engine):
    from sqlmodel import select

    from infoshare_widget.base.models import AccessLog

    client, first = api
    assert client.get(f"/api/v1/records/{first}", headers=auth(KEY_A)).status_code == 200
    with Session(engine) as session:
        accounts = {e.account for e in session.exec(select(AccessLog)) if e.action == "open"}
    assert "API key: INFOSHARE_API_KEYS" in accounts


def test_list_filters_and_pages(api):
    client, first = api
    body = client.get("/api/v1/records", headers=auth(KEY_A)).json()
    assert [i["outcome_kind"] for i in body["items"]] == ["emergency", "refer_now"]
    body = client.get("/api/v1/records?kind=refer_now", headers=auth(KEY_A)).json()
    assert [i["id"] for i in body["items"]] == [first]
    body = client.get("/api/v1/records?per_page=1", headers=auth(KEY_A)).json()
    assert len(body["items"]) == 1 and body["has_next"]


def test_another_organisation_sees_nothing_of_it(api):
    client, first = api
    assert client.get(f"/api/v1/records/{first}", headers=auth(KEY_A)).status_code == 200
    assert client.get(f"/api/v1/records/{first}", headers=auth(KEY_B)).status_code == 404
    assert client.get("/api/v1/records", headers=auth(KEY_B)).json()["items"] == []


def test_csv_export_neutralises_formulas(api):
    client, _ = api
    response = client.get("/api/v1/records.csv", headers=auth(KEY_A))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2
    assert rows[1]["case_reference"] == "'=HYPERLINK(1)"


def test_verify_reports_tampering(api, engine):
    client, first = api
    assert client.get("/api/v1/records/verify", headers=auth(KEY_A)).json()["ok"] is True
    with engine.begin() as connection:
        connection.execute(text("UPDATE decision_record SET recorded_by = 'Someone else' WHERE seq = 1"))
    report = client.get("/api/v1/records/verify", headers=auth(KEY_A)).json()
    assert report["ok"] is False and report["broken_seq"] == 1 and report["broken_id"] == first


@pytest.mark.parametrize(
    "query",
    ["kind=maybe", "from=26/11/2026", "page=0", "page=x", "per_page=101", "awaiting=perhaps", "case_reference=" + "x" * 41,
     "to=9999-12-31", "from=0001-01-01", "page=%C2%B2", "per_page=%C2%B2", "page=99999999999999999999"],
)
def test_bad_filters_get_a_clear_422(api, query):
    client, _ = api
    response = client.get(f"/api/v1/records?{query}", headers=auth(KEY_A))
    assert response.status_code == 422
    assert response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("value", "message"),
    [("trust-a", "must look like org-id=key"), ("trust-a=short", "shorter than"),
     (f"a={KEY_A};b={KEY_A}", "also used by")],
)
def test_api_key_settings_are_checked(value, message):
    with pytest.raises(SettingsError, match=message):
        parse_api_keys(value)
    assert parse_api_keys(f" trust-a={KEY_A} ; ") == {KEY_A: "trust-a"}


def test_verify_for_an_organisation_with_no_records_yet(api):
    client, _ = api
    response = client.get("/api/v1/records/verify", headers=auth(KEY_NEW))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "checked": 0}


def _session_for(engine, access: str) -> str:
    """A live session at a level, as a signed-in browser tab would hold its secret."""
    import datetime as dt

    from infoshare_widget.auth.sessions import open_session
    from infoshare_widget.auth.models import AppUser

    with Session(engine) as session:
        user = AppUser(org_id="trust-a", username=access, name=f"{access} person", role="Tester", password_hash="x",
                       access=access)
        session.add(user)
        session.commit()
        now = dt.datetime.now(dt.UTC)
        return open_session(session=session, org_id="trust-a", user_id=user.id, now=now,
                            expires_at=now + dt.timedelta(hours=1), access=access)


def test_a_subject_access_export_is_one_case_for_a_lead_and_logged(api, engine):
    from sqlmodel import select

    from infoshare_widget.base.models import AccessLog

    client, first = api
    lead = _session_for(engine, "lead")
    # The other filters are ignored: every record of the case.
    got = client.post("/api/v1/session/records/export",
                      data={"format": "sar-json", "case_reference": "=HYPERLINK(1)", "kind": "emergency",
                            "session": lead})
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/json")
    assert "subject-access-" in got.headers["content-disposition"]
    assert [r["id"] for r in got.json()["records"]] == [first]
    page = client.post("/api/v1/session/records/export",
                       data={"format": "sar-html", "case_reference": "=HYPERLINK(1)", "session": lead})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Decision records for case =HYPERLINK(1)" in page.text and "<script" not in page.text
    assert "=cmd|&#x27; /C calc&#x27;!A0" in page.text  # every value escaped
    # No case reference: refused, with a clear message; a recorder may not make one.
    assert client.post("/api/v1/session/records/export",
                       data={"format": "sar-json", "session": lead}).status_code == 422
    recorder = _session_for(engine, "recorder")
    refused = client.post("/api/v1/session/records/export",
                          data={"format": "sar-json", "case_reference": "=HYPERLINK(1)", "session": recorder})
    assert refused.status_code == 403 and "access level" in refused.json()["error"]["message"]
    with Session(engine) as session:
        logged = [(e.account, e.action, e.target, e.outcome) for e in session.exec(select(AccessLog))]
    with Session(engine) as session:
        case = f"case={case_fingerprint(session, '=HYPERLINK(1)')} subject access request"
    assert logged == [
        ("lead", "subject access request", case, "ok"),
        ("lead", "subject access request", case, "ok"),
        ("recorder", "subject_access", case, "refused"),
    ]


def test_a_key_made_by_a_lead_reads_like_an_auditor_and_is_logged_by_name(api, engine):
    from sqlmodel import select

    from infoshare_widget.admin.service import create_key
    from infoshare_widget.base.models import AccessLog

    client, first = api
    with Session(engine) as session:
        key = create_key(session=session, actor=Actor("trust-a", "Lee", "DSL", access="lead"), name="Case system")
    assert client.get(f"/api/v1/records/{first}", headers=auth(key)).status_code == 200
    assert client.get("/api/v1/records/verify", headers=auth(key)).json()["ok"]
    with Session(engine) as session:
        reads = [(e.who, e.level, e.action) for e in session.exec(select(AccessLog).where(AccessLog.who == "Case system"))]
    assert reads == [("Case system", "auditor", "open"), ("Case system", "auditor", "verify")]


def test_exit_ends_the_session_it_is_sent_and_says_nothing_of_it(api, engine):
    """POST /api/v1/session/end (Exit this page's beacon): the session ends; a wrong, empty or oversized
    body is answered the same, and ends nothing else."""
    from infoshare_widget.auth import resolve

    client, _ = api
    kept, ended = _session_for(engine, "lead"), _session_for(engine, "recorder")
    for body in ("", "not-a-secret", "x" * 5000):
        assert client.post("/api/v1/session/end", content=body).status_code == 204
    assert client.post("/api/v1/session/end", content=ended,
                       headers={"Content-Type": "text/plain;charset=UTF-8"}).status_code == 204
    with Session(engine) as session:
        assert resolve(session=session, secret=ended) is None
        assert resolve(session=session, secret=kept) is not None

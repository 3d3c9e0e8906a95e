"""The insight figures over real databases (SQLite and PostgreSQL): every figure against records made
here, suppression (by subtraction too, across organisations), who may look, the access log, and the
API's answers to bad input."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlmodel import Session
from starlette.testclient import TestClient

from infoshare_widget.base.access import Refused
from infoshare_widget.api.app import build_api
from infoshare_widget.flowchart.chart import OUTCOME_KINDS, get_chart
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.glossary.search import get_search_index
from infoshare_widget.insight.report import SUPPRESSED_TEXT
from infoshare_widget.insight.service import Scope, scope_for
from infoshare_widget.records.insight_store import rebuild
from infoshare_widget.insight.suppress import THRESHOLD
from infoshare_widget.insight.tables_view_model import tables
from infoshare_widget.insight.figures_view_model import report_for
from infoshare_widget.base.models import AccessLog
from infoshare_widget.auth.models import AppUser
from infoshare_widget.records.models import DecisionRecord, InsightFact, InsightUnsure
from infoshare_widget.insight.models import WalkCount
from infoshare_widget.records.retention import remove
from infoshare_widget.base.acting import Actor
from infoshare_widget.records.service import amend, record_decision
from infoshare_widget.base.settings import InsightViewer, load_partnership

CHART = get_chart()
PARTNERSHIP = load_partnership("partnership.example.yaml").model_copy(update={"insight": load_partnership(
    "partnership.example.yaml").insight.model_copy(update={"partnership_viewers": ()})})
START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 22)  # three weeks, Monday to Sunday
TODAY = dt.date(2026, 11, 30)
W1, W2, W3 = (dt.datetime(2026, 11, d, 10, 0, tzinfo=dt.UTC) for d in (2, 9, 16))

NO = {"immediate_danger": "no", "significant_harm": "no", "asked_for_information": "no"}
PATHS = {
    "emergency": {"immediate_danger": "yes"},
    "emergency_unsure": {"immediate_danger": "unsure"},
    "refer_now": {"immediate_danger": "no", "significant_harm": "yes"},
    "advice_purpose": {**NO, "legitimate_purpose": "unsure"},
    "advice_consent": {**NO, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "yes",
                       "consent": "unsure"},
    "with_consent": {**NO, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "yes",
                     "consent": "yes"},
    "without_consent": {**NO, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "yes",
                        "consent": "no", "public_interest": "yes", "other_basis": "yes"},
    "do_not_share": {**NO, "legitimate_purpose": "no"},
}
LEAD_A = Actor("trust-a", "Lee Lead", "Safeguarding lead", 1, access="lead", account="lee", client="192.0.2.9")


def _lead(session: Session, org: str = "trust-a", username: str = "lee", level: str = "lead") -> Actor:
    user = AppUser(org_id=org, username=username, name=f"{username.title()} Person", role="Lead",
                   password_hash="x", access=level)
    session.add(user)
    session.commit()
    session.refresh(user)
    return Actor(org, user.name, user.role, user.id, access=level, account=username, client="192.0.2.9")


def _record(session, actor, path: str, when: dt.datetime, details: dict | None = None,
            check_by: dt.date | None = None, result: tuple[str, int] | None = None) -> str:
    record = record_decision(session=session, actor=actor, chart=CHART, answers=PATHS[path], now=when)
    if details or check_by:
        amend(session=session, actor=actor, record_id=record.id, kind="details", data=details or {},
              case_reference="CASE/SECRET-1", check_by=check_by, now=when + dt.timedelta(hours=1))
    if result:
        amend(session=session, actor=actor, record_id=record.id, kind="follow_up",
              data={"result": result[0], "note": "Spoke to Jo Bloggs"}, now=when + dt.timedelta(days=result[1]))
    return record.id


def _trust_a(session: Session, actor: Actor) -> None:
    """The records every figure below is checked against (trust-a, three weeks)."""
    csc, police = "childrens-social-care", "police"
    not_sought = {"consent": "not_sought", "consent_why": "risk_of_harm", "consent_reason": "Would tip off Mr Smith",
                  "lawful_basis": "public_task"}
    # Week 1: 6 referrals to children's social care, due 20 Nov: 5 confirmed after 3, 4, 5, 6 and 10 days;
    # the sixth confirmed after 25 days (27 Nov), after the period ends (22 Nov): open as at its end.
    for days in (3, 4, 5, 6, 10, 25):
        _record(session, actor, "refer_now", W1, {**not_sought, "recipient_agency": csc},
                dt.date(2026, 11, 20), ("confirmed", days) if days else None)
    for _ in range(5):
        _record(session, actor, "with_consent", W1, {"consent": "given", "lawful_basis": "public_task"})
    for after in ("shared", "shared", "shared", "waiting", "waiting"):
        _record(session, actor, "advice_purpose", W1, {"after_advice": after})
    _record(session, actor, "emergency", W1, {"consent": "not_sought", "consent_why": "danger",
                                              "lawful_basis": "vital_interests"})
    _record(session, actor, "emergency_unsure", W1)
    # Week 2: 6 referrals to the police, due 18 Nov: 1 not done, 5 still open; 7 shared without consent
    # with another organisation (free text), due 22 Nov (the period's last day: due by its end), open;
    # 2 not shared.
    for n in range(6):
        _record(session, actor, "refer_now", W2, {**not_sought, "recipient_agency": police},
                dt.date(2026, 11, 18), ("not_done", 8) if n == 0 else None)
    for _ in range(7):
        _record(session, actor, "without_consent", W2, {"consent": "refused_overridden", "lawful_basis": "public_task",
                                                        "recipient_agency": "other",
                                                        "recipient_org": "Hidden Harbour Refuge"},
                dt.date(2026, 11, 22))
    for _ in range(2):
        _record(session, actor, "do_not_share", W2)
    # Week 3: 5 referrals due after the period (not counted as due as at its end); 6 unsure about consent.
    for n in range(5):
        _record(session, actor, "refer_now", W3, {"recipient_agency": csc}, TODAY if n == 0 else dt.date(2026, 12, 15))
    for n in range(6):
        _record(session, actor, "advice_consent", W3, {"after_advice": "referred"} if n < 5 else None)


EXPECTED_WEEKS = {
    "2026-11-02": {"refer_now": 6, "share_with_consent": 5, "seek_advice": 5, "emergency": 2},
    "2026-11-09": {"refer_now": 6, "share_without_consent": 7, "do_not_share": 2},
    "2026-11-16": {"refer_now": 5, "seek_advice": 6},
}


def _org_report(session, actor=LEAD_A, start=START, end=END, today=TODAY):
    scope = scope_for(session=session, actor=actor, settings=PARTNERSHIP.insight, partnership=False)
    return report_for(session=session, actor=actor, scope=scope, start=start, end=end, today=today,
                      organisation=None, chart=CHART, partnership=PARTNERSHIP)


def _shown(cell: dict, true: int) -> None:
    """A cell is either its true count (5 or more) or suppressed; a count below 5 is always suppressed."""
    if true < THRESHOLD:
        assert (cell["count"], cell["suppressed"]) == (None, True)
    elif not cell["suppressed"]:
        assert cell["count"] == true


@pytest.fixture
def trust_a(engine):
    with Session(engine) as session:
        actor = _lead(session)
        _trust_a(session, actor)
    return engine, actor


def test_a_past_period_s_follow_ups_read_the_same_on_any_later_day(trust_a):
    """Follow-ups stand as at the period's last day: a result recorded since (the sixth referral's,
    on 27 November, and a police referral's in January), a check-by date passing since, or a look a
    month later change nothing, so two looks on different days cannot single out one decision's
    result. (A result recorded before the period ended and changed after it is the one case that
    still moves a past period's figures: insight_fact keeps a record's latest result only.)"""
    engine, actor = trust_a
    with Session(engine) as session:
        first = _org_report(session, actor, today=dt.date(2026, 11, 23))["follow_up"]
        later = _org_report(session, actor, today=dt.date(2027, 1, 31))["follow_up"]
        # A police referral open at the period's end gets its result in January.
        record = session.execute(select(DecisionRecord).where(DecisionRecord.outcome_kind == "refer_now",
                                                              DecisionRecord.created_at == W2)).scalars().all()[-1]
        amend(session=session, actor=actor, record_id=record.id, kind="follow_up",
              data={"result": "confirmed", "note": ""}, now=dt.datetime(2027, 1, 2, tzinfo=dt.UTC))
        after_a_result = _org_report(session, actor, today=dt.date(2027, 1, 31))["follow_up"]
    assert first == later == after_a_result


def test_every_figure_matches_the_records(trust_a):
    engine, actor = trust_a
    with Session(engine) as session:
        report = _org_report(session, actor)
    kinds = Counter()
    for week, counts in EXPECTED_WEEKS.items():
        kinds.update(counts)
        row = next(w for w in report["weeks"] if w["week"] == week)
        for kind in OUTCOME_KINDS:
            _shown(row["kinds"][kind], counts.get(kind, 0))
        _shown(row["total"], sum(counts.values()))
    assert report["decisions"] == {"count": 44, "suppressed": False}
    by_kind = {o["kind"]: o for o in report["outcomes"]}
    for kind in OUTCOME_KINDS:
        _shown(by_kind[kind], kinds[kind])
    assert by_kind["refer_now"]["count"] == 17 and by_kind["refer_now"]["share"] == round(100 * 17 / 44)
    assert by_kind["seek_advice"]["count"] == 11
    # Not sure: 5 at 'legitimate purpose' (3 then shared, 2 waiting), 6 at consent (5 then referred).
    unsure = {u["question"]: u for u in report["unsure"]}
    # 11 advice decisions = 5 + 6 + zeros at the other questions: one of the two is hidden with them.
    _shown(unsure["legitimate_purpose"], 5)
    _shown(unsure["consent"], 6)
    assert unsure["legitimate_purpose"]["suppressed"] != unsure["consent"]["suppressed"]
    assert unsure["immediate_danger"] == {**unsure["immediate_danger"], "count": None, "suppressed": True}
    led = {a["after"]: a for a in unsure["consent"]["led_to"]}
    _shown(led["referred"], 5)
    assert led["not_recorded"]["suppressed"]
    assert all(a["suppressed"] for a in unsure["legitimate_purpose"]["led_to"])  # 3 and 2: both below 5
    # Follow-up as at the period's last day: 19 due (6 + 6 + 7); 5 confirmed, 1 not done, 13 still open
    # and so overdue (one of them confirmed since).
    fu = report["follow_up"]
    assert fu["due"]["count"] == 19 and fu["open"]["count"] == 13 and fu["overdue_now"]["count"] == 13
    # The 1 not done is hidden; so is the 5 confirmed, since 19 - 5 - 13 would give the 1 away.
    assert fu["not_done"]["suppressed"] and fu["confirmed"]["suppressed"]
    assert fu["median_days_to_confirm"] is None and fu["confirmed_share"] is None  # shown with its count only
    agencies = {a["agency"]: a for a in fu["by_agency"]}
    expected = {"childrens-social-care": {"due": 6, "confirmed": 5, "not_done": 0, "open": 1, "overdue_now": 1},
                "police": {"due": 6, "confirmed": 0, "not_done": 1, "open": 5, "overdue_now": 5},
                "other": {"due": 7, "confirmed": 0, "not_done": 0, "open": 7, "overdue_now": 7}}
    for agency, figures in expected.items():
        for name, true in figures.items():
            _shown(agencies[agency][name], true)
    assert agencies["childrens-social-care"]["due"]["count"] == 6 and agencies["other"]["due"]["count"] == 7
    assert agencies["police"]["median_days_to_confirm"] is None  # nothing confirmed: no median
    # Agencies with nothing due are not listed (a column of zeros a total would give away).
    assert set(agencies) == {"childrens-social-care", "police", "other"}
    # The median is shown only beside a count that is shown: 3, 4, 5, 6 and 10 days give 5.
    csc = agencies["childrens-social-care"]
    assert csc["median_days_to_confirm"] == (None if csc["confirmed"]["suppressed"] else 5)
    # Consent: 5 given, 7 refused and overridden, none refused and respected (12 sought); 12 not sought
    # for risk of harm, 1 for danger. 12 - 5 - 7 would show the 0: so the 5 or the 7 is hidden too.
    consent = {c["state"]: c for c in report["consent"]}
    _shown(consent["given"], 5)
    _shown(consent["refused_overridden"], 7)
    assert consent["refused_respected"]["suppressed"]
    assert consent["given"]["suppressed"] or consent["refused_overridden"]["suppressed"]
    assert consent["sought"]["count"] == 12 and consent["not_sought:risk_of_harm"]["count"] == 12
    assert consent["not_sought:danger"]["suppressed"]
    basis = {b["basis"]: b for b in report["lawful_basis"]}
    assert basis["public_task"]["count"] == 24 and basis["vital_interests"]["suppressed"]


def test_nothing_that_names_a_child_a_practitioner_or_a_case_reaches_the_figures(trust_a):
    engine, actor = trust_a
    with Session(engine) as session:
        report = _org_report(session, actor)
        references = [r for (r,) in session.execute(select(__import__(
            "infoshare_widget.records.models", fromlist=["DecisionRecord"]).DecisionRecord.reference))]
        facts = session.execute(select(InsightFact)).scalars().all()
    text = json.dumps(report) + "".join(t.csv() for t in tables(report).values())
    for secret in ("CASE/SECRET-1", "Mr Smith", "Jo Bloggs", "Hidden Harbour", "Lee", "lee", *references):
        assert secret not in text
    # The facts themselves hold codes and dates only.
    stored = json.dumps([f.model_dump(mode="json") for f in facts])
    for secret in ("CASE/SECRET-1", "Mr Smith", "Jo Bloggs", "Hidden Harbour", "Lee Person", *references):
        assert secret not in stored


def test_a_single_small_count_is_not_left_to_be_worked_out_by_subtraction(engine):
    # One week, every kind at 5 or more but one: the small one is hidden, and so is one more.
    with Session(engine) as session:
        actor = _lead(session)
        plan = {"refer_now": 6, "with_consent": 5, "without_consent": 7, "do_not_share": 8, "advice_purpose": 9,
                "emergency": 2}
        for path, n in plan.items():
            for _ in range(n):
                _record(session, actor, path, W1)
        report = _org_report(session, actor, START, dt.date(2026, 11, 8))
    by_kind = {o["kind"]: o for o in report["outcomes"]}
    assert report["decisions"]["count"] == 37
    assert by_kind["emergency"]["suppressed"] and by_kind["share"]["suppressed"]  # 2, and 0
    # Two hidden in the relation already (2 and 0): 37 minus the rest leaves 2 between them, not one value.
    hidden = [k for k, o in by_kind.items() if o["suppressed"]]
    assert len(hidden) >= 2
    shown_sum = sum(o["count"] for o in by_kind.values() if not o["suppressed"])
    assert report["decisions"]["count"] - shown_sum == 2  # shared between two or more hidden cells


def test_across_organisations_the_partnership_total_does_not_give_away_a_small_count(engine):
    with Session(engine) as session:
        a, b = _lead(session), _lead(session, "school-b", "bea")
        for _ in range(7):
            _record(session, a, "emergency", W1)
        for _ in range(2):
            _record(session, b, "emergency", W1)
        for _ in range(6):
            _record(session, b, "refer_now", W1)
        for _ in range(5):
            _record(session, a, "refer_now", W1)
        settings = PARTNERSHIP.insight.model_copy(update={"partnership_viewers": (
            InsightViewer(organisation="trust-a", username="lee"),)})
        partnership = PARTNERSHIP.model_copy(update={"insight": settings})
        scope = scope_for(session=session, actor=a, settings=settings, partnership=True)

        def view(org):
            return report_for(session=session, actor=a, scope=scope, start=START, end=END, today=TODAY,
                              organisation=org, chart=CHART, partnership=partnership)

        views = {org: view(org) for org in (None, "trust-a", "school-b")}
    emergency = {org: next(o for o in r["outcomes"] if o["kind"] == "emergency") for org, r in views.items()}
    assert emergency["school-b"]["suppressed"]
    # The viewer is trust-a's: they can count trust-a's 7 themselves, so the partnership's 9 would give
    # school-b's 2 away. It is hidden, whatever trust-a's own figure shows.
    assert emergency[None]["suppressed"]
    orgs = {o["id"]: o["decisions"] for o in views[None]["organisations"]}
    assert orgs["trust-a"]["count"] == 12
    _shown(orgs["school-b"], 8)


def test_who_may_look(engine):
    with Session(engine) as session:
        people = {level: _lead(session, username=level, level=level) for level in ("recorder", "lead", "admin", "auditor")}
        for level in ("recorder", "admin"):
            with pytest.raises(Refused):
                scope_for(session=session, actor=people[level], settings=PARTNERSHIP.insight, partnership=False)
        for level in ("lead", "auditor"):
            assert scope_for(session=session, actor=people[level], settings=PARTNERSHIP.insight,
                             partnership=False) == Scope(False, "trust-a")
            with pytest.raises(Refused, match="partnership file names"):
                scope_for(session=session, actor=people[level], settings=PARTNERSHIP.insight, partnership=True)
        named = PARTNERSHIP.insight.model_copy(update={"partnership_viewers": (
            InsightViewer(organisation="trust-a", username="auditor"),)})
        assert scope_for(session=session, actor=people["auditor"], settings=named, partnership=True).partnership
        # The same username in another organisation is not the named account.
        other = _lead(session, "school-b", "auditor", "auditor")
        with pytest.raises(Refused):
            scope_for(session=session, actor=other, settings=named, partnership=True)
        _org_report(session, people["lead"])
        log = session.execute(select(AccessLog).where(AccessLog.action == "insight")).scalars().all()
    outcomes = Counter((e.account, e.outcome) for e in log)
    assert outcomes[("recorder", "refused")] == 1 and outcomes[("admin", "refused")] == 1
    assert outcomes[("lead", "ok")] == 1
    assert any(e.target.startswith("from=2026-11-02 to=2026-11-22 org=trust-a") for e in log)


def test_facts_follow_amendments_removal_and_a_rebuild(trust_a):
    engine, actor = trust_a
    with Session(engine) as session:
        before = {f.record_id: f.model_dump() for f in session.execute(select(InsightFact)).scalars()}
        unsure_before = {(u.record_id, u.question, u.after_advice) for u in session.execute(select(InsightUnsure)).scalars()}
        assert rebuild(session) == 44
        after = {f.record_id: f.model_dump() for f in session.execute(select(InsightFact)).scalars()}
        unsure_after = {(u.record_id, u.question, u.after_advice) for u in session.execute(select(InsightUnsure)).scalars()}
        assert after == before and unsure_after == unsure_before
        # A later correction changes the fact; removal under the retention policy takes it away.
        record_id = next(iter(before))
        amend(session=session, actor=actor, record_id=record_id, kind="details", data={"lawful_basis": "legal_obligation"})
        assert session.get(InsightFact, record_id).lawful_basis == "legal_obligation"
        remove(session=session, org_id="trust-a", record_id=record_id)
        session.expire_all()
        assert session.get(InsightFact, record_id) is None
        report = _org_report(session, actor)
    assert report["decisions"]["count"] == 43


# -- the API ----------------------------------------------------------------------------------------

KEY_A = "k" * 32
PARTNERSHIP_KEY = "p" * 40


@pytest.fixture
def api(trust_a, monkeypatch):
    engine, _ = trust_a
    monkeypatch.setenv("INFOSHARE_INSIGHT_API_KEY", PARTNERSHIP_KEY)
    app = build_api(CHART, get_glossary(), get_search_index(), engine=lambda: engine,
                    api_keys=lambda: {KEY_A: "trust-a", "n" * 32: "not-set-up"}, partnership=PARTNERSHIP,
                    clock=lambda: dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC))
    return TestClient(app, raise_server_exceptions=False), engine


def _get(client, query, key=KEY_A):
    return client.get(f"/api/v1/insight?{query}", headers={"Authorization": f"Bearer {key}"})


def test_the_api_gives_the_same_figures_suppressed_the_same_way(api):
    client, engine = api
    body = _get(client, "from=2026-11-02&to=2026-11-22").json()
    with Session(engine) as session:
        assert body == _org_report(session)
    assert {o["kind"] for o in body["outcomes"]} == set(OUTCOME_KINDS)
    assert all(set(o) >= {"kind", "count", "suppressed"} for o in body["outcomes"])
    assert all(o["count"] is None for o in body["outcomes"] if o["suppressed"])
    assert {"question", "count", "suppressed"} <= set(body["unsure"][0])
    assert body["follow_up"]["due"]["count"] == 19
    # The partnership key sees every organisation (and may narrow to one).
    whole = _get(client, "from=2026-11-02&to=2026-11-22", PARTNERSHIP_KEY).json()
    assert whole["scope"] == "partnership" and {o["id"] for o in whole["organisations"]} == {"trust-a", "school-b"}
    one = _get(client, "from=2026-11-02&to=2026-11-22&organisation=trust-a", PARTNERSHIP_KEY).json()
    assert one["organisation"]["id"] == "trust-a"
    with Session(engine) as session:
        logged = session.execute(select(AccessLog).where(AccessLog.action == "insight")).scalars().all()
    assert {e.org_id for e in logged} == {"trust-a", "partnership"}


@pytest.mark.parametrize("query, status", [
    ("", 422),
    ("from=2026-11-02", 422),
    ("from=2026-11-02&to=yesterday", 422),
    ("from=2026-13-01&to=2026-12-31", 422),
    ("from=20261102&to=2026-11-22", 422),
    ("from=2026-W45-1&to=2026-11-22", 422),
    ("from=2026-11-22&to=2026-11-02", 422),
    ("from=2024-01-01&to=2026-01-02", 422),  # over two years
    ("from=1066-10-14&to=1066-10-15", 422),
    ("from=2025-01-01&to=2027-01-01", 422),  # 731 days, over two years
    ("from=2026-11-30&to=2026-11-30", 422),  # a week still under way (the clock says 30 November)
    ("from=2026-11-02&to=2026-11-22&organisation=school-b", 404),  # not this key's organisation
    ("from=2026-11-02&to=2026-11-22&organisation=" + "x" * 65, 422),
])
def test_the_api_refuses_bad_input_clearly(api, query, status):
    client, _ = api
    response = _get(client, query)
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]


def test_the_api_needs_a_key(api):
    client, _ = api
    assert client.get("/api/v1/insight?from=2026-11-02&to=2026-11-22").status_code == 401
    assert _get(client, "from=2026-11-02&to=2026-11-22", "z" * 32).status_code == 401
    assert _get(client, "from=2024-01-01&to=2025-12-31", KEY_A).status_code == 200  # exactly two years
    # A key for an organisation that is not set up finds nothing to show: a clear 404, not a 500.
    missing = _get(client, "from=2026-11-02&to=2026-11-22", "n" * 32)
    assert missing.status_code == 404 and "none is set up" in missing.json()["error"]["message"]


def test_suppressed_counts_read_as_fewer_than_5_in_the_tables(trust_a):
    engine, actor = trust_a
    with Session(engine) as session:
        found = tables(_org_report(session, actor))
    outcomes = {row["outcome"]: row for row in found["outcomes"].rows}
    assert outcomes["Emergency"]["decisions"] == SUPPRESSED_TEXT and outcomes["Refer now"]["decisions"] == "17"
    assert found["outcomes"].csv().splitlines()[0] == "Outcome,Decisions,Share"


def test_the_migration_builds_facts_for_records_made_before_it(engine, tmp_path):
    from sqlalchemy import text

    from infoshare_widget.base.db import make_engine, upgrade
    from infoshare_widget.base.acting import ensure_organisation
    from tests.support.databases import another_database

    url, drop = another_database(engine, tmp_path, "before-0007")
    old = make_engine(url)
    try:
        # Records made at this version (which derives facts as it goes); then the database as 0006 left
        # it, with no facts, migrated again: the migration derives the same facts from the records.
        upgrade(old)
        with Session(old) as session:
            ensure_organisation(session=session, org_id="trust-a", name="Trust A")
            _trust_a(session, _lead(session))
            before = {f.record_id: f.model_dump() for f in session.execute(select(InsightFact)).scalars()}
        with old.begin() as connection:  # as a 0006 database was: no facts, no walk counts (nor 0008's, 0009's parts)
            for table in ("insight_unsure", "insight_fact", "insight_week", "walk_count", "server_key", "delivery",
                          "alert", "digest_day"):
                connection.execute(text(f"DROP TABLE {table}"))
            connection.execute(text("DROP INDEX ix_access_log_client_at"))
            connection.execute(text("ALTER TABLE app_user DROP COLUMN code_from_lead"))
            connection.execute(text("ALTER TABLE app_user DROP COLUMN email"))
            connection.execute(text("ALTER TABLE app_user DROP COLUMN alerts_by_email"))
            connection.execute(text("DROP INDEX uq_record_amendment_org_id_client_key"))
            connection.execute(text("ALTER TABLE record_amendment DROP COLUMN client_key"))
            connection.execute(text("UPDATE alembic_version SET version_num = '0006'"))
        upgrade(old)
        with Session(old) as session:
            after = {f.record_id: f.model_dump() for f in session.execute(select(InsightFact)).scalars()}
        assert len(after) == 44 and after == before
    finally:
        old.dispose()
        drop()


@pytest.mark.parametrize("start, end", [
    (START, END),  # three whole weeks
    (dt.date(2026, 11, 4), dt.date(2026, 11, 18)),  # part weeks at both ends, one whole week
    (dt.date(2026, 11, 3), dt.date(2026, 11, 7)),  # inside one week
    (dt.date(2026, 10, 1), dt.date(2026, 11, 30)),
])
def test_the_weekly_counts_give_the_same_figures_as_the_facts(trust_a, start, end):
    """Whole weeks are read from insight_week, kept in step with every change; the figures must be
    what grouping the facts day by day gives, after amendments and a removal too."""
    from infoshare_widget.insight.service import _from_facts, gather
    from infoshare_widget.insight.service import Raw

    engine, actor = trust_a
    with Session(engine) as session:
        some = [f.record_id for f in session.execute(select(InsightFact).limit(3)).scalars()]
        amend(session=session, actor=actor, record_id=some[0], kind="details",
              data={"consent": "given", "lawful_basis": "legal_obligation", "after_advice": "emergency"})
        remove(session=session, org_id="trust-a", record_id=some[1])
        fast = gather(session=session, org_ids=["trust-a"], start=start, end=end, today=TODAY)
        slow = Raw(organisations=[])
        _from_facts(session, slow, ["trust-a"], start, end)

    def total(rows):
        found = Counter()
        for *key, n in rows:
            found[tuple(key)] += n
        return {k: v for k, v in found.items() if v}

    for name in ("outcomes", "consent", "basis", "unsure"):
        assert total(getattr(fast, name)) == total(getattr(slow, name)), name
    # And a rebuild writes the same weekly counts as were kept in step.
    from infoshare_widget.records.models import InsightWeek

    with Session(engine) as session:
        kept = {(w.org_id, w.week, w.facet, w.k1, w.k2): w.n for w in session.execute(select(InsightWeek)).scalars() if w.n}
        rebuild(session)
        again = {(w.org_id, w.week, w.facet, w.k1, w.k2): w.n for w in session.execute(select(InsightWeek)).scalars()}
    assert kept == again


def test_walks_that_ended_are_counted_by_day_and_shown_in_the_partnership_view(trust_a):
    from infoshare_widget.insight.walks import Walk, add_walks

    engine, actor = trust_a
    settings = PARTNERSHIP.insight.model_copy(update={"count_unrecorded_walks": True, "partnership_viewers": (
        InsightViewer(organisation="trust-a", username="lee"),)})
    partnership = PARTNERSHIP.model_copy(update={"insight": settings})
    with Session(engine) as session:
        add_walks(session=session, walks=[Walk("seek_advice", ("consent",))] * 6 + [Walk("refer_now", ())] * 9,
                  day=dt.date(2026, 11, 10))
        add_walks(session=session, walks=[Walk("seek_advice", ("consent",))] * 2, day=dt.date(2026, 11, 11))
        add_walks(session=session, walks=[Walk("emergency", ())] * 8, day=dt.date(2026, 12, 1))  # after the period
        scope = scope_for(session=session, actor=actor, settings=settings, partnership=True)
        whole = report_for(session=session, actor=actor, scope=scope, start=START, end=END, today=TODAY,
                           organisation=None, chart=CHART, partnership=partnership)
        own = _org_report(session, actor)
    walks = whole["walks"]
    assert walks["total"]["count"] == 17
    by_kind = {w["kind"]: w for w in walks["outcomes"]}
    _shown(by_kind["seek_advice"], 8)
    _shown(by_kind["refer_now"], 9)
    assert by_kind["emergency"]["suppressed"]
    consent = next(u for u in walks["unsure"] if u["question"] == "consent")
    _shown(consent, 8)
    # 8 advice walks = 8 Not sure at consent + zeros elsewhere: not both can be shown.
    assert by_kind["seek_advice"]["suppressed"] or consent["suppressed"]
    if not consent["suppressed"]:
        assert consent["share"] == round(100 * 8 / 17)
    assert own["walks"] is None  # walks carry no organisation: the partnership view only


def test_walks_from_one_address_are_limited_to_a_few_batches_a_minute(trust_a):
    from infoshare_widget.api import insight as insight_api

    engine, _ = trust_a
    counting = PARTNERSHIP.model_copy(update={"insight": PARTNERSHIP.insight.model_copy(
        update={"count_unrecorded_walks": True})})
    moment = [dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)]
    app = build_api(CHART, get_glossary(), get_search_index(), engine=lambda: engine, api_keys=lambda: {},
                    partnership=counting, clock=lambda: moment[0])
    client = TestClient(app, raise_server_exceptions=False)
    insight_api.walks_allowed.clear()
    body = {"walks": [{"kind": "refer_now", "unsure": []}]}
    statuses = [client.post("/api/v1/walks", json=body).status_code
                for _ in range(insight_api.WALK_BATCHES_PER_MINUTE + 5)]
    assert statuses.count(204) == insight_api.WALK_BATCHES_PER_MINUTE and statuses[-1] == 429
    assert "try again in a minute" in client.post("/api/v1/walks", json=body).json()["error"]["message"]
    moment[0] += dt.timedelta(minutes=1)
    assert client.post("/api/v1/walks", json=body).status_code == 204
    with Session(engine) as session:
        counted = session.execute(select(func.sum(WalkCount.count))).scalar_one()
    assert counted == insight_api.WALK_BATCHES_PER_MINUTE + 1

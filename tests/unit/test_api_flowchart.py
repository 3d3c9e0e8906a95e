"""The decision helper's JSON API, through Starlette's test client (no browser, no Reflex)."""

import datetime as dt

import pytest
from starlette.testclient import TestClient

from infoshare_widget.api.app import build_api
from infoshare_widget.base.clock import UK
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.glossary.search import get_search_index
from tests.support.scenarios import ALL_PATHS, ASKED, NOT_S47, OWN_WORRY, SCENARIOS, TO_CONSENT

CHART = get_chart()
EVALUATE = "/api/v1/flowchart/evaluate"


def test_get_flowchart_returns_the_whole_chart(client):
    response = client.get("/api/v1/flowchart")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == CHART.version
    assert body["start"] == "immediate_danger"
    assert [q["id"] for q in body["questions"]] == CHART.question_order()
    first = body["questions"][0]
    assert first["text"] == "Is anyone in immediate danger?"
    assert [a["label"] for a in first["answers"]] == ["Yes", "No", "Not sure"]
    assert {o["kind"] for o in body["outcomes"]} >= {"emergency", "refer_now", "seek_advice"}


@pytest.mark.parametrize(("scenario", "answers", "outcome", "kind"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_evaluate_walks_every_path(client, scenario, answers, outcome, kind):
    response = client.post(EVALUATE, json={"answers": answers})
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"]["id"] == outcome
    assert body["outcome"]["kind"] == kind
    assert body["outcome"]["title"] and body["outcome"]["decision"]
    assert [step["id"] for step in body["path"]] == list(answers)
    assert "next" not in body
    assert body["jurisdiction"] == "England" and body["law_as_at"] == CHART.law_as_at.isoformat()
    # Every question on the way is answered once; the step before each outcome leads to it.
    last = body["path"][-1]
    assert CHART.questions[last["id"]].answers[last["answer"]] == outcome


def test_the_scenarios_are_every_path():
    assert SCENARIOS is ALL_PATHS


def test_the_chart_says_where_and_when_it_applies(client):
    body = client.get("/api/v1/flowchart").json()
    assert body["jurisdiction"] == "England"
    assert body["law_as_at"] == "2026-12-07"
    assert body["law_as_at"] <= body["last_reviewed"]


def test_asked_by_childrens_social_care_during_s47_enquiries_is_a_legal_obligation(client):
    body = client.post(EVALUATE, json={"answers": {**ASKED, "asked_by_social_care": "yes"}}).json()
    outcome = body["outcome"]
    assert outcome["id"] == "share_on_request_s47" and outcome["kind"] == "share"
    assert "uk_gdpr_art6_1c" in outcome["legal"] and "ca1989_s47_9" in outcome["legal"]
    assert outcome["shares"] == "personal"
    assert [c["kind"] for c in outcome["contacts"]][:2] == ["front_door", "out_of_hours"]


def test_asked_by_the_police_names_part_3_and_the_crime_exemption(client):
    outcome = client.post(EVALUATE, json={"answers": {**NOT_S47, "asked_by_police": "yes"}}).json()["outcome"]
    assert outcome["id"] == "share_on_police_request"
    assert {"dpa2018_part3", "dpa2018_sch2_p2", "uk_gdpr_art9", "uk_gdpr_art10"} <= set(outcome["legal"])
    legal = client.get("/api/v1/flowchart").json()["legal"]
    assert legal["dpa2018_part3"]["status"].startswith("In force")
    assert "Part 3" in legal["dpa2018_part3"]["title"]


def test_consent_refused_below_the_threshold_is_respected(client):
    answers = {**OWN_WORRY, **TO_CONSENT, "consent": "no", "public_interest": "no"}
    outcome = client.post(EVALUATE, json={"answers": answers}).json()["outcome"]
    assert outcome["id"] == "respect_refusal" and outcome["kind"] == "do_not_share"
    assert outcome["shares"] == "none" and "about" not in outcome


def test_refer_now_shows_fgm_and_the_lado_with_whether_the_lado_is_open(client):
    answers = {"immediate_danger": "no", "significant_harm": "yes"}
    at = dt.datetime(2026, 12, 1, 10, 0, tzinfo=UK)
    outcome = _client_at(at).post(EVALUATE, json={"answers": answers}).json()["outcome"]
    duties = {d["id"]: d for d in outcome["duties"]}
    assert set(duties) >= {"fgm_reporting", "lado", "csa_reporting"}
    assert duties["fgm_reporting"]["status"] == "in force" and "101" in duties["fgm_reporting"]["tell"]
    assert duties["lado"]["status_label"] == "To be confirmed"
    assert duties["csa_reporting"]["status"] == "to be confirmed"
    assert duties["lado"]["checked"] == "2026-12-07"
    lado = duties["lado"]["contacts"]
    assert [c["key"] for c in lado] == ["lado"] and lado[0]["open_now"] is True
    assert lado[0]["label"] == "Local authority designated officer (LADO)"


def test_the_whole_chart_lists_the_duties_and_the_watch_list(client):
    body = client.get("/api/v1/flowchart").json()
    assert {"fgm_reporting", "lado", "csa_reporting"} <= set(body["duties"])
    watch = {w["id"]: w for w in body["watch"]}
    assert {"csa_reporting_duty", "cwsa2026_s4", "working_together_next", "kcsie_next"} <= set(watch)
    for item in watch.values():
        assert item["look_again"] > item["checked"] and item["change"] and item["source"] in body["sources"]
    assert {q["id"]: q["role"] for q in body["questions"]}["asked_by_social_care"] == "s47_request"


def test_past_the_end_of_the_bank_holiday_list_nobody_is_said_to_be_open(client):
    """open_now is null, never a guess, once the partnership's bank holidays run out."""
    after = dt.datetime(2028, 1, 4, 10, 0, tzinfo=UK)  # a Tuesday after the example's list ends
    contacts = _client_at(after).post(EVALUATE, json={"answers": {"immediate_danger": "yes"}}).json()["outcome"]["contacts"]
    assert contacts and all(c["open_now"] is None for c in contacts)
    last_day = dt.datetime(2027, 12, 31, 10, 0, tzinfo=UK)  # the list's last day (bank_holidays_until)
    contacts = _client_at(last_day).post(EVALUATE, json={"answers": {"immediate_danger": "yes"}}).json()["outcome"]["contacts"]
    assert {c["kind"]: c["open_now"] for c in contacts} == {"front_door": True, "out_of_hours": False}


def test_evaluate_returns_the_next_question(client):
    response = client.post(EVALUATE, json={"answers": {"immediate_danger": "no"}})
    assert response.status_code == 200
    body = response.json()
    assert body["next"]["id"] == "significant_harm"
    assert "significant harm" in body["next"]["text"]
    assert body["path"] == [
        {"id": "immediate_danger", "question": "Is anyone in immediate danger?", "answer": "no", "label": "No"}
    ]
    assert client.post(EVALUATE, json={"answers": {}}).json()["next"]["id"] == "immediate_danger"


def test_not_sure_about_danger_is_an_emergency_and_about_harm_a_consultation_now(client):
    body = client.post(EVALUATE, json={"answers": {"immediate_danger": "unsure"}}).json()
    assert body["outcome"]["kind"] == "emergency"
    assert "999" in body["outcome"]["title"] and "missing and at risk" in body["outcome"]["note"]
    assert "about" not in body["outcome"]
    body = client.post(EVALUATE, json={"answers": {"immediate_danger": "no", "significant_harm": "unsure"}}).json()
    assert body["outcome"]["id"] == "consult_front_door"
    assert body["outcome"]["about"] == "significant_harm"
    assert [c["kind"] for c in body["outcome"]["contacts"]][:2] == ["consultation", "out_of_hours"]


def test_not_sure_at_a_sharing_question_gives_advice_with_the_question_to_return_to(client):
    answers = {**OWN_WORRY, "legitimate_purpose": "unsure"}
    body = client.post(EVALUATE, json={"answers": answers}).json()
    assert body["outcome"]["kind"] == "seek_advice"
    assert body["outcome"]["about"] == "legitimate_purpose"
    assert body["outcome"]["about_note"]


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        ({"json": {"answers": {"nope": "yes"}}}, 422, "Some answers cannot be used."),
        ({"json": {"answers": {"consent": "maybe"}}}, 422, "Some answers cannot be used."),
        ({"json": {"answers": ["consent"]}}, 422, "Some answers cannot be used."),
        ({"json": {"answer": {}}}, 422, "Send an object like"),
        ({"json": {"answers": {}, "extra": 1}}, 422, "Unknown field(s): extra."),
        ({"json": [1, 2]}, 422, "Send an object like"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "not valid JSON"),
        ({"content": b"\xff\xfe", "headers": {"content-type": "application/json"}}, 400, "not UTF-8"),
        ({"content": b"[" * 100_00 + b"]" * 100_00, "headers": {"content-type": "application/json"}}, 413, "too large"),
        ({"content": b"[" * 5000 + b"]" * 5000, "headers": {"content-type": "application/json"}}, 400, "not valid JSON"),
        ({"content": b"answers=yes", "headers": {"content-type": "application/x-www-form-urlencoded"}}, 415, "JSON"),
        ({"content": b'{"answers": {}}'}, 415, "JSON"),
        ({"content": b"x" * 20_000, "headers": {"content-type": "application/json"}}, 413, "too large"),
    ],
)
def test_bad_requests_get_a_clear_4xx(client, kwargs, status, message):
    response = client.post(EVALUATE, **kwargs)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["status"] == status
    assert message in error["message"]


def test_wrong_method_and_unknown_path_are_json_errors(client):
    response = client.get(EVALUATE)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert client.post("/api/v1/flowchart").status_code == 405
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert "no API endpoint" in missing.json()["error"]["message"]


# The clock is injected: the same API, asked at four moments in UK time.
MOMENTS = {
    "weekday 10:00": (dt.datetime(2026, 12, 1, 10, 0, tzinfo=UK), {"front_door": True, "out_of_hours": False}),
    "weekday 20:00": (dt.datetime(2026, 12, 1, 20, 0, tzinfo=UK), {"front_door": False, "out_of_hours": True}),
    "Sunday": (dt.datetime(2026, 12, 6, 13, 0, tzinfo=UK), {"front_door": False, "out_of_hours": True}),
    "bank holiday": (dt.datetime(2026, 12, 28, 10, 0, tzinfo=UK), {"front_door": False, "out_of_hours": True}),
}
SERVICE_OUTCOMES = [s for s in SCENARIOS if s[3] in ("emergency", "refer_now", "seek_advice")]


def _client_at(moment):
    return TestClient(build_api(CHART, get_glossary(), get_search_index(), clock=lambda: moment))


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize(("scenario", "answers", "outcome", "kind"), SERVICE_OUTCOMES,
                         ids=[s[0] for s in SERVICE_OUTCOMES])
def test_outcomes_that_send_someone_to_a_service_say_who_is_open_now(moment, scenario, answers, outcome, kind):
    at, expected = MOMENTS[moment]
    body = _client_at(at).post(EVALUATE, json={"answers": answers}).json()
    contacts = body["outcome"]["contacts"]
    by_kind = {c["kind"]: c for c in contacts}
    # Always the out-of-hours team beside the front door (or its consultation line).
    assert "out_of_hours" in by_kind
    door = by_kind.get("front_door") or by_kind["consultation"]
    assert door["open_now"] is expected["front_door"]
    assert by_kind["out_of_hours"]["open_now"] is expected["out_of_hours"]
    assert by_kind["out_of_hours"]["phone"] and by_kind["out_of_hours"]["name"]
    for contact in contacts:
        assert "open_now" in contact  # None where the partnership gave no hours for it


def test_the_chart_names_its_owner_sources_and_next_review(client):
    body = client.get("/api/v1/flowchart").json()
    assert body["owner"] == "Example Safeguarding Children Partnership"
    assert body["next_review"] == CHART.next_review.isoformat()
    assert set(body["based_on"]) <= set(body["sources"])
    for item in [*body["questions"], *body["outcomes"], *body["legal"].values(), *body["rules"].values()]:
        assert item["review"]["source"] in body["sources"]
        assert item["review"]["next_review"] > item["review"]["reviewed"]
    for ref in body["legal"].values():
        assert ref["status"]


def test_outcomes_that_send_someone_to_a_service_offer_the_other_areas_with_who_is_open():
    """Each listed area's front door, out-of-hours team and LADO, open now or not (here a Saturday at
    11:00, when only Brookhaven's front door opens), and GOV.UK's council finder for any other area."""
    at = dt.datetime(2026, 12, 5, 11, 0, tzinfo=UK)
    outcome = _client_at(at).post(EVALUATE, json={"answers": {"immediate_danger": "no", "significant_harm": "yes"}}
                                  ).json()["outcome"]
    other = outcome["other_areas"]
    assert other["find_council"] == "https://www.gov.uk/find-local-council"
    assert [a["name"] for a in other["areas"]] == ["Northvale Borough Council", "Eastmarsh County Council",
                                                   "Brookhaven City Council"]
    open_now = {c["key"]: c["open_now"] for a in other["areas"] for c in a["contacts"]}
    assert open_now == {
        "area-northvale-front_door": False, "area-northvale-out_of_hours": True, "area-northvale-lado": False,
        "area-eastmarsh-front_door": False, "area-eastmarsh-out_of_hours": True, "area-eastmarsh-lado": False,
        "area-brookhaven-front_door": True, "area-brookhaven-out_of_hours": False, "area-brookhaven-lado": False,
    }
    brookhaven = other["areas"][2]["contacts"][0]
    assert brookhaven["label"] == "Children's social care front door" and brookhaven["phone"] == "01632 960 440"
    assert brookhaven["open"]["saturday"] == ["09:00-13:00"]


def test_only_outcomes_that_send_someone_to_a_service_offer_other_areas(client):
    outcomes = {o["id"]: o for o in client.get("/api/v1/flowchart").json()["outcomes"]}
    offered = {oid for oid, o in outcomes.items() if o["other_areas"] is not None}
    assert offered == {"emergency", "emergency_unsure", "refer_now", "consult_front_door", "share_on_request_s47",
                       "respect_refusal", "check_request", "seek_advice"}
    for oid in offered:  # without a moment, no open_now: only the hours
        assert all("open_now" not in c for a in outcomes[oid]["other_areas"]["areas"] for c in a["contacts"])

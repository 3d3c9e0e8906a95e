"""The decision helper's JSON API, through Starlette's test client (no browser, no Reflex)."""

import datetime as dt

import pytest
from starlette.testclient import TestClient

from infoshare_widget.api.app import build_api
from infoshare_widget.clock import UK
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.glossary.search import get_search_index
from tests.unit.test_engine import SCENARIOS

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
def test_evaluate_walks_every_scenario(client, scenario, answers, outcome, kind):
    response = client.post(EVALUATE, json={"answers": answers})
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"]["id"] == outcome
    assert body["outcome"]["kind"] == kind
    assert body["outcome"]["title"] and body["outcome"]["decision"]
    assert [step["id"] for step in body["path"]] == list(answers)
    assert "next" not in body


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
    answers = {"immediate_danger": "no", "significant_harm": "no", "legitimate_purpose": "unsure"}
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

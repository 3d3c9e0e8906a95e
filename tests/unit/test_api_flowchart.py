"""The decision helper's JSON API, through Starlette's test client (no browser, no Reflex)."""

import pytest

from infoshare_widget.flowchart.chart import get_chart
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


def test_not_sure_gives_seek_advice_with_the_question_to_return_to(client):
    body = client.post(EVALUATE, json={"answers": {"immediate_danger": "unsure"}}).json()
    assert body["outcome"]["kind"] == "seek_advice"
    assert body["outcome"]["about"] == "immediate_danger"
    assert "999" in body["outcome"]["about_note"]


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

"""The glossary's JSON API: ranked search, one entry, and bad queries that never cause a 500."""

import pytest

SEARCH = "/api/v1/glossary/search"


def test_search_returns_ranked_results_with_every_meaning(client):
    body = client.get(SEARCH, params={"q": "SAR"}).json()
    first = body["results"][0]
    assert first["slug"] == "sar" and first["term"] == "SAR"
    expansions = [m["expansion"].casefold() for m in first["meanings"]]
    assert any("subject access" in e for e in expansions)
    assert any("safeguarding adults review" in e for e in expansions)
    assert all(m["disciplines"] for m in first["meanings"])
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("q", "slug"),
    [("ECHP", "ehcp"), ("section forty-seven", "s47"), ("emergancy protection order", "epo"), ("WTSC", "working-together"),
     ("CWSA", "cwsa")],
)
def test_search_forgives_typos_and_number_words_over_the_api(client, q, slug):
    body = client.get(SEARCH, params={"q": q}).json()
    assert body["results"][0]["slug"] == slug


def test_an_entry_on_a_law_not_yet_in_force_carries_its_review_date_and_source(client):
    body = client.get("/api/v1/glossary/cwsa").json()
    assert body["reviewed"] == "2026-12-01"
    assert body["next_review"] == "2027-12-01"  # 12 months on, as the entry gives no date of its own
    assert "check" in body["meanings"][0]["meaning"]
    assert any("legislation.gov.uk/ukpga/2026/21" in s["url"] for s in body["sources"].values())


def test_search_with_discipline_and_limit(client):
    body = client.get(SEARCH, params={"q": "order", "discipline": "legal", "limit": "3"}).json()
    assert 0 < len(body["results"]) <= 3
    assert all("legal" in r["disciplines"] for r in body["results"])


def test_one_entry_by_slug(client):
    response = client.get("/api/v1/glossary/s47")
    assert response.status_code == 200
    body = response.json()
    assert body["term"] == "s47"
    assert body["sources"] and all(s["url"].startswith("https://") for s in body["sources"].values())
    missing = client.get("/api/v1/glossary/no-such-term")
    assert missing.status_code == 404
    assert "no glossary entry" in missing.json()["error"]["message"]


@pytest.mark.parametrize(
    ("query_string", "status", "message"),
    [
        ("q=" + "a" * 201, 422, "too long"),
        ("q=%00abc", 422, "control characters"),
        ("q=abc%0A", 422, "control characters"),
        ("q=%ff%fe", 400, "not valid UTF-8"),
        ("q=mash&discipline=plumbing", 422, "Unknown discipline"),
        ("q=mash&limit=0", 422, "limit"),
        ("q=mash&limit=51", 422, "limit"),
        ("q=mash&limit=ten", 422, "limit"),
    ],
)
def test_bad_queries_get_a_clear_4xx(client, query_string, status, message):
    response = client.get(f"{SEARCH}?{query_string}")
    assert response.status_code == status
    assert message in response.json()["error"]["message"]


@pytest.mark.parametrize("query_string", ["", "q=", "q=%20%20", "q=zzqqxxjj", "q=%F0%9F%98%80"])
def test_empty_or_unmatched_queries_get_an_empty_list(client, query_string):
    response = client.get(f"{SEARCH}?{query_string}")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_nothing_found_offers_did_you_mean(client):
    body = client.get(SEARCH, params={"q": "stratgey discusion"}).json()
    assert body["results"] == [] or body["results"][0]["term"] == "Strategy discussion"
    if not body["results"]:
        assert body["did_you_mean"][0]["term"] == "Strategy discussion"

"""Chart validation: the shipped chart is sound, and each kind of broken chart is refused by name."""

import copy

import pytest

from infoshare_widget.content_files import parse_yaml
from infoshare_widget.flowchart.chart import (
    ANSWERS,
    DEFAULT_CHART_PATH,
    OUTCOME_KINDS,
    ChartError,
    load_chart,
    parse_chart,
)

RAW = parse_yaml(DEFAULT_CHART_PATH.read_text(encoding="utf-8"), "flowchart.yaml")
REQUIRED_IDS = {
    "immediate_danger": {"yes": "emergency", "no": "significant_harm"},
    "significant_harm": {"yes": "refer_now", "no": "legitimate_purpose"},
    "legitimate_purpose": {"no": "do_not_share"},
    "identifiable": {"no": "share"},
    "confidential": {"no": "share"},
    "consent": {"yes": "share_with_consent"},
    "other_basis": {"yes": "share_without_consent", "no": "do_not_share"},
}


def test_shipped_chart_has_the_required_nodes_with_their_meanings():
    chart = load_chart()
    assert chart.start == "immediate_danger"
    for qid, exits in REQUIRED_IDS.items():
        question = chart.questions[qid]
        assert set(question.answers) == set(ANSWERS)
        if question.stage == "share":
            assert chart.outcomes[question.answers["unsure"]].kind == "seek_advice"
        for answer, kind in exits.items():
            target = question.answers[answer]
            if target in chart.outcomes:
                assert chart.outcomes[target].kind == kind, (qid, answer)
            else:
                assert target == kind, (qid, answer)
    assert {o.kind for o in chart.outcomes.values()} == set(OUTCOME_KINDS)


def test_shipped_chart_cites_current_law_not_the_1998_act():
    text = DEFAULT_CHART_PATH.read_text(encoding="utf-8")
    assert "Data Protection Act 1998" not in text
    assert "UK GDPR Article 6" in text and "Article 9" in text
    assert "Schedule 1, Part 2, paragraph 18" in text


def test_yes_and_no_stay_strings_not_booleans():
    assert set(RAW["questions"]["consent"]["answers"]) == {"yes", "no", "unsure"}


def _broken(change):
    data = copy.deepcopy(RAW)
    change(data)
    return data


def _set(path, value):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _delete(path):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


def _add_unreachable(data):
    data["outcomes"]["orphan"] = copy.deepcopy(data["outcomes"]["share_anonymised"])


def _add_loop(data):
    data["questions"]["other_basis"]["answers"]["no"] = "consent"
    data["questions"]["consent"]["answers"]["no"] = "other_basis"
    # do_not_share_no_basis is now unreachable too; keep it reachable so only the loop is reported.
    data["questions"]["legitimate_purpose"]["answers"]["no"] = "do_not_share_no_basis"
    data["outcomes"].pop("do_not_share_no_purpose")


BROKEN = [
    ("unknown next step", _set(["questions", "consent", "answers", "yes"], "nowhere"),
     "question 'consent': the answer 'yes' leads to 'nowhere', which is not a question or an outcome"),
    ("dead end", _delete(["questions", "confidential", "answers", "no"]),
     "question 'confidential': dead end, no next step for the answer 'no'"),
    ("unknown answer", _set(["questions", "consent", "answers", "maybe"], "share_with_consent"),
     "question 'consent': unknown answer 'maybe'"),
    ("unreachable node", _add_unreachable, "node 'orphan': unreachable from the start"),
    ("loop with no exit", _add_loop, "loop with no exit (consent -> other_basis -> consent)"),
    ("unknown rule", _set(["questions", "consent", "rules"], ["rule_9"]),
     "question 'consent': unknown golden rule 'rule_9'"),
    ("unknown legal reference", _set(["outcomes", "refer_now", "legal"], ["dpa1998"]),
     "outcome 'refer_now': unknown legal reference 'dpa1998'"),
    ("outcome without a kind", _delete(["outcomes", "refer_now", "kind"]),
     "outcome 'refer_now': outcome without a kind"),
    ("unknown kind", _set(["outcomes", "refer_now", "kind"], "maybe_share"),
     "outcome 'refer_now': unknown kind 'maybe_share'"),
    ("no record step", _set(["outcomes", "share_anonymised", "next_steps"], [{"kind": "feedback", "text": "Ask."}]),
     "outcome 'share_anonymised': next steps must include recording the decision"),
    ("sharing without feedback", _set(["outcomes", "refer_now", "next_steps"], [{"kind": "record", "text": "Record."}]),
     "outcome 'refer_now': next steps must include getting feedback"),
    ("unsure not to advice", _set(["questions", "consent", "answers", "unsure"], "share_with_consent"),
     "question 'consent': the answer 'unsure' must lead to a seek_advice outcome"),
    ("missing decision", _delete(["outcomes", "emergency", "decision"]), "node 'emergency': outcomes.emergency.decision"),
    ("empty why", _set(["outcomes", "emergency", "why"], []), "node 'emergency': outcomes.emergency.why"),
    ("start not a question", _set(["start"], "emergency"), "start: 'emergency' is not a question"),
    ("unknown field", _set(["questions", "consent", "colour"], "red"), "node 'consent': questions.consent.colour"),
    ("unknown contact", _set(["outcomes", "refer_now", "contacts"], ["police"]), "outcome 'refer_now': unknown contact 'police'"),
    ("missing version", _delete(["version"]), "version: Field required"),
    ("unsure about danger sent to advice", _set(["questions", "immediate_danger", "answers", "unsure"], "seek_advice"),
     "question 'immediate_danger': at a safety question 'unsure' must lead to emergency, as 'yes' does, not to seek_advice"),
    ("unsure about harm sent to sharing", _set(["questions", "significant_harm", "answers", "unsure"], "share_anonymised"),
     "question 'significant_harm': at a safety question 'unsure' must lead to refer_now or seek_advice"),
    ("unsure about harm to advice without the front door",
     _set(["outcomes", "consult_front_door", "contacts"], ["advice"]),
     "question 'significant_harm': at a safety question 'unsure' must lead to an outcome that shows the front door"),
    ("front door without the out-of-hours team", _set(["outcomes", "refer_now", "contacts"], ["front_door"]),
     "outcome 'refer_now': an outcome that shows the front door must show the out-of-hours team"),
    ("version of another year", _set(["version"], "2024.1"), "version: '2024.1' must start with the year of last_reviewed"),
    ("version not YEAR.N", _set(["version"], "latest"), "version: String should match pattern"),
    ("review with an unknown source", _set(["rules", "rule_1", "review", "source"], "a blog"),
     "golden rule 'rule_1': unknown source 'a blog'"),
    ("next review before the review", _set(["outcomes", "emergency", "review", "next_review"], "2020-01-01"),
     "outcome 'emergency': next_review must be after reviewed"),
    ("item without a review", _delete(["questions", "consent", "review"]), "node 'consent': questions.consent.review"),
    ("legal reference without a status", _delete(["legal", "ca1989_s47", "status"]), "legal.ca1989_s47.status"),
    ("unknown source in based_on", _set(["based_on"], ["gossip"]), "based_on: unknown source 'gossip'"),
]


@pytest.mark.parametrize(("case", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_chart_is_refused_with_a_message_naming_the_node(case, change, message):
    with pytest.raises(ChartError) as caught:
        parse_chart(_broken(change), source="flowchart.yaml")
    text = str(caught.value)
    assert text.startswith("flowchart.yaml: the decision chart is not valid")
    assert message in text, text


def test_unreadable_and_malformed_files_name_the_file(tmp_path):
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ChartError, match="(?s)missing.yaml: .*the file does not exist"):
        load_chart(missing)
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions: [unclosed", encoding="utf-8")
    with pytest.raises(ChartError, match="(?s)bad.yaml: .*not valid YAML"):
        load_chart(bad)
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ChartError, match="mapping at the top level"):
        load_chart(listed)

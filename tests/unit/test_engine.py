"""The engine against the shipped chart: every scenario in the guidance, every path, bad input."""

import pytest

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.engine import (
    AnswerError,
    all_paths,
    check_answers,
    walk,
)

CHART = get_chart()
NO_TRIAGE = {"immediate_danger": "no", "significant_harm": "no"}

# (scenario, answers, outcome id, outcome kind): the guidance's paths with Yes and No answers.
GUIDANCE_SCENARIOS = [
    ("someone is in danger now", {"immediate_danger": "yes"}, "emergency", "emergency"),
    ("suspected significant harm", {"immediate_danger": "no", "significant_harm": "yes"}, "refer_now", "refer_now"),
    ("no purpose", {**NO_TRIAGE, "legitimate_purpose": "no"}, "do_not_share_no_purpose", "do_not_share"),
    (
        "anonymised",
        {**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "no"},
        "share_anonymised",
        "share",
    ),
    (
        "not confidential",
        {**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "no"},
        "share_not_confidential",
        "share",
    ),
    (
        "consent given",
        {**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "yes", "consent": "yes"},
        "share_with_consent",
        "share_with_consent",
    ),
    (
        "no consent, other lawful reason",
        {
            **NO_TRIAGE,
            "legitimate_purpose": "yes",
            "identifiable": "yes",
            "confidential": "yes",
            "consent": "no",
            "other_basis": "yes",
        },
        "share_without_consent",
        "share_without_consent",
    ),
    (
        "no consent, no other reason",
        {
            **NO_TRIAGE,
            "legitimate_purpose": "yes",
            "identifiable": "yes",
            "confidential": "yes",
            "consent": "no",
            "other_basis": "no",
        },
        "do_not_share_no_basis",
        "do_not_share",
    ),
]
SHARING_PATH = {**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "yes", "consent": "no"}
# "Not sure" at every question. At the two safety questions it never means waiting: unsure about
# danger now is an emergency (call 999); unsure about significant harm is a front-door consultation
# now. At the sharing questions it is advice, with a way back to the question.
UNSURE_SCENARIOS = [
    ("unsure about danger now", {"immediate_danger": "unsure"}, "emergency_unsure", "emergency"),
    ("unsure about significant harm", {"immediate_danger": "no", "significant_harm": "unsure"},
     "consult_front_door", "seek_advice"),
    ("unsure about the purpose", {**NO_TRIAGE, "legitimate_purpose": "unsure"}, "seek_advice", "seek_advice"),
    ("unsure whether it identifies anyone", {**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "unsure"},
     "seek_advice", "seek_advice"),
    ("unsure whether it is confidential",
     {**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "unsure"},
     "seek_advice", "seek_advice"),
    ("unsure about consent",
     {**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "yes", "consent": "unsure"},
     "seek_advice", "seek_advice"),
    ("unsure about another lawful reason", {**SHARING_PATH, "other_basis": "unsure"}, "seek_advice", "seek_advice"),
]
SCENARIOS = GUIDANCE_SCENARIOS + UNSURE_SCENARIOS


@pytest.mark.parametrize(("scenario", "answers", "outcome", "kind"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_guidance_scenarios_reach_the_right_outcome(scenario, answers, outcome, kind):
    position = walk(CHART, answers)
    assert position.outcome == outcome
    assert CHART.outcomes[position.outcome].kind == kind
    assert [step.node for step in position.path] == list(answers)


def test_the_unsure_table_covers_every_question():
    unsure_at = {list(answers)[-1] for _, answers, _, _ in UNSURE_SCENARIOS}
    assert unsure_at == set(CHART.questions)
    for _, answers, _, _ in UNSURE_SCENARIOS:
        assert list(answers.values())[-1] == "unsure"


@pytest.mark.parametrize(("scenario", "answers", "outcome", "kind"), UNSURE_SCENARIOS,
                         ids=[s[0] for s in UNSURE_SCENARIOS])
def test_not_sure_never_delays_protection(scenario, answers, outcome, kind):
    position = walk(CHART, answers)
    target = CHART.outcomes[position.outcome]
    question = list(answers)[-1]
    if CHART.questions[question].stage == "triage":
        # Protection now: the front door (or its consultation line) and the out-of-hours team beside it.
        assert "out_of_hours" in target.contacts
        assert {"front_door", "consultation"} & set(target.contacts)
        assert "come back" not in target.title.lower()
    if kind == "seek_advice":
        assert position.about == question  # the way back to the question answered "Not sure"
    else:
        assert position.about is None


def test_unsure_about_danger_says_what_counts():
    outcome = CHART.outcomes["emergency_unsure"]
    assert "999" in outcome.title + outcome.decision
    for words in ("being hurt", "about to be hurt", "missing and at risk", "going home tonight"):
        assert words in outcome.note


def test_unsure_about_harm_is_a_consultation_today_with_the_lead_alongside():
    outcome = CHART.outcomes["consult_front_door"]
    text = " ".join([outcome.title, outcome.decision, outcome.note, *outcome.how])
    assert "now" in outcome.title
    assert "consultation line" in outcome.decision
    assert "out-of-hours team" in outcome.note and "designated safeguarding lead" in outcome.note
    assert "without the child's or family's names" in text
    assert outcome.contacts[:2] == ("consultation", "out_of_hours")


def test_refer_now_tells_the_lead_without_delaying_the_referral():
    how = " ".join(CHART.outcomes["refer_now"].how)
    assert "designated safeguarding lead or named professional" in how and "without delaying the referral" in how


def test_every_path_ends_in_an_outcome_and_every_outcome_is_reached():
    paths = all_paths(CHART)
    reached = set()
    for answers, outcome in paths:
        position = walk(CHART, answers)
        assert position.finished
        assert position.outcome == outcome
        reached.add(outcome)
    assert reached == set(CHART.outcomes)
    # 7 questions, each with one unsure exit, plus the 8 yes/no endings.
    assert len(paths) == 15


@pytest.mark.parametrize(
    ("answers", "next_question"),
    [
        ({}, "immediate_danger"),
        ({"immediate_danger": "no"}, "significant_harm"),
        (NO_TRIAGE, "legitimate_purpose"),
        ({**NO_TRIAGE, "legitimate_purpose": "yes"}, "identifiable"),
        ({**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "yes"}, "confidential"),
        ({**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "yes"}, "consent"),
        (
            {**NO_TRIAGE, "legitimate_purpose": "yes", "identifiable": "yes", "confidential": "yes", "consent": "no"},
            "other_basis",
        ),
    ],
)
def test_walk_stops_at_the_first_unanswered_question(answers, next_question):
    position = walk(CHART, answers)
    assert position.question == next_question
    assert not position.finished


def test_answers_off_the_path_are_ignored_and_reported():
    position = walk(CHART, {"immediate_danger": "yes", "consent": "no"})
    assert position.outcome == "emergency"
    assert position.ignored == ("consent",)
    assert {step.node: step.answer for step in position.path} == {"immediate_danger": "yes"}


def test_stop_at_returns_to_an_answered_question_and_back_goes_one_step():
    answers = {**NO_TRIAGE, "legitimate_purpose": "yes"}
    position = walk(CHART, answers, stop_at="significant_harm")
    assert position.question == "significant_harm"
    assert position.path[-1].node == "immediate_danger"
    assert not walk(CHART, {}).path
    assert walk(CHART, {"immediate_danger": "yes"}).path[-1].node == "immediate_danger"


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({"nope": "yes"}, "unknown question id 'nope'"),
        ({"consent": "maybe"}, "question 'consent': answer must be one of yes, no, unsure, not 'maybe'"),
        ({"consent": True}, "not True"),
        ({"consent": None}, "not None"),
        ({1: "yes"}, "unknown question id 1"),
        (["immediate_danger"], "answers must be an object"),
        ("yes", "answers must be an object"),
    ],
)
def test_check_answers_names_each_problem(answers, problem):
    with pytest.raises(AnswerError) as caught:
        check_answers(CHART, answers)
    assert any(problem in p for p in caught.value.problems)


def test_check_answers_passes_good_answers_through():
    assert check_answers(CHART, {"immediate_danger": "no"}) == {"immediate_danger": "no"}

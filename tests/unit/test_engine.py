"""The engine against the shipped chart: every scenario in the guidance (the table of paths is in
tests/support/scenarios.py, shared with the API and browser tests), every path, bad input."""

import pytest

from infoshare_widget.flowchart.chart import DEFAULT_CHART_PATH, get_chart
from infoshare_widget.flowchart.engine import (
    AnswerError,
    all_paths,
    check_answers,
    walk,
)
from tests.support.scenarios import (
    ALL_PATHS,
    ASKED,
    NO_ORDER,
    NO_TRIAGE,
    NOT_POLICE,
    NOT_S47,
    OWN_WORRY,
    SHARING_PATH,
    SOMEONE_ELSE,
    TO_CONSENT,
    UNSURE_SCENARIOS,
)

CHART = get_chart()
DEFAULT_CHART_TEXT = DEFAULT_CHART_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize(("scenario", "answers", "outcome", "kind"), ALL_PATHS, ids=[s[0] for s in ALL_PATHS])
def test_every_path_reaches_the_outcome_in_the_table(scenario, answers, outcome, kind):
    position = walk(CHART, answers)
    assert position.outcome == outcome
    assert CHART.outcomes[position.outcome].kind == kind
    assert [step.node for step in position.path] == list(answers)


def test_the_table_is_every_path_of_the_chart_and_nothing_else():
    """A new question or outcome must be added to the table (tests/support/scenarios.py), with what it
    should lead to."""
    written = sorted((tuple(answers.items()), outcome) for _, answers, outcome, _ in ALL_PATHS)
    walked = sorted((tuple(answers.items()), outcome) for answers, outcome in all_paths(CHART))
    assert written == walked
    assert len(ALL_PATHS) == len({s[0] for s in ALL_PATHS}) == 39


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
    else:
        assert kind == "seek_advice"
    if kind == "seek_advice":
        assert position.about == question  # the way back to the question answered "Not sure"
    else:
        assert position.about is None


def test_unsure_about_danger_says_what_counts_and_so_does_the_question():
    outcome = CHART.outcomes["emergency_unsure"]
    assert "999" in outcome.title + outcome.decision
    hint = CHART.questions["immediate_danger"].hint
    for words in ("being hurt", "about to be hurt", "missing and at risk", "going home tonight"):
        assert words in outcome.note
        assert words in hint  # what counts is said before anyone has to answer "Not sure"
    assert "does no harm" not in " ".join(outcome.why)


def test_unsure_about_harm_is_a_consultation_today_with_names_and_the_lead_alongside():
    outcome = CHART.outcomes["consult_front_door"]
    text = " ".join([outcome.title, outcome.decision, outcome.note, *outcome.why, *outcome.how])
    assert "now" in outcome.title
    assert "consultation line" in outcome.decision
    assert "out-of-hours team" in outcome.note and "designated safeguarding lead" in outcome.note
    # Names may be given: the front door can only check what other agencies know with them.
    assert "without the child's or family's names" not in text
    assert "names" in text and "what other agencies know" in text
    assert "do not need consent" in text
    assert "only if yours offers it" in text  # a no-names conversation is a first step only where offered
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


# -- The situations of issue 21 -------------------------------------------------------------------


def _reached_after(question: str, answer: str) -> set[str]:
    return {outcome for answers, outcome in all_paths(CHART) if answers.get(question) == answer}


def test_asked_by_childrens_social_care_during_s47_enquiries_shares_under_legal_obligation():
    position = walk(CHART, {**ASKED, "asked_by_social_care": "yes"})
    outcome = CHART.outcomes[position.outcome]
    assert position.outcome == "share_on_request_s47" and outcome.kind == "share"
    assert {"uk_gdpr_art6_1c", "ca1989_s47_9", "uk_gdpr_art9", "dpa2018_sch1_p18", "uk_gdpr_art10"} <= set(outcome.legal)
    text = " ".join([outcome.decision, outcome.note, *outcome.why, *outcome.how])
    assert "legal obligation" in text and "do not need consent" in text
    assert "number you find yourself" in text  # check who is asking before answering
    assert "to be confirmed" in text  # the exact list of bodies in s47(11) is not confirmed
    # The request never ends at 'do not share', whatever else is answered.
    assert all(CHART.outcomes[o].kind != "do_not_share" for o in _reached_after("asked_by_social_care", "yes"))


def test_asked_by_the_police_decides_each_request_under_the_crime_exemption_and_part_3():
    position = walk(CHART, {**NOT_S47, "asked_by_police": "yes"})
    outcome = CHART.outcomes[position.outcome]
    assert position.outcome == "share_on_police_request"
    assert {"dpa2018_sch2_p2", "dpa2018_part3", "uk_gdpr_art9", "uk_gdpr_art10"} <= set(outcome.legal)
    text = " ".join([outcome.decision, outcome.note, *outcome.why, *outcome.how])
    assert "the Data Protection Act 2018, Part 3" in text
    assert "court order or a warrant" in text  # says when an order is needed to require disclosure
    assert "does not on its own oblige you" in text


def test_a_court_order_is_a_legal_obligation_and_a_request_is_not_an_order():
    outcome = CHART.outcomes[walk(CHART, {**NOT_POLICE, "court_order": "yes"}).outcome]
    assert "uk_gdpr_art6_1c" in outcome.legal
    assert any("is not an order" in line for line in outcome.why)


def test_safeguarding_partners_request_says_section_16h_is_to_be_confirmed():
    outcome = CHART.outcomes[walk(CHART, {**NO_ORDER, "asked_by_partners": "yes"}).outcome]
    assert "ca2004_s16h" in outcome.legal
    assert "to be confirmed" in outcome.note
    assert CHART.legal["ca2004_s16h"].status.startswith("To be confirmed")


def test_someone_else_asking_goes_on_to_the_sharing_questions():
    assert walk(CHART, SOMEONE_ELSE).question == "legitimate_purpose"
    assert walk(CHART, OWN_WORRY).question == "legitimate_purpose"


def test_consent_refused_below_the_threshold_is_respected_recorded_and_revisited():
    position = walk(CHART, {**OWN_WORRY, **TO_CONSENT, "consent": "no", "public_interest": "no"})
    outcome = CHART.outcomes[position.outcome]
    assert position.outcome == "respect_refusal" and outcome.kind == "do_not_share"
    text = " ".join([outcome.title, outcome.decision, outcome.note, *outcome.why, *outcome.how,
                     *(step.text for step in outcome.next_steps)])
    for words in ("Respect", "record it", "worry grows", "designated safeguarding lead", "front door"):
        assert words in text, words
    assert {"front_door", "consultation"} & set(outcome.contacts) and "out_of_hours" in outcome.contacts


def test_no_path_with_no_harm_and_no_consent_shares_without_the_public_interest_question():
    for answers, outcome in all_paths(CHART):
        if (answers.get("significant_harm") == "no" and answers.get("consent") == "no"
                and CHART.outcomes[outcome].kind == "share_without_consent"):
            assert answers.get("public_interest") == "yes", answers


@pytest.mark.parametrize("oid", ["refer_now", "emergency", "emergency_unsure", "consult_front_door"])
def test_fgm_and_the_lado_are_shown_where_a_child_may_be_at_risk(oid):
    assert {"fgm_reporting", "lado", "csa_reporting"} <= set(CHART.outcomes[oid].duties)


def test_the_personal_duties_say_who_whom_when_and_their_status():
    fgm, lado, csa = (CHART.duties[d] for d in ("fgm_reporting", "lado", "csa_reporting"))
    assert fgm.status == "in force" and "101" in fgm.tell and "one month" in fgm.by_when
    assert "under 18" in fgm.applies_when and "does not meet it" in fgm.tell
    assert lado.contacts == ("lado",) and "one working day" in lado.by_when
    assert lado.status == "to be confirmed" and "to be confirmed" in lado.by_when
    assert csa.status == "to be confirmed" and "Do not rely on it" in csa.status_note


def test_the_police_are_shown_part_3_wherever_they_are_named_beside_the_public_task():
    for oid in ("refer_now", "share_without_consent", "share_not_confidential", "share_on_request_s47"):
        outcome = CHART.outcomes[oid]
        assert "dpa2018_part3" in outcome.legal, oid
        assert any("the Data Protection Act 2018, Part 3" in line for line in outcome.why), oid
    assert "Part 3" in CHART.questions["other_basis"].hint


def test_every_outcome_that_may_share_personal_data_names_articles_9_and_10():
    for oid, outcome in CHART.outcomes.items():
        if outcome.passes_on == "personal":
            assert {"uk_gdpr_art9", "uk_gdpr_art10"} <= set(outcome.legal), oid
            if outcome.kind != "share_with_consent":
                assert "dpa2018_sch1_p18" in outcome.legal, oid


def test_the_wording_fixes_of_issue_21():
    text = DEFAULT_CHART_TEXT
    assert "criticised for sharing in good faith" not in text and "will not be criticised" not in text
    assert "caldicott_principle_7" not in CHART.outcomes["share_without_consent"].legal
    assert not any("Caldicott principle 7" in line for line in CHART.outcomes["share_without_consent"].why)
    harm = CHART.questions["significant_harm"].hint
    assert "includes domestic abuse" not in harm and "seeing or hearing" in harm and "judgement" in harm
    assert "meaning is unchanged" not in text and "own" in CHART.legal["uk_gdpr_art6_1e"].status
    assert "commissioned" in CHART.legal["uk_gdpr_art6_1e"].summary
    for oid in ("refer_now", "consult_front_door"):
        assert any("fear of getting it wrong must not" in line for line in CHART.outcomes[oid].why), oid


@pytest.mark.parametrize(
    ("answers", "next_question"),
    [
        ({}, "immediate_danger"),
        ({"immediate_danger": "no"}, "significant_harm"),
        (NO_TRIAGE, "asked_for_information"),
        (ASKED, "asked_by_social_care"),
        (NOT_S47, "asked_by_police"),
        (NOT_POLICE, "court_order"),
        (NO_ORDER, "asked_by_partners"),
        (OWN_WORRY, "legitimate_purpose"),
        ({**OWN_WORRY, "legitimate_purpose": "yes"}, "identifiable"),
        ({**OWN_WORRY, "legitimate_purpose": "yes", "identifiable": "yes"}, "confidential"),
        ({**OWN_WORRY, **TO_CONSENT}, "consent"),
        ({**OWN_WORRY, **TO_CONSENT, "consent": "no"}, "public_interest"),
        (SHARING_PATH, "other_basis"),
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
    answers = {**OWN_WORRY, "legitimate_purpose": "yes"}
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

"""Chart validation: the shipped chart is sound, and each kind of broken chart is refused by name."""

import copy

import pytest

from infoshare_widget.base.content_files import parse_yaml
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
    "significant_harm": {"yes": "refer_now", "no": "asked_for_information"},
    "asked_for_information": {"yes": "asked_by_social_care", "no": "legitimate_purpose"},
    "asked_by_social_care": {"yes": "share", "no": "asked_by_police"},
    "asked_by_police": {"yes": "share", "no": "court_order"},
    "court_order": {"yes": "share", "no": "asked_by_partners"},
    "asked_by_partners": {"yes": "share", "no": "legitimate_purpose"},
    "legitimate_purpose": {"no": "do_not_share"},
    "identifiable": {"no": "share"},
    "confidential": {"no": "share"},
    "consent": {"yes": "share_with_consent", "no": "public_interest"},
    "public_interest": {"yes": "other_basis", "no": "do_not_share"},
    "other_basis": {"yes": "share_without_consent", "no": "do_not_share"},
}
CLAIMS_FILE = DEFAULT_CHART_PATH.parents[2] / "docs" / "legal-claims-2026-12-07.yaml"


def test_shipped_chart_has_the_required_nodes_with_their_meanings():
    chart = load_chart()
    assert chart.start == "immediate_danger"
    for qid, exits in REQUIRED_IDS.items():
        question = chart.questions[qid]
        assert set(question.answers) == set(ANSWERS)
        if question.stage in ("share", "request"):
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


def test_statuses_agree_with_the_legal_review():
    """Every item that names a claim of the 7 December 2026 review says what the review found: a claim
    'to be confirmed' is never shown as settled law."""
    claims = {c["id"]: c for c in parse_yaml(CLAIMS_FILE.read_text(encoding="utf-8"), CLAIMS_FILE.name)}
    chart = load_chart()
    named = 0
    for lid, ref in chart.legal.items():
        if ref.claim is None:
            continue
        named += 1
        status = claims[ref.claim]["status"]
        expected = {"in force": "In force", "not in force": "Not in force", "to be confirmed": "To be confirmed"}[status]
        assert ref.status.startswith(expected), (lid, ref.claim, status)
        assert ref.review.reviewed >= claims[ref.claim]["checked"], lid
    for did, duty in chart.duties.items():
        assert duty.claim in claims, did
        assert duty.status == claims[duty.claim]["status"], did
    for wid, item in chart.watch.items():
        assert set(item.claims) <= set(claims), wid
        assert item.checked >= max((claims[c]["checked"] for c in item.claims), default=item.checked), wid
    assert named >= 12
    # Every claim the chart relies on that the review left wholly or partly 'to be confirmed' is on
    # the watch list, so content-review brings it back.
    relied_on = {ref.claim for ref in chart.legal.values()} | {d.claim for d in chart.duties.values()}
    watched = {claim for item in chart.watch.values() for claim in item.claims}
    for claim_id in relied_on - {None}:
        claim = claims[claim_id]
        if claim["status"] == "to be confirmed" or "to be confirmed" in claim.get("note", ""):
            assert claim_id in watched, claim_id


def test_the_chart_says_where_and_when_it_applies():
    chart = load_chart()
    assert chart.jurisdiction == "England"
    assert chart.law_as_at == chart.last_reviewed


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


def _s47_to_do_not_share(data):
    data["questions"]["asked_by_social_care"]["answers"]["yes"] = "do_not_share_no_basis"
    # share_on_request_s47 is now unreachable: reach it another way so only the promise is reported.
    data["questions"]["court_order"]["answers"]["yes"] = "share_on_request_s47"
    data["outcomes"].pop("share_on_court_order")


def _skip_public_interest(data):
    data["questions"]["consent"]["answers"]["no"] = "other_basis"
    data["questions"]["public_interest"]["answers"]["no"] = "respect_refusal"
    # Keep public_interest reachable (from the purpose question), so only the promise is reported.
    data["questions"]["legitimate_purpose"]["answers"]["no"] = "public_interest"
    data["outcomes"].pop("do_not_share_no_purpose")


def _police_request_without_part_3(data):
    outcome = data["outcomes"]["share_on_police_request"]
    outcome["legal"].remove("dpa2018_part3")
    # Without the words that put the police beside the public task, only the request's promise is left.
    outcome["why"] = ["The law lets you share what is needed."]


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
    # The promises of issue 21: one broken chart for each rule.
    ("a child protection request that can end at do not share", _s47_to_do_not_share,
     "question 'asked_by_social_care' (children's social care asking during child protection enquiries): the "
     "answer 'yes' can end at the do_not_share outcome 'do_not_share_no_basis'"),
    ("no harm and no consent shared without the public-interest question", _skip_public_interest,
     "outcome 'share_without_consent': reached with No to significant harm and No to consent without Yes at the "
     "public-interest question 'public_interest'"),
    ("refer now without the personal duties", _set(["outcomes", "refer_now", "duties"], ["csa_reporting"]),
     "outcome 'refer_now': an outcome about a child who may be at risk must show every personal duty "
     "(missing fgm_reporting, lado)"),
    ("the emergency without the personal duties", _delete(["outcomes", "emergency", "duties"]),
     "outcome 'emergency': an outcome about a child who may be at risk must show every personal duty"),
    ("the consultation without the personal duties", _set(["outcomes", "consult_front_door", "duties"], ["lado"]),
     "outcome 'consult_front_door': an outcome about a child who may be at risk must show every personal duty "
     "(missing fgm_reporting, csa_reporting)"),
    ("the FGM duty missing from the chart", _delete(["duties", "fgm_reporting"]),
     "duties: the personal duty 'fgm_reporting' is missing"),
    ("an unknown personal duty", _set(["outcomes", "refer_now", "duties"], ["fgm_reporting", "lado", "csa_reporting",
                                                                          "astrology"]),
     "outcome 'refer_now': unknown personal duty 'astrology'"),
    ("a duty with a status that is not one of the three", _set(["duties", "csa_reporting", "status"], "probably"),
     "personal duty 'csa_reporting': unknown status 'probably'"),
    ("a duty with an unknown contact", _set(["duties", "lado", "contacts"], ["lado_office"]),
     "personal duty 'lado': unknown contact 'lado_office'"),
    ("sharing special category data without Article 9", _set(["outcomes", "share_without_consent", "legal"],
                                                             ["uk_gdpr_art6_1e", "uk_gdpr_art10", "dpa2018_part3"]),
     "outcome 'share_without_consent': may share health or other special category data and criminal offence data, "
     "so it must cite uk_gdpr_art9, dpa2018_sch1_p18"),
    ("the consultation without Article 9", _set(["outcomes", "consult_front_door", "legal"],
                                                ["ca1989_s47", "uk_gdpr_art10", "dpa2018_part3"]),
     "outcome 'consult_front_door': may share health or other special category data and criminal offence data, "
     "so it must cite uk_gdpr_art9, dpa2018_sch1_p18"),
    ("sharing with consent without Article 9 (paragraph 18 not needed)",
     _set(["outcomes", "share_with_consent", "legal"], ["uk_gdpr_art6_1a", "uk_gdpr_art10"]),
     "outcome 'share_with_consent': may share health or other special category data and criminal offence data, "
     "so it must cite uk_gdpr_art9"),
    ("sharing criminal offence data without Article 10", _set(["outcomes", "emergency", "legal"],
                                                              ["uk_gdpr_art6_1d", "uk_gdpr_art9", "dpa2018_sch1_p18"]),
     "outcome 'emergency': may share health or other special category data and criminal offence data, so it must "
     "cite uk_gdpr_art10"),
    ("a sharing outcome that says it shares nothing", _set(["outcomes", "refer_now", "shares"], "none"),
     "outcome 'refer_now': a refer_now outcome passes information on, so it cannot say shares: none"),
    ("the police beside the public task without Part 3", _set(["outcomes", "refer_now", "legal"],
                                                              ["uk_gdpr_art6_1e", "uk_gdpr_art9", "dpa2018_sch1_p18",
                                                               "uk_gdpr_art10"]),
     "outcome 'refer_now': names the police beside the public task, so it must cite dpa2018_part3"),
    ("a question naming the police beside the public task without Part 3",
     _set(["questions", "other_basis", "legal"], ["uk_gdpr_art6_1e"]),
     "question 'other_basis': names the police beside the public task, so it must cite dpa2018_part3"),
    ("a police request without Part 3", _police_request_without_part_3,
     "outcome 'share_on_police_request': answers a police request, so it must cite dpa2018_part3"),
    ("a police request without the crime exemption",
     _set(["outcomes", "share_on_police_request", "legal"], ["dpa2018_part3", "uk_gdpr_art9", "dpa2018_sch1_p18",
                                                            "uk_gdpr_art10"]),
     "outcome 'share_on_police_request': answers a police request, so it must cite dpa2018_sch2_p2"),
    ("no question carries the child protection request", _delete(["questions", "asked_by_social_care", "role"]),
     "questions: no question has the role 's47_request'"),
    ("a role on two questions", _set(["questions", "court_order", "role"], "police_request"),
     "question 'court_order': the role 'police_request' is already on question 'asked_by_police'"),
    ("an unknown role", _set(["questions", "court_order", "role"], "judge"), "question 'court_order': unknown role 'judge'"),
    ("unsure who is asking sent to sharing", _set(["questions", "asked_by_police", "answers", "unsure"],
                                                  "share_on_police_request"),
     "question 'asked_by_police': the answer 'unsure' must lead to a seek_advice outcome"),
    ("law stated after the review", _set(["law_as_at"], "2027-01-01"), "law_as_at: 2027-01-01 is after last_reviewed"),
    ("no jurisdiction", _delete(["jurisdiction"]), "jurisdiction: Field required"),
    ("a watch item to look at before it was checked", _set(["watch", "cwsa2026_s4", "look_again"], "2026-01-01"),
     "watch item 'cwsa2026_s4': look_again must be after checked"),
    ("a watch item with an unknown source", _set(["watch", "cwsa2026_s4", "source"], "rumour"),
     "watch item 'cwsa2026_s4': unknown source 'rumour'"),
    ("a duty without a review", _delete(["duties", "lado", "review"]), "duties.lado.review"),
    ("an item reviewed after the chart's last review", _set(["rules", "rule_1", "review", "reviewed"], "2027-06-01"),
     "golden rule 'rule_1': reviewed 2027-06-01 is after the chart's last_reviewed"),
    ("a watch item checked after the chart's last review", _set(["watch", "cwsa2026_s4", "checked"], "2026-12-20"),
     "watch item 'cwsa2026_s4': checked 2026-12-20 is after the chart's last_reviewed"),
    ("an id used for a question and an outcome", lambda data: data["outcomes"].update(
        consent=copy.deepcopy(data["outcomes"]["share_anonymised"])),
     "node 'consent': the id is used for both a question and an outcome"),
    ("an outcome that shares something unknown", _set(["outcomes", "share_anonymised", "shares"], "everything"),
     "outcome 'share_anonymised': unknown shares 'everything' (use one of personal, anonymised, none)"),
]


@pytest.mark.parametrize(("case", "change", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_chart_is_refused_with_a_message_naming_the_node(case, change, message):
    with pytest.raises(ChartError) as caught:
        parse_chart(_broken(change), source="flowchart.yaml")
    text = str(caught.value)
    assert text.startswith("flowchart.yaml: the decision chart is not valid")
    assert message in text, text


def _all(*changes):
    def change(data):
        for one in changes:
            one(data)

    return change


# Whole lists, in order: the checks run in a fixed order (so the same file always reads the same), and
# the checks of the graph and the promises only run on a chart whose nodes are sound.
ORDERED = [
    ("one problem of each kind, in the order of the checks",
     _all(_set(["version"], "2025.1"), _set(["based_on"], ["gossip"]), _set(["rules", "rule_1", "review", "source"], "a blog"),
          _set(["law_as_at"], "2027-01-01"), _set(["watch", "cwsa2026_s4", "source"], "rumour"),
          lambda data: data["outcomes"].update(consent=copy.deepcopy(data["outcomes"]["share_anonymised"])),
          _set(["start"], "emergency"), _set(["duties", "lado", "status"], "probably"),
          _delete(["duties", "fgm_reporting"]), _set(["questions", "court_order", "role"], "judge"),
          _set(["questions", "consent", "answers", "maybe"], "share_with_consent"),
          _set(["outcomes", "share_anonymised", "shares"], "everything")),
     ["version: '2025.1' must start with the year of last_reviewed (2026), so the version changes with a review",
      "based_on: unknown source 'gossip'",
      "golden rule 'rule_1': unknown source 'a blog'",
      "law_as_at: 2027-01-01 is after last_reviewed (2026-12-07): the law can only be stated as at a date it was checked",
      "watch item 'cwsa2026_s4': unknown source 'rumour'",
      "node 'consent': the id is used for both a question and an outcome",
      "start: 'emergency' is not a question",
      "personal duty 'lado': unknown status 'probably' (use one of in force, not in force, to be confirmed)",
      "duties: the personal duty 'fgm_reporting' is missing (every outcome about a child at risk must show it)",
      ("question 'court_order': unknown role 'judge' (use one of significant_harm, consent, public_interest, "
       "s47_request, police_request)"),
      "question 'consent': unknown answer 'maybe' (use yes, no, unsure)",
      "outcome 'emergency': unknown personal duty 'fgm_reporting'",
      "outcome 'emergency_unsure': unknown personal duty 'fgm_reporting'",
      "outcome 'refer_now': unknown personal duty 'fgm_reporting'",
      "outcome 'consult_front_door': unknown personal duty 'fgm_reporting'",
      "outcome 'share_anonymised': unknown shares 'everything' (use one of personal, anonymised, none)"]),
    ("a problem in a node hides the unreachable node",
     _all(_add_unreachable, _set(["outcomes", "share_anonymised", "shares"], "everything")),
     ["outcome 'share_anonymised': unknown shares 'everything' (use one of personal, anonymised, none)"]),
    ("an unreachable node hides the broken promise", _all(_s47_to_do_not_share, _add_unreachable),
     ["node 'orphan': unreachable from the start 'immediate_danger'"]),
    ("unreachable nodes, then the loop", _all(_add_loop, _add_unreachable),
     ["node 'orphan': unreachable from the start 'immediate_danger'",
      "node 'public_interest': unreachable from the start 'immediate_danger'",
      "node 'respect_refusal': unreachable from the start 'immediate_danger'",
      "question 'consent': loop with no exit (consent -> other_basis -> consent)"]),
]


@pytest.mark.parametrize(("case", "change", "problems"), ORDERED, ids=[o[0] for o in ORDERED])
def test_problems_come_in_the_order_of_the_checks(case, change, problems):
    with pytest.raises(ChartError) as caught:
        parse_chart(_broken(change), source="flowchart.yaml")
    assert caught.value.problems == problems


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

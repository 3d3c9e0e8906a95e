"""The answer paths of the chart, written out from the guidance: every walk with the outcome it must
reach, the "Not sure" walks, and the partial answers other tables start from.

tests/unit/test_engine.py checks the table is every path of the shipped chart and nothing else; the
API tests (tests/unit/test_api_flowchart.py) and the browser tests (tests/e2e/test_decide.py) walk
the same paths.
"""

NO_TRIAGE = {"immediate_danger": "no", "significant_harm": "no"}
# Nobody asked: the practitioner's own worry, below the significant harm threshold.
OWN_WORRY = {**NO_TRIAGE, "asked_for_information": "no"}
# Someone asked, and it is not children's social care (child protection enquiries), the police, a
# court order or the safeguarding partners: the sharing questions follow, as for one's own worry.
ASKED = {**NO_TRIAGE, "asked_for_information": "yes"}
NOT_S47 = {**ASKED, "asked_by_social_care": "no"}
NOT_POLICE = {**NOT_S47, "asked_by_police": "no"}
NO_ORDER = {**NOT_POLICE, "court_order": "no"}
SOMEONE_ELSE = {**NO_ORDER, "asked_by_partners": "no"}
TO_CONSENT = {"legitimate_purpose": "yes", "identifiable": "yes", "confidential": "yes"}

# The sharing questions, from legitimate_purpose on: (scenario, answers, outcome id, kind).
SHARING_TAIL = [
    ("no purpose", {"legitimate_purpose": "no"}, "do_not_share_no_purpose", "do_not_share"),
    ("unsure about the purpose", {"legitimate_purpose": "unsure"}, "seek_advice", "seek_advice"),
    ("anonymised", {"legitimate_purpose": "yes", "identifiable": "no"}, "share_anonymised", "share"),
    ("unsure whether it identifies anyone", {"legitimate_purpose": "yes", "identifiable": "unsure"},
     "seek_advice", "seek_advice"),
    ("not confidential", {"legitimate_purpose": "yes", "identifiable": "yes", "confidential": "no"},
     "share_not_confidential", "share"),
    ("unsure whether it is confidential",
     {"legitimate_purpose": "yes", "identifiable": "yes", "confidential": "unsure"}, "seek_advice", "seek_advice"),
    ("consent given", {**TO_CONSENT, "consent": "yes"}, "share_with_consent", "share_with_consent"),
    ("unsure about consent", {**TO_CONSENT, "consent": "unsure"}, "seek_advice", "seek_advice"),
    ("consent refused below the threshold, no public interest",
     {**TO_CONSENT, "consent": "no", "public_interest": "no"}, "respect_refusal", "do_not_share"),
    ("unsure whether sharing without agreement is justified",
     {**TO_CONSENT, "consent": "no", "public_interest": "unsure"}, "seek_advice", "seek_advice"),
    ("no consent, public interest, other lawful reason",
     {**TO_CONSENT, "consent": "no", "public_interest": "yes", "other_basis": "yes"},
     "share_without_consent", "share_without_consent"),
    ("no consent, public interest, no other reason",
     {**TO_CONSENT, "consent": "no", "public_interest": "yes", "other_basis": "no"},
     "do_not_share_no_basis", "do_not_share"),
    ("unsure about another lawful reason",
     {**TO_CONSENT, "consent": "no", "public_interest": "yes", "other_basis": "unsure"}, "seek_advice", "seek_advice"),
]

# Every walk through the chart, written out: (scenario, answers in order, outcome id, outcome kind).
ALL_PATHS = [
    ("someone is in danger now", {"immediate_danger": "yes"}, "emergency", "emergency"),
    ("unsure about danger now", {"immediate_danger": "unsure"}, "emergency_unsure", "emergency"),
    ("suspected significant harm", {"immediate_danger": "no", "significant_harm": "yes"}, "refer_now", "refer_now"),
    ("unsure about significant harm", {"immediate_danger": "no", "significant_harm": "unsure"},
     "consult_front_door", "seek_advice"),
    ("unsure whether anyone asked", {**NO_TRIAGE, "asked_for_information": "unsure"}, "seek_advice", "seek_advice"),
    ("asked by children's social care during child protection enquiries", {**ASKED, "asked_by_social_care": "yes"},
     "share_on_request_s47", "share"),
    ("unsure whether social care is making child protection enquiries", {**ASKED, "asked_by_social_care": "unsure"},
     "check_request", "seek_advice"),
    ("asked by the police", {**NOT_S47, "asked_by_police": "yes"}, "share_on_police_request", "share"),
    ("unsure whether the police are asking", {**NOT_S47, "asked_by_police": "unsure"}, "check_request", "seek_advice"),
    ("a court order", {**NOT_POLICE, "court_order": "yes"}, "share_on_court_order", "share"),
    ("unsure whether it is a court order", {**NOT_POLICE, "court_order": "unsure"}, "check_request", "seek_advice"),
    ("asked by the safeguarding partners", {**NO_ORDER, "asked_by_partners": "yes"}, "share_on_request_partners",
     "share"),
    ("unsure whether the safeguarding partners are asking", {**NO_ORDER, "asked_by_partners": "unsure"},
     "check_request", "seek_advice"),
    *[(scenario, {**OWN_WORRY, **tail}, outcome, kind) for scenario, tail, outcome, kind in SHARING_TAIL],
    *[(f"asked by someone else: {scenario}", {**SOMEONE_ELSE, **tail}, outcome, kind)
      for scenario, tail, outcome, kind in SHARING_TAIL],
]
SHARING_PATH = {**OWN_WORRY, **TO_CONSENT, "consent": "no", "public_interest": "yes"}
# "Not sure" at every question, each once (the shortest walk to it). At the two safety questions it
# never means waiting: unsure about danger now is an emergency (call 999); unsure about significant
# harm is a front-door consultation now. Unsure who is asking is a check of the request; at the
# sharing questions it is advice. Both give a way back to the question.
UNSURE_SCENARIOS = []
for _path in ALL_PATHS:
    _last = list(_path[1])[-1]
    if _path[1][_last] == "unsure" and _last not in {list(s[1])[-1] for s in UNSURE_SCENARIOS}:
        UNSURE_SCENARIOS.append(_path)
GUIDANCE_SCENARIOS = [p for p in ALL_PATHS if list(p[1].values())[-1] != "unsure"]
SCENARIOS = ALL_PATHS

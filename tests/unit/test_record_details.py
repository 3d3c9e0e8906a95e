"""The details form's server-side checks and the gentle personal-data hints."""

import datetime as dt

import pytest

from infoshare_widget.records.details import check_details, personal_data_hint

TODAY = dt.date(2026, 11, 26)


def test_an_empty_form_is_fine_every_field_is_optional():
    result = check_details({}, TODAY)
    assert result.ok and result.check_by is None


def test_a_full_form_gives_clean_values():
    result = check_details(
        {
            "categories": ["health", "family"], "description": "Missed appointments", "recipient_org": "MASH",
            "recipient_role": "Social worker", "route": "phone_known", "purpose": "Referral",
            "lawful_basis": "public_task", "consent": "not_sought", "consent_reason": "Asking could put the child at risk",
            "told": "no", "told_reason": "Not safe yet", "case_reference": "CR-2026/114",
            "check_by_day": "3", "check_by_month": "12", "check_by_year": "2026",
        },
        TODAY,
    )
    assert result.ok, result.errors
    assert result.check_by == dt.date(2026, 12, 3)
    assert result.values["categories"] == ["health", "family"]


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"route": "carrier pigeon"}, "route", "Select how the information was shared"),
        ({"lawful_basis": "vibes"}, "lawful_basis", "Select a lawful basis"),
        ({"categories": ["gossip"]}, "categories", "Select categories from the list"),
        ({"consent": "not_sought"}, "consent_reason", "Enter why consent was not sought"),
        ({"told": "no"}, "told_reason", "Enter why the person was not told"),
        ({"purpose": "x" * 1001}, "purpose", "Enter no more than 1000 characters"),
        ({"case_reference": "<script>"}, "case_reference", "Enter a case reference using"),
        ({"check_by_day": "31", "check_by_month": "2", "check_by_year": "2027"}, "check_by", "must be a real date"),
        ({"check_by_day": "1", "check_by_month": "", "check_by_year": "2027"}, "check_by", "must include a month"),
        ({"check_by_day": "1", "check_by_month": "1", "check_by_year": "2020"}, "check_by", "today or in the future"),
        ({"check_by_day": "1", "check_by_month": "1", "check_by_year": "2031"}, "check_by", "within the next 2 years"),
        ({"check_by_day": "x", "check_by_month": "1", "check_by_year": "2027"}, "check_by", "must be a real date"),
        ({"recipient_agency": "mi5"}, "recipient_agency", "Select who you shared it with from the list"),
        ({"recipient_agency": "other"}, "recipient_org", "Enter the name of the organisation you shared it with"),
        ({"consent_why": "felt like it"}, "consent_why", "Select why consent was not sought from the list"),
        ({"consent": "given", "consent_why": "danger"}, "consent_why", "only when consent was not sought"),
        ({"after_advice": "shrugged"}, "after_advice", "Select what the advice led to from the list"),
    ],
)
def test_bad_fields_get_a_message_by_the_field(form, field, message):
    result = check_details(form, TODAY, AGENCIES)
    assert not result.ok
    assert message in result.errors[field]
    assert result.values == {}


AGENCIES = {"police": "Police", "gp": "GP practice"}


@pytest.mark.parametrize(("form", "kept"), [
    ({"recipient_agency": "police"}, {"recipient_agency": "police"}),
    ({"recipient_agency": "other", "recipient_org": "Harbour Refuge"},
     {"recipient_agency": "other", "recipient_org": "Harbour Refuge"}),
    ({"consent": "not_sought", "consent_why": "danger", "consent_reason": "Fire"},
     {"consent": "not_sought", "consent_why": "danger"}),
    ({"consent_why": "risk_of_harm"}, {"consent_why": "risk_of_harm"}),  # a correction: consent stays as it was
    ({"after_advice": "referred"}, {"after_advice": "referred"}),
])
def test_the_choices_the_insight_page_counts(form, kept):
    result = check_details(form, TODAY, AGENCIES)
    assert result.ok, result.errors
    assert {k: result.values[k] for k in kept} == kept


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("NHS number 943 476 5919 on file", "an NHS number"),
        ("Call mum on 07700 900123", "a phone number"),
        ("Email dad at someone@example.org", "an email address"),
        ("Jane Smith born 03/04/2015", "a name with a date of birth"),
        ("DOB 3.4.15", "a name with a date of birth"),
    ],
)
def test_personal_data_gets_a_gentle_hint(text, found):
    assert found in personal_data_hint(text)


@pytest.mark.parametrize("text", ["", "Missed two appointments in October", "Case CR-114 on 12/11/2026",
                                  "Reference 123 456 7890"])
def test_ordinary_text_gets_no_hint(text):
    assert personal_data_hint(text) is None


def test_hints_do_not_block_the_save():
    result = check_details({"description": "Jane Smith, DOB 03/04/2015"}, TODAY)
    assert result.ok and "date of birth" in result.hints["description"]


def test_lawful_bases_keep_every_old_code_and_add_part_3_and_the_recognised_legitimate_interest():
    from infoshare_widget.records.details import LAWFUL_BASES

    # Codes already stored in records keep their meaning: none is removed or renamed.
    assert {"public_task", "legal_obligation", "vital_interests", "legitimate_interests", "consent"} <= set(LAWFUL_BASES)
    assert "Part 3" in LAWFUL_BASES["law_enforcement"]
    assert "6(1)(ea)" in LAWFUL_BASES["recognised_legitimate_interest"]
    assert all(len(code) <= 32 for code in LAWFUL_BASES)  # the insight_fact column's width
    result = check_details({"lawful_basis": "law_enforcement"}, TODAY)
    assert result.ok and result.values["lawful_basis"] == "law_enforcement"


def test_the_form_hint_names_article_10_beside_the_safeguarding_condition():
    from infoshare_widget.records.details import LAWFUL_BASIS_HINT

    assert "Schedule 1" in LAWFUL_BASIS_HINT and "Article 10" in LAWFUL_BASIS_HINT


@pytest.mark.parametrize(("outcome_id", "kind", "answers", "expected"), [
    # Legal obligation for the bodies s47 lists, the public task for schools and police: not guessed.
    ("share_on_request_s47", "share", {"asked_by_social_care": "yes"},
     {"lawful_basis": "", "consent": "not_sought", "consent_why": "other_basis"}),
    ("share_on_court_order", "share", {"court_order": "yes"},
     {"lawful_basis": "legal_obligation", "consent": "not_sought"}),
    ("share_on_police_request", "share", {"asked_by_police": "yes"}, {"lawful_basis": "", "consent": ""}),
    ("share_on_request_partners", "share", {"asked_by_partners": "yes"}, {"lawful_basis": ""}),
    ("respect_refusal", "do_not_share", {"consent": "no", "public_interest": "no"},
     {"lawful_basis": "", "consent": "refused_respected"}),
    # Records made before 2026.2 (or without an outcome id) keep the suggestions of their kind.
    ("refer_now", "refer_now", {}, {"lawful_basis": "public_task", "consent": "not_sought"}),
    ("", "share_without_consent", {"consent": "no"}, {"lawful_basis": "public_task", "consent": "not_sought"}),
])
def test_the_form_suggests_from_the_outcome_reached(outcome_id, kind, answers, expected):
    from infoshare_widget.flowchart.chart import get_chart
    from infoshare_widget.records.details import CONSENT, CONSENT_WHY, LAWFUL_BASES, suggestions

    if outcome_id:
        assert get_chart().outcomes[outcome_id].kind == kind
    got = suggestions(kind, answers, outcome_id)
    assert set(got) == {"lawful_basis", "consent", "consent_reason", "consent_why"}
    for key, value in expected.items():
        assert got[key] == value, key
    assert got["lawful_basis"] in ("", *LAWFUL_BASES) and got["consent"] in ("", *CONSENT)
    assert got["consent_why"] in ("", *CONSENT_WHY)


# Whole results: every message in the order the checks make them, which message wins on one field,
# and the values.
WHOLE = [
    ("every kind of problem at once, in the order of the checks",
     {"case_reference": "<" * 41, "told": "no", "consent": "not_sought", "consent_why": "danger",
      "recipient_agency": "other", "route": "x", "categories": ["x"], "purpose": "p" * 1001,
      "check_by_day": "1", "check_by_month": "", "check_by_year": "2027", "description": 5},
     {"errors": [("purpose", "Enter no more than 1000 characters (you entered 1001)"),
                 ("case_reference", "Enter a case reference using letters, numbers, spaces, / - _ or ."),
                 ("categories", "Select categories from the list"),
                 ("route", "Select how the information was shared"),
                 ("consent_reason", "Enter why consent was not sought or was overridden"),
                 ("recipient_org", "Enter the name of the organisation you shared it with"),
                 ("told_reason", "Enter why the person was not told"),
                 ("check_by", "The check-by date must include a month")],
      "values": {}, "check_by": None}),
    ("consent overridden, with a reason it was not sought",
     {"consent": "refused_overridden", "consent_why": "danger"},
     {"errors": [("consent_reason", "Enter why consent was not sought or was overridden"),
                 ("consent_why", "Choose why consent was not sought only when consent was not sought")],
      "values": {}, "check_by": None}),
    ("categories as one comma-separated string",
     {"categories": "health,,family"},
     {"errors": [], "categories": ["health", "family"], "check_by": None}),
    ("hints on the free text, and the check-by date as a date and as text",
     {"consent_reason": "Jane Smith DOB 1/2/2015", "advice_from": "email a@b.org", "check_by_day": "1",
      "check_by_month": "12", "check_by_year": "2026"},
     {"errors": [], "hints": ["consent_reason", "advice_from"], "check_by": dt.date(2026, 12, 1),
      "check_by_text": "2026-12-01"}),
]


@pytest.mark.parametrize(("case", "form", "expected"), WHOLE, ids=[w[0] for w in WHOLE])
def test_the_whole_result_of_a_form(case, form, expected):
    result = check_details(form, TODAY, AGENCIES)
    assert list(result.errors.items()) == expected["errors"]
    assert result.check_by == expected["check_by"]
    if "values" in expected:
        assert result.values == expected["values"]
    if "categories" in expected:
        assert result.values["categories"] == expected["categories"]
    if "hints" in expected:
        assert list(result.hints) == expected["hints"]
    if "check_by_text" in expected:
        assert result.values["check_by"] == expected["check_by_text"]

"""The optional details of a decision: choices, checks per field, and gentle personal-data hints.

Pure: takes the form's raw strings, returns clean values or a message per field, in the GOV.UK
style ("Enter...", "Select..."). Nothing here blocks a save because of a hint; hints only warn.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

INFO_CATEGORIES = {
    "health": "Health, including mental health",
    "family": "Family and home life",
    "education": "Education and attendance",
    "abuse": "Abuse, neglect or exploitation",
    "domestic_abuse": "Domestic abuse",
    "offending": "Offending or police involvement",
    "housing": "Housing",
    "substances": "Alcohol or drug use",
    "other": "Something else",
}
ROUTES = {
    "phone_known": "Phone call to a number I know is theirs",
    "secure_email": "Secure email",
    "portal": "Secure portal or case system",
    "meeting": "Meeting in person or online",
    "letter": "Letter or form sent securely",
    "other": "Another route",
}
# Stored as the code, so a label can be reworded and a code added without touching old records: a
# record keeps the code it was saved with (the insight page counts codes it no longer offers as "Not
# recorded"; none has been withdrawn). The insight page lists these in this order.
LAWFUL_BASES = {
    "public_task": "Public task: our own organisation's official work (UK GDPR Article 6(1)(e))",
    "legal_obligation": "A legal duty to share, such as helping child protection enquiries or a court order "
                        "(Article 6(1)(c))",
    "law_enforcement": "Police sharing for law enforcement (Data Protection Act 2018, Part 3, section 35)",
    "vital_interests": "To protect someone's life (Article 6(1)(d))",
    "recognised_legitimate_interest": "Recognised legitimate interest: safeguarding, for organisations without a "
                                      "public task of their own (Article 6(1)(ea))",
    "legitimate_interests": "Legitimate interests: voluntary and private organisations (Article 6(1)(f))",
    "consent": "Consent (Article 6(1)(a)): rarely the right basis in safeguarding",
}
# The form's hint beside the lawful basis: the conditions that sit on top of it.
LAWFUL_BASIS_HINT = (
    "Suggested from your answers. Special category data, such as health, also needs a condition: to "
    "safeguard a child without consent, the safeguarding condition (Data Protection Act 2018, Schedule 1, "
    "paragraph 18). Details of crimes, allegations or convictions are criminal offence data (UK GDPR "
    "Article 10), which the same condition can cover."
)
CONSENT = {
    "given": "Given",
    "not_sought": "Not sought",
    "refused_overridden": "Refused, and overridden",
    "refused_respected": "Refused, and not shared",
}
TOLD = {"yes": "Yes", "no": "No"}
# Counted on the insight page, so they are choices rather than free text (records/insight_facts.py).
# What a practitioner did after asking for advice (the details form asks, for any record).
AFTER_ADVICE = {
    "emergency": "Called 999",
    "referred": "Referred to the front door or children's social care",
    "shared": "Shared the information",
    "not_shared": "Decided not to share",
    "waiting": "Still waiting for advice",
}
# Why consent was not sought: a choice beside the free-text reason, so it can be counted.
CONSENT_WHY = {
    "danger": "Someone was in immediate danger",
    "risk_of_harm": "Asking could put a child at risk of harm",
    "crime": "Asking could harm the prevention or detection of a crime",
    "could_not_ask": "The person could not be asked in time, or could not decide",
    "other_basis": "Another lawful basis applied, so consent was not the basis",
    "other": "Another reason",
}
OTHER_AGENCY = "other"
# The lawful basis suggested by the outcome reached.
SUGGESTED_BASIS = {
    "emergency": "vital_interests",
    "refer_now": "public_task",
    "share": "public_task",
    "share_with_consent": "public_task",
    "share_without_consent": "public_task",
}
# Outcomes whose own route says more than their kind: a request the law requires you to meet, and a
# refusal respected. (The basis of a police request, or the safeguarding partners', depends on who
# is sharing or is still to be confirmed, so it is left to the practitioner; so is a section 47
# request's: legal obligation for the bodies the Act lists, the public task for a school or the
# police, who are not on the list.)
SUGGESTED_BY_OUTCOME: dict[str, dict[str, str]] = {
    "share_on_request_s47": {
        "lawful_basis": "", "consent": "not_sought", "consent_why": "other_basis",
        "consent_reason": "Children's social care asked for it during child protection enquiries (Children Act "
                          "1989, section 47); consent is not needed.",
    },
    "share_on_court_order": {
        "lawful_basis": "legal_obligation", "consent": "not_sought", "consent_why": "other_basis",
        "consent_reason": "A court order required the disclosure.",
    },
    "share_on_police_request": {"lawful_basis": "", "consent": "", "consent_why": "", "consent_reason": ""},
    "share_on_request_partners": {"lawful_basis": "", "consent": "", "consent_why": "", "consent_reason": ""},
    "respect_refusal": {"lawful_basis": "", "consent": "refused_respected", "consent_why": "", "consent_reason": ""},
}
# Where the path shows why consent was not asked for, the form suggests the reason.
CONSENT_NOT_SOUGHT_BECAUSE = {
    "emergency": "Someone was in immediate danger.",
    "refer_now": "There was reasonable cause to suspect significant harm; consent is not needed (golden rule 3).",
    "share_without_consent": "Another lawful reason to share applied (see the lawful basis).",
}
LIMITS = {
    "description": 1000,
    "recipient_org": 200,
    "recipient_role": 200,
    "purpose": 1000,
    "consent_reason": 1000,
    "told_reason": 1000,
    "identity_protection": 1000,
    "advice_from": 200,
    "advice_said": 1000,
    "follow_up_action": 1000,
    "case_reference": 40,
}
TEXT_FIELDS = tuple(LIMITS)
CASE_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /_.-]*$")


@dataclass
class DetailsResult:
    """Clean values ready to store, or errors by field (never both), and hints by field."""

    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    check_by: dt.date | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


_NHS = re.compile(r"\b(\d{3})[ -]?(\d{3})[ -]?(\d{4})\b")
_PHONE = re.compile(r"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_DATE = r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})\b|\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{4}\b"


def _nhs_number(text: str) -> bool:
    for match in _NHS.finditer(text):
        digits = "".join(match.groups())
        total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10 and check == int(digits[9]):
            return True
    return False


# The same, as the choice the insight page counts.
CONSENT_WHY_SUGGESTED = {"emergency": "danger", "refer_now": "risk_of_harm", "share_without_consent": "other_basis"}


def suggestions(outcome_kind: str, answers: dict[str, str], outcome_id: str = "") -> dict[str, str]:
    """What the form can prefill from the path: the lawful basis, and consent with its reason."""
    if outcome_id in SUGGESTED_BY_OUTCOME:
        return dict(SUGGESTED_BY_OUTCOME[outcome_id])
    consent, reason, why = "", "", ""
    if answers.get("consent") == "yes":
        consent = "given"
    elif outcome_kind in CONSENT_NOT_SOUGHT_BECAUSE:
        consent, reason = "not_sought", CONSENT_NOT_SOUGHT_BECAUSE[outcome_kind]
        why = CONSENT_WHY_SUGGESTED[outcome_kind]
    return {"lawful_basis": SUGGESTED_BASIS.get(outcome_kind, ""), "consent": consent, "consent_reason": reason,
            "consent_why": why}


def personal_data_hint(text: str) -> str | None:
    """A gentle warning when free text looks like it identifies someone; None when it does not."""
    found = []
    if _nhs_number(text):
        found.append("an NHS number")
    if _EMAIL.search(text):
        found.append("an email address")
    elif _PHONE.search(text):
        found.append("a phone number")
    if re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text) and re.search(_DATE, text, re.IGNORECASE) or re.search(
        r"\b(?:dob|d\.o\.b\.?|date of birth)\b", text, re.IGNORECASE
    ):
        found.append("a name with a date of birth")
    if not found:
        return None
    return (
        f"This looks like it includes {' and '.join(found)}. Use the case reference instead where you can: "
        "the record only needs enough to find the case."
    )


def parse_check_by(day: str, month: str, year: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """A GOV.UK date input: all three parts, a real date, not in the past and within two years."""
    parts = [p.strip() for p in (day, month, year)]
    if not any(parts):
        return None, None
    if not all(parts):
        missing = [name for name, value in zip(("day", "month", "year"), parts, strict=True) if not value]
        return None, f"The check-by date must include a {' and '.join(missing)}"
    if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        return None, "The check-by date must be a real date, like 27 3 2027"
    try:
        when = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None, "The check-by date must be a real date, like 27 3 2027"
    if when < today:
        return None, "The check-by date must be today or in the future"
    if when > today + dt.timedelta(days=730):
        return None, "The check-by date must be within the next 2 years"
    return when, None


def check_details(form: dict, today: dt.date, agencies: Mapping[str, str] | None = None) -> DetailsResult:
    """Check the details form on the server; every field is optional, but what is given must be sound.
    `agencies` are the partnership's receiving agencies by id (the form adds Other).

    The checks run in a fixed order (a later message on a field replaces an earlier one); when anything
    is wrong, no value is kept, so nothing half checked can be stored."""
    result = DetailsResult()
    raw = {k: (v if isinstance(v, str) else "") for k, v in form.items()}
    _check_text_lengths(result, raw)
    _check_categories(result, form)
    _check_choices(result, raw, agencies)
    _check_answers_agree(result)
    _check_case_reference(result)
    _check_check_by(result, raw, today)
    _add_personal_data_hints(result)
    if result.errors:
        result.values = {}
    return result


def _check_text_lengths(result: DetailsResult, raw: dict[str, str]) -> None:
    """Free text within its limit, checked here because the page's own limit is only a convenience."""
    for name in TEXT_FIELDS:
        value = raw.get(name, "").strip()
        if len(value) > LIMITS[name]:
            result.errors[name] = f"Enter no more than {LIMITS[name]} characters (you entered {len(value)})"
        result.values[name] = value


def _check_categories(result: DetailsResult, form: dict) -> None:
    """Only categories from the list (they are counted); the form may send them as a list or as one
    comma-separated string."""
    categories = form.get("categories") or []
    if isinstance(categories, str):
        categories = [c for c in categories.split(",") if c]
    unknown = [c for c in categories if c not in INFO_CATEGORIES]
    if unknown:
        result.errors["categories"] = "Select categories from the list"
    result.values["categories"] = [c for c in categories if c in INFO_CATEGORIES]


def _check_choices(result: DetailsResult, raw: dict[str, str], agencies: Mapping[str, str] | None) -> None:
    """Each choice is one of its codes (records keep codes, and the insight page counts them), or left
    empty."""
    for name, choices, message in (
        ("route", ROUTES, "Select how the information was shared"),
        ("lawful_basis", LAWFUL_BASES, "Select a lawful basis from the list"),
        ("consent", CONSENT, "Select what happened about consent"),
        ("told", TOLD, "Select whether the person was told"),
        ("consent_why", CONSENT_WHY, "Select why consent was not sought from the list"),
        ("after_advice", AFTER_ADVICE, "Select what the advice led to from the list"),
        ("recipient_agency", {**(agencies or {}), OTHER_AGENCY: "Other"}, "Select who you shared it with from the list"),
    ):
        value = raw.get(name, "").strip()
        if value and value not in choices:
            result.errors[name] = message
        result.values[name] = value if value in choices else ""


def _check_answers_agree(result: DetailsResult) -> None:
    """Some answers ask for another: sharing without consent, or without telling the person, must say
    why (golden rule 7: record your decision and your reasons); Other must name the organisation; and
    a reason consent was not sought only goes with consent not sought."""
    values = result.values
    if values["consent"] in ("not_sought", "refused_overridden") and not values["consent_reason"]:
        result.errors["consent_reason"] = "Enter why consent was not sought or was overridden"
    if values["recipient_agency"] == OTHER_AGENCY and not values["recipient_org"]:
        result.errors["recipient_org"] = "Enter the name of the organisation you shared it with"
    if values["consent_why"] and values["consent"] not in ("", "not_sought"):
        result.errors["consent_why"] = "Choose why consent was not sought only when consent was not sought"
    if values["told"] == "no" and not values["told_reason"]:
        result.errors["told_reason"] = "Enter why the person was not told"


def _check_case_reference(result: DetailsResult) -> None:
    """A case reference is the case system's code, not a place for names or markup, so it keeps to the
    characters such codes use (this message replaces a length message on the same field)."""
    reference = result.values["case_reference"]
    if reference and not CASE_REFERENCE.match(reference):
        result.errors["case_reference"] = "Enter a case reference using letters, numbers, spaces, / - _ or ."


def _check_check_by(result: DetailsResult, raw: dict[str, str], today: dt.date) -> None:
    """The follow-up date, from the form's three boxes: one message for the date as a whole, kept as a
    date for the follow-up and as text with the other values."""
    check_by, error = parse_check_by(raw.get("check_by_day", ""), raw.get("check_by_month", ""),
                                     raw.get("check_by_year", ""), today)
    if error:
        result.errors["check_by"] = error
    result.check_by = check_by
    result.values["check_by"] = check_by.isoformat() if check_by else ""


def _add_personal_data_hints(result: DetailsResult) -> None:
    """A gentle warning where free text looks like it names someone; it never blocks the save."""
    for name in ("description", "purpose", "identity_protection", "advice_said", "follow_up_action",
                 "consent_reason", "told_reason", "recipient_role", "advice_from"):
        hint = personal_data_hint(result.values.get(name, ""))
        if hint:
            result.hints[name] = hint

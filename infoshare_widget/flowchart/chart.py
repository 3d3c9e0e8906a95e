"""The decision chart: its data model, loading and validation. Pure: no Reflex import.

A chart is a small directed graph of questions (each answered yes, no or unsure) that ends in
outcomes. It is loaded from YAML and validated as a whole; any problem raises ChartError with every
problem found, each naming the node, so a broken file stops start-up instead of half working.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from infoshare_widget.base.content_files import ContentFileError, read_yaml, validation_problems

ANSWERS: tuple[str, ...] = ("yes", "no", "unsure")
ANSWER_LABELS: dict[str, str] = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
OUTCOME_KINDS: tuple[str, ...] = (
    "emergency",
    "refer_now",
    "share",
    "share_with_consent",
    "share_without_consent",
    "do_not_share",
    "seek_advice",
)
# How each kind of outcome is named to people (panel labels, filters).
OUTCOME_LABELS: dict[str, str] = {
    "emergency": "Emergency",
    "refer_now": "Refer now",
    "share": "Share",
    "share_with_consent": "Share with consent",
    "share_without_consent": "Share without consent",
    "do_not_share": "Do not share",
    "seek_advice": "Seek advice",
}
CONTACT_KINDS: tuple[str, ...] = ("front_door", "consultation", "out_of_hours", "advice", "lado")
# Outcomes where information is passed on; these must ask the user to get feedback (the seed's
# "get feedback" habit). Every outcome must ask the user to record the decision (golden rule 7).
SHARING_KINDS = frozenset(
    {"emergency", "refer_now", "share", "share_with_consent", "share_without_consent"}
)

# What an outcome may pass on: personal data (then special category and criminal offence data may be
# part of it), only anonymised information, or nothing. Sharing kinds pass on personal data unless
# the outcome says otherwise.
SHARES: tuple[str, ...] = ("personal", "anonymised", "none")
# Questions that carry a promise the validator checks, named by role (each role on one question).
QUESTION_ROLES: tuple[str, ...] = (
    "significant_harm",  # Yes: reasonable cause to suspect significant harm
    "consent",  # Yes: the person has agreed to the sharing
    "public_interest",  # Yes: sharing without agreement is justified (prevent harm, public interest)
    "s47_request",  # Yes: children's social care asks during child protection (section 47) enquiries
    "police_request",  # Yes: the police ask for the information
)
# The legal references the promises below name (ids in the chart's `legal`).
SPECIAL_CATEGORY_REFS: tuple[str, ...] = ("uk_gdpr_art9", "dpa2018_sch1_p18")
CRIMINAL_OFFENCE_REF = "uk_gdpr_art10"
LAW_ENFORCEMENT_REF = "dpa2018_part3"
CRIME_EXEMPTION_REF = "dpa2018_sch2_p2"
# Personal duties every outcome about a child at risk must show (more may be listed).
REQUIRED_DUTIES: tuple[str, ...] = ("fgm_reporting", "lado")
DUTY_STATUSES: tuple[str, ...] = ("in force", "not in force", "to be confirmed")

DEFAULT_CHART_PATH = Path(__file__).resolve().parent.parent / "content" / "flowchart.yaml"


class ChartError(ValueError):
    """The chart file is not a valid decision chart; `problems` lists every problem found."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: the decision chart is not valid:\n{listed}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str = Field(min_length=1)
    url: str = Field(min_length=1)


class Review(_Strict):
    """Where an item's facts come from, when they were last checked, and when they must be again."""

    source: str = Field(min_length=1)  # an id in the chart's `sources`
    reviewed: dt.date
    next_review: dt.date


class Rule(_Strict):
    number: int = Field(ge=1, le=7)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    review: Review


class LegalRef(_Strict):
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    # Whether it is in force on the review date, in plain words ("In force since ...", "To be
    # confirmed. ..."), as the legal review found it.
    status: str = Field(min_length=1)
    url: str | None = None
    review: Review
    # The id of the claim in docs/legal-claims-*.yaml this reference rests on (the tests check that
    # the status agrees with it).
    claim: str | None = None


class Duty(_Strict):
    """A duty a practitioner holds personally (reporting FGM, telling the LADO...), shown in a panel
    on the outcomes where it may apply."""

    title: str = Field(min_length=1)
    who: str = Field(min_length=1)
    applies_when: str = Field(min_length=1)
    tell: str = Field(min_length=1)
    by_when: str = Field(min_length=1)
    # One of DUTY_STATUSES, as the legal review found it on review.reviewed; checked by the validator.
    status: str
    status_note: str = Field(min_length=1)
    contacts: tuple[str, ...] = ()
    legal: tuple[str, ...] = ()
    review: Review
    claim: str | None = None


class WatchItem(_Strict):
    """A change in the law or guidance that is coming or unconfirmed: what it would change in this
    content, and when to look again."""

    title: str = Field(min_length=1)
    change: str = Field(min_length=1)
    source: str = Field(min_length=1)
    checked: dt.date
    look_again: dt.date
    # The claims in docs/legal-claims-*.yaml this item would settle or change.
    claims: tuple[str, ...] = ()


class Question(_Strict):
    # A label of a few words for the picture of the chart.
    short: str = Field(min_length=1, max_length=40)
    # triage: is a child at risk; request: who is asking for the information; share: may I share.
    stage: Literal["triage", "request", "share"]
    # A promise the validator checks on this question (see QUESTION_ROLES).
    role: str | None = None
    text: str = Field(min_length=1)
    hint: str = ""
    answers: dict[str, str]
    unsure_note: str = Field(min_length=1)
    rules: tuple[str, ...] = ()
    legal: tuple[str, ...] = ()
    review: Review


class NextStep(_Strict):
    kind: Literal["feedback", "record", "other"]
    text: str = Field(min_length=1)


class Outcome(_Strict):
    # kind is checked by the chart validator so the message can name the outcome.
    kind: str = ""
    title: str = Field(min_length=1)
    decision: str = Field(min_length=1)
    # One line under the decision, in the panel: what counts, or who else to tell.
    note: str = ""
    why: tuple[str, ...] = Field(min_length=1)
    how: tuple[str, ...] = Field(min_length=1)
    next_steps: tuple[NextStep, ...] = Field(min_length=1)
    contacts: tuple[str, ...] = ()
    # Personal duties that may apply (ids in the chart's `duties`), shown in their own panel.
    duties: tuple[str, ...] = ()
    # What the outcome may pass on (SHARES); by default personal data for sharing kinds, else none.
    shares: str | None = None
    rules: tuple[str, ...] = ()
    legal: tuple[str, ...] = ()
    review: Review

    @property
    def passes_on(self) -> str:
        """What this outcome may pass on: personal, anonymised or none."""
        if self.shares is not None:
            return self.shares
        return "personal" if self.kind in SHARING_KINDS else "none"


class Chart(_Strict):
    # YEAR.N: the year of last_reviewed, and a number that goes up with every change of content.
    version: str = Field(pattern=r"^20[0-9]{2}\.[1-9][0-9]*$")
    last_reviewed: dt.date
    title: str = Field(min_length=1)
    # Where the content applies, and the date the law in it is stated at (shown on every page and
    # in the API).
    jurisdiction: str = Field(min_length=1)
    law_as_at: dt.date
    sources: dict[str, Source] = Field(min_length=1)
    based_on: tuple[str, ...] = ()
    start: str
    rules: dict[str, Rule]
    legal: dict[str, LegalRef]
    duties: dict[str, Duty] = {}
    watch: dict[str, WatchItem] = {}
    questions: dict[str, Question] = Field(min_length=1)
    outcomes: dict[str, Outcome] = Field(min_length=1)

    def reviewed_items(self) -> list[tuple[str, Review]]:
        """Every item that carries review dates, named as 'question X', 'legal reference Y'..."""
        return [
            *((f"golden rule '{rid}'", r.review) for rid, r in self.rules.items()),
            *((f"legal reference '{lid}'", ref.review) for lid, ref in self.legal.items()),
            *((f"personal duty '{did}'", d.review) for did, d in self.duties.items()),
            *((f"question '{qid}'", q.review) for qid, q in self.questions.items()),
            *((f"outcome '{oid}'", o.review) for oid, o in self.outcomes.items()),
        ]

    def question_with_role(self, role: str) -> str | None:
        """The id of the question that carries this role, or None."""
        return next((qid for qid, q in self.questions.items() if q.role == role), None)

    def walks(self) -> list[tuple[dict[str, str], str]]:
        """Every complete walk as (answers in order, outcome id); the chart must be sound and acyclic."""
        found: list[tuple[dict[str, str], str]] = []

        def visit(node: str, answers: dict[str, str]) -> None:
            if node in self.outcomes:
                found.append((dict(answers), node))
                return
            for answer in ANSWERS:
                visit(self.questions[node].answers[answer], {**answers, node: answer})

        visit(self.start, {})
        return found

    @property
    def next_review(self) -> dt.date:
        """The earliest next review date of any item: when the content as a whole is next due."""
        return min(review.next_review for _, review in self.reviewed_items())

    def question_order(self) -> list[str]:
        """Question ids in the order a reader meets them: depth first from the start, yes first."""
        order: list[str] = []

        def visit(node_id: str) -> None:
            if node_id in order or node_id not in self.questions:
                return
            order.append(node_id)
            for answer in ANSWERS:
                visit(self.questions[node_id].answers[answer])

        visit(self.start)
        return order


def _problems_in(chart: Chart) -> list[str]:
    """Every structural and content problem in an already-parsed chart, in the order of the checks below
    (so the same file always reads the same)."""
    problems = [
        *_version_problems(chart),
        *_based_on_problems(chart),
        *_review_problems(chart),
        *_law_as_at_problems(chart),
        *_watch_problems(chart),
        *_node_id_problems(chart),
        *_duty_problems(chart),
        *_role_problems(chart),
        *(problem for qid, q in chart.questions.items() for problem in _question_problems(chart, qid, q)),
        *(problem for oid, o in chart.outcomes.items() for problem in _outcome_problems(chart, oid, o)),
    ]
    if problems:
        # Graph checks need sound edges; report the local problems first.
        return problems
    problems = [*_unreachable_problems(chart), *_loop_problems(chart)]
    if problems:
        # The promises are checked over every walk, which only ends on a chart without loops.
        return problems
    return _promise_problems(chart)


def _version_problems(chart: Chart) -> list[str]:
    """A review must change the version that every page and the API show: it starts with the review's year."""
    year = chart.last_reviewed.year
    if chart.version.split(".")[0] != str(year):
        return [(f"version: '{chart.version}' must start with the year of last_reviewed ({year}), "
                 "so the version changes with a review")]
    return []


def _based_on_problems(chart: Chart) -> list[str]:
    """What the chart says it is based on must be a source a reader can follow."""
    return [f"based_on: unknown source '{source}'" for source in chart.based_on
            if source not in chart.sources]


def _review_problems(chart: Chart) -> list[str]:
    """Every reviewed item names a known source and dates that make sense, so content-review can say
    what is due and no item claims a review the chart as a whole has not had."""
    problems: list[str] = []
    for owner, review in chart.reviewed_items():
        if review.source not in chart.sources:
            problems.append(f"{owner}: unknown source '{review.source}'")
        if review.next_review <= review.reviewed:
            problems.append(f"{owner}: next_review must be after reviewed")
        if review.reviewed > chart.last_reviewed:
            problems.append(f"{owner}: reviewed {review.reviewed} is after the chart's last_reviewed")
    return problems


def _law_as_at_problems(chart: Chart) -> list[str]:
    """Every page says the law is stated as at this date: it cannot be a date nobody checked it on."""
    if chart.law_as_at > chart.last_reviewed:
        return [(f"law_as_at: {chart.law_as_at} is after last_reviewed ({chart.last_reviewed}): the law "
                 "can only be stated as at a date it was checked")]
    return []


def _watch_problems(chart: Chart) -> list[str]:
    """A watch item must come back at content-review after it was checked, from a source a reader can
    follow."""
    problems: list[str] = []
    for wid, item in chart.watch.items():
        owner = f"watch item '{wid}'"
        if item.source not in chart.sources:
            problems.append(f"{owner}: unknown source '{item.source}'")
        if item.look_again <= item.checked:
            problems.append(f"{owner}: look_again must be after checked")
        if item.checked > chart.last_reviewed:
            problems.append(f"{owner}: checked {item.checked} is after the chart's last_reviewed")
    return problems


def _node_id_problems(chart: Chart) -> list[str]:
    """An answer names its next step by id, so an id must mean one node, and a walk must start at a
    question."""
    problems = [f"node '{both}': the id is used for both a question and an outcome"
                for both in sorted(set(chart.questions) & set(chart.outcomes))]
    if chart.start not in chart.questions:
        problems.append(f"start: '{chart.start}' is not a question")
    return problems


def _ref_problems(chart: Chart, owner: str, rules: tuple[str, ...], legal: tuple[str, ...]) -> list[str]:
    """A golden rule or legal reference that is cited must be in the chart, so every citation can be shown."""
    return [*(f"{owner}: unknown golden rule '{rule}'" for rule in rules if rule not in chart.rules),
            *(f"{owner}: unknown legal reference '{ref}'" for ref in legal if ref not in chart.legal)]


def _duty_problems(chart: Chart) -> list[str]:
    """Each personal duty says how far it is in force and whom to tell, and the duties every outcome
    about a child at risk must show are there to show."""
    problems: list[str] = []
    for did, duty in chart.duties.items():
        owner = f"personal duty '{did}'"
        if duty.status not in DUTY_STATUSES:
            problems.append(f"{owner}: unknown status '{duty.status}' (use one of {', '.join(DUTY_STATUSES)})")
        problems.extend(f"{owner}: unknown contact '{contact}'" for contact in duty.contacts
                        if contact not in CONTACT_KINDS)
        problems.extend(_ref_problems(chart, owner, (), duty.legal))
    problems.extend(f"duties: the personal duty '{did}' is missing (every outcome about a child at risk "
                    "must show it)" for did in REQUIRED_DUTIES if did not in chart.duties)
    return problems


def _role_problems(chart: Chart) -> list[str]:
    """The promises are checked at the questions that carry their roles: each role must be on exactly
    one question, or its promise would go unchecked."""
    problems: list[str] = []
    roles: dict[str, str] = {}
    for qid, question in chart.questions.items():
        if question.role is None:
            continue
        role = question.role
        if role not in QUESTION_ROLES:
            problems.append(f"question '{qid}': unknown role '{role}' (use one of {', '.join(QUESTION_ROLES)})")
        elif role in roles:
            problems.append(f"question '{qid}': the role '{role}' is already on question '{roles[role]}'")
        else:
            roles[role] = qid
    problems.extend(f"questions: no question has the role '{role}', so its promise cannot be checked"
                    for role in QUESTION_ROLES if role not in roles)
    return problems


def _question_problems(chart: Chart, qid: str, question: Question) -> list[str]:
    """A question's own problems: its answers, where 'Not sure' leads, what it cites, and how it names
    the police."""
    owner = f"question '{qid}'"
    return [
        *_answer_problems(chart, owner, question),
        *_unsure_problems(chart, qid, question),
        *_ref_problems(chart, owner, question.rules, question.legal),
        *_police_problems(owner, (question.text, question.hint), question.legal),
    ]


def _answer_problems(chart: Chart, owner: str, question: Question) -> list[str]:
    """Every answer (yes, no, not sure) leads on to a node, so no walk stops without an outcome."""
    node_ids = set(chart.questions) | set(chart.outcomes)
    problems = [f"{owner}: dead end, no next step for the answer '{answer}'"
                for answer in ANSWERS if answer not in question.answers]
    for answer, target in question.answers.items():
        if answer not in ANSWERS:
            problems.append(f"{owner}: unknown answer '{answer}' (use yes, no, unsure)")
        elif target not in node_ids:
            problems.append(
                f"{owner}: the answer '{answer}' leads to '{target}', "
                "which is not a question or an outcome"
            )
    return problems


def _outcome_problems(chart: Chart, oid: str, outcome: Outcome) -> list[str]:
    """An outcome's own problems: its kind, next steps, contacts, what it cites, what it passes on and on
    what footing, how it names the police, and the personal duties it shows."""
    owner = f"outcome '{oid}'"
    return [
        *_kind_problems(owner, outcome),
        *_next_step_problems(owner, outcome),
        *_contact_problems(owner, outcome),
        *_ref_problems(chart, owner, outcome.rules, outcome.legal),
        *(f"{owner}: unknown personal duty '{did}'" for did in outcome.duties if did not in chart.duties),
        *_shares_problems(owner, outcome),
        *_data_problems(owner, outcome),
        *_police_problems(owner, (outcome.decision, outcome.note, *outcome.why, *outcome.how), outcome.legal),
        *_missing_duty_problems(chart, owner, oid, outcome),
    ]


def _kind_problems(owner: str, outcome: Outcome) -> list[str]:
    """The kind decides the outcome's label, its checks and how it is counted, so it must be a known one."""
    if not outcome.kind:
        return [f"{owner}: outcome without a kind"]
    if outcome.kind not in OUTCOME_KINDS:
        return [f"{owner}: unknown kind '{outcome.kind}' (use one of {', '.join(OUTCOME_KINDS)})"]
    return []


def _next_step_problems(owner: str, outcome: Outcome) -> list[str]:
    """Every decision is recorded (golden rule 7), and whoever passes information on asks how it was used."""
    step_kinds = {step.kind for step in outcome.next_steps}
    problems: list[str] = []
    if "record" not in step_kinds:
        problems.append(f"{owner}: next steps must include recording the decision (rule 7)")
    if outcome.kind in SHARING_KINDS and "feedback" not in step_kinds:
        problems.append(f"{owner}: next steps must include getting feedback")
    return problems


def _contact_problems(owner: str, outcome: Outcome) -> list[str]:
    """Contacts must be ones the partnership file can fill in, and the front door never appears without
    the team that answers when it is closed."""
    problems = [f"{owner}: unknown contact '{contact}'" for contact in outcome.contacts
                if contact not in CONTACT_KINDS]
    if FRONT_DOOR_CONTACTS & set(outcome.contacts) and "out_of_hours" not in outcome.contacts:
        problems.append(f"{owner}: an outcome that shows the front door must show the out-of-hours team "
                        "beside it (the front door is closed at night, at weekends and on bank holidays)")
    return problems


def _shares_problems(owner: str, outcome: Outcome) -> list[str]:
    """What an outcome passes on decides which law it must cite, so it must be known, and an outcome that
    shares cannot claim to pass nothing on."""
    if outcome.shares is not None and outcome.shares not in SHARES:
        return [f"{owner}: unknown shares '{outcome.shares}' (use one of {', '.join(SHARES)})"]
    if outcome.kind in SHARING_KINDS and outcome.passes_on == "none":
        return [f"{owner}: a {outcome.kind} outcome passes information on, so it cannot say shares: none"]
    return []


def _missing_duty_problems(chart: Chart, owner: str, oid: str, outcome: Outcome) -> list[str]:
    """Someone looking at a child who may be at risk must see every personal duty, whichever may apply."""
    if not _shows_duties(chart, oid, outcome):
        return []
    missing = [did for did in chart.duties if did not in outcome.duties]
    if not missing:
        return []
    return [(f"{owner}: an outcome about a child who may be at risk must show every personal "
             f"duty (missing {', '.join(missing)})")]


def _reachable(chart: Chart) -> set[str]:
    """The nodes some walk from the start can reach (the edges are sound by now)."""
    reachable: set[str] = set()
    stack = [chart.start]
    while stack:
        node = stack.pop()
        if node in reachable:
            continue
        reachable.add(node)
        if node in chart.questions:
            stack.extend(chart.questions[node].answers.values())
    return reachable


def _unreachable_problems(chart: Chart) -> list[str]:
    """A node no walk reaches is content nobody is shown, and it would escape the promises' checks."""
    node_ids = set(chart.questions) | set(chart.outcomes)
    unreachable = sorted(node_ids - _reachable(chart))
    return [f"node '{node}': unreachable from the start '{chart.start}'" for node in unreachable]


def _loop_problems(chart: Chart) -> list[str]:
    """Each question is answered once, so any cycle would walk forever; the first loop found is enough
    to refuse the chart."""
    colour: dict[str, int] = {}  # 1: on the current trail, 2: done
    for qid in chart.questions:
        if qid not in colour:
            cycle = _cycle_from(chart, qid, [], colour)
            if cycle:
                return [f"question '{cycle[0]}': loop with no exit ({' -> '.join(cycle)})"]
    return []


def _cycle_from(chart: Chart, node: str, trail: list[str], colour: dict[str, int]) -> list[str] | None:
    """A cycle through questions reached from `node` (depth first, answers in their order), or None."""
    colour[node] = 1
    trail.append(node)
    for target in chart.questions[node].answers.values():
        if target not in chart.questions:
            continue
        if colour.get(target) == 1:
            return trail[trail.index(target) :] + [target]
        if target not in colour:
            found = _cycle_from(chart, target, trail, colour)
            if found:
                return found
    trail.pop()
    colour[node] = 2
    return None


def _data_problems(owner: str, outcome: Outcome) -> list[str]:
    """An outcome that may pass on personal data names the conditions for its sensitive parts: health
    and other special category data (Article 9, with the safeguarding condition where consent is not
    the footing), and criminal offence data (Article 10)."""
    if outcome.passes_on != "personal":
        return []
    needed = [SPECIAL_CATEGORY_REFS[0], CRIMINAL_OFFENCE_REF]
    if outcome.kind != "share_with_consent":
        # Schedule 1 paragraph 18 is for sharing without consent; with consent, Article 9 still applies.
        needed.insert(1, SPECIAL_CATEGORY_REFS[1])
    missing = [ref for ref in needed if ref not in outcome.legal]
    if not missing:
        return []
    return [f"{owner}: may share health or other special category data and criminal offence data, so it must "
            f"cite {', '.join(missing)}"]


def _police_problems(owner: str, texts: tuple[str, ...], legal: tuple[str, ...]) -> list[str]:
    """Text that puts the police beside the public task must also cite the law the police use for law
    enforcement (DPA 2018 Part 3), so no one reads public task as the police's basis for everything."""
    for text in texts:
        lowered = text.lower()
        if "police" in lowered and "public task" in lowered and LAW_ENFORCEMENT_REF not in legal:
            return [f"{owner}: names the police beside the public task, so it must cite {LAW_ENFORCEMENT_REF} "
                    "(police sharing for law enforcement is under DPA 2018 Part 3)"]
    return []


def _shows_duties(chart: Chart, oid: str, outcome: Outcome) -> bool:
    """Whether an outcome is about a child who may be at risk: an emergency, a referral, or where
    'Not sure' at a safety question leads (the consultation)."""
    if outcome.kind in ("emergency", "refer_now"):
        return True
    return any(q.stage == "triage" and q.answers.get("unsure") == oid for q in chart.questions.values())


def _promise_problems(chart: Chart) -> list[str]:
    """The promises checked over every walk (the graph is sound and acyclic by now)."""
    problems: list[str] = []
    walks = chart.walks()
    harm, consent, public_interest = (chart.question_with_role(r) for r in
                                      ("significant_harm", "consent", "public_interest"))
    s47, police = chart.question_with_role("s47_request"), chart.question_with_role("police_request")

    # A request from children's social care during child protection enquiries never ends at 'do not share'.
    for answers, oid in walks:
        if answers.get(s47) == "yes" and chart.outcomes[oid].kind == "do_not_share":
            problems.append(f"question '{s47}' (children's social care asking during child protection enquiries): "
                            f"the answer 'yes' can end at the do_not_share outcome '{oid}'")
            break

    # Below the significant harm threshold, a refusal is respected unless sharing is justified: no walk
    # with No to significant harm and No to consent shares without consent past the public-interest question.
    for answers, oid in walks:
        if (answers.get(harm) == "no" and answers.get(consent) == "no"
                and chart.outcomes[oid].kind == "share_without_consent" and answers.get(public_interest) != "yes"):
            path = " -> ".join(f"{q}:{a}" for q, a in answers.items())
            problems.append(f"outcome '{oid}': reached with No to significant harm and No to consent without Yes "
                            f"at the public-interest question '{public_interest}' ({path})")
            break

    # A police request names the crime exemption and the law the police hold the information under.
    target = chart.questions[police].answers["yes"]
    reached = {oid for answers, oid in walks if answers.get(police) == "yes"} if target in chart.questions else {target}
    for oid in sorted(reached):
        missing = [ref for ref in (CRIME_EXEMPTION_REF, LAW_ENFORCEMENT_REF) if ref not in chart.outcomes[oid].legal]
        if missing and chart.outcomes[oid].passes_on == "personal":
            problems.append(f"outcome '{oid}': answers a police request, so it must cite {', '.join(missing)}")
    return problems


# Someone unsure at a safety question must be sent towards protection now, never told to wait:
# 'Not sure' leads where 'Yes' does, except that a referral may become a consultation with the front
# door now (its out-of-hours team beside it). An emergency never becomes advice.
UNSURE_AT_SAFETY_QUESTION: dict[str, frozenset[str]] = {
    "emergency": frozenset({"emergency"}),
    "refer_now": frozenset({"refer_now", "seek_advice"}),
}
FRONT_DOOR_CONTACTS = frozenset({"front_door", "consultation"})


def _unsure_problems(chart: Chart, qid: str, question: Question) -> list[str]:
    """What is wrong with where 'Not sure' leads from this question."""
    owner = f"question '{qid}'"
    unsure, yes = (chart.outcomes.get(question.answers.get(a, "")) for a in ("unsure", "yes"))
    if unsure is None:
        return []
    if question.stage in ("share", "request"):
        return [] if unsure.kind == "seek_advice" else [f"{owner}: the answer 'unsure' must lead to a seek_advice outcome"]
    allowed = UNSURE_AT_SAFETY_QUESTION.get(yes.kind if yes else "", frozenset())
    if unsure.kind not in allowed:
        return [f"{owner}: at a safety question 'unsure' must lead to {' or '.join(sorted(allowed)) or 'protection'}, "
                f"as 'yes' does, not to {unsure.kind}"]
    if not FRONT_DOOR_CONTACTS & set(unsure.contacts):
        # The out-of-hours team comes with the front door (checked for every outcome).
        return [f"{owner}: at a safety question 'unsure' must lead to an outcome that shows the front door "
                "and the out-of-hours team"]
    return []


def parse_chart(data: object, source: str = "<chart>") -> Chart:
    """Validate already-parsed YAML data and return the chart, or raise ChartError."""
    if not isinstance(data, dict):
        raise ChartError(source, ["the file must hold a mapping at the top level"])
    try:
        chart = Chart.model_validate(data)
    except ValidationError as exc:
        raise ChartError(source, validation_problems(exc, _name_node)) from None
    problems = _problems_in(chart)
    if problems:
        raise ChartError(source, problems)
    return chart


def _name_node(loc: tuple) -> str:
    """A 'node X: ' prefix for pydantic error locations inside questions or outcomes."""
    if len(loc) >= 2 and loc[0] in ("questions", "outcomes"):
        return f"node '{loc[1]}': "
    return ""


def load_chart(path: Path | str = DEFAULT_CHART_PATH) -> Chart:
    """Read and validate a chart file; raise ChartError naming the file on any problem."""
    try:
        data = read_yaml(path)
    except ContentFileError as exc:
        raise ChartError(exc.source, [exc.problem]) from None
    return parse_chart(data, source=str(path))


@functools.cache
def get_chart() -> Chart:
    """The shipped chart, loaded and validated once per process."""
    return load_chart(DEFAULT_CHART_PATH)

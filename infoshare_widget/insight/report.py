"""From grouped counts to the figures people see: suppressed, shared out and labelled. Pure: no
Reflex, no database.

Every figure of a view is one cell of a set of tables that add up (a week's decisions are the sum of
its outcome kinds; an organisation's are part of the partnership's; consent states add up to the
decisions...). All of them go through one suppression (suppress.py) together, so a count below 5
is never shown and cannot be worked out from the others, whichever view or table it is read from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from infoshare_widget.flowchart.chart import OUTCOME_KINDS
from infoshare_widget.records.insight_facts import AFTER_ADVICE, CONSENT_WHY, OTHER_AGENCY, week_of
from infoshare_widget.insight.service import Raw
from infoshare_widget.insight.suppress import THRESHOLD, TOTAL, margins, suppress

NOT_RECORDED = "not_recorded"
NOT_GIVEN = "not_given"
SUPPRESSED_TEXT = f"fewer than {THRESHOLD}"
# Follow-up states of a decision whose check-by date has passed ("open": no result yet, so overdue).
FOLLOW_UP_STATES = ("confirmed", "not_done", "open")
CONSENT_LABELS = {"given": "Consent given", "refused_overridden": "Refused, and overridden",
                  "refused_respected": "Refused, and not shared"}


@dataclass(frozen=True)
class Labels:
    """Names for the codes, from the chart, the details form and the partnership file (in order), and
    what the chart's shape tells a reader (view.labels_for): which outcome kind "Not sure" at each
    question leads straight to, and which kinds a walk can also reach another way. A reader who
    knows the chart can add those up, so the suppression must too."""

    kinds: Mapping[str, str]
    questions: Mapping[str, str]
    agencies: Mapping[str, str]
    lawful_bases: Mapping[str, str]
    unsure_leads_to: Mapping[str, str] = field(default_factory=dict)
    reached_otherwise: frozenset[str] = frozenset(OUTCOME_KINDS)


def weeks_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The Mondays of every week the period touches."""
    first, last = week_of(start), week_of(end)
    return [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def _named(prefix: str, cells: Mapping, relations: Iterable) -> tuple[dict, list]:
    return ({(prefix, *key): v for key, v in cells.items()},
            [((prefix, *total), tuple((prefix, *p) for p in parts)) for total, parts in relations])


def _share(part: int | None, whole: int | None) -> int | None:
    return round(100 * part / whole) if part is not None and whole else None


def _median(histogram: Mapping[int, int]) -> float | None:
    """The median of values given as {value: how many}."""
    n = sum(histogram.values())
    if not n:
        return None
    wanted, seen, found = ((n - 1) // 2, n // 2), 0, []
    for value in sorted(histogram):
        count = histogram[value]
        for position in wanted:
            if seen <= position < seen + count:
                found.append(value)
        seen += count
    return sum(found) / 2


class _Cube:
    """Every cell and relation of a view, and, once suppressed, the published value of each."""

    def __init__(self) -> None:
        self.cells: dict = {}
        self.relations: list = []
        self.hidden: set = set()
        self.nobody: set = set()  # cells of a week or organisation with nothing in it (see suppress)
        self.shown: dict = {}

    def add(self, prefix: str, counts: Mapping[tuple, int], dims: Sequence[Sequence]) -> None:
        cells, relations = margins(counts, dims)
        named_cells, named_relations = _named(prefix, cells, relations)
        self.cells.update(named_cells)
        self.relations.extend(named_relations)

    def group(self, key: tuple, parts: Sequence[tuple]) -> None:
        """A published sum of some cells (such as 'still open' = due today + overdue)."""
        self.cells[key] = sum(self.cells[p] for p in parts)
        self.relations.append((key, tuple(parts)))

    def same(self, a: tuple, b: tuple) -> None:
        """Two cells that are the same number reached two ways."""
        self.relations.append((a, (b,)))

    def settle(self, known=()) -> None:
        withheld = suppress(self.cells, self.relations, self.hidden, known, self.nobody)
        self.shown = {key: (None if key in withheld else value) for key, value in self.cells.items()}

    def cell(self, key: tuple) -> dict:
        value = self.shown[key]
        return {"count": value, "suppressed": value is None}


def build(raw: Raw, *, start: dt.date, end: dt.date, labels: Labels, partnership: bool,
          focus: str | None = None, known_org: str | None = None) -> dict:
    """The published figures of a view: the whole view (focus None) or one of its organisations.
    `known_org`: an organisation whose counts the reader knows (their own).

    Every table goes into one cube before anything is suppressed, so the suppression sees every sum
    a reader could do across them; the steps add their tables in a fixed order."""
    orgs = [org for org, _ in raw.organisations]
    weeks = weeks_between(start, end)
    kinds = list(labels.kinds)
    whys, bases = [*CONSENT_WHY, "unstated"], [*labels.lawful_bases, NOT_RECORDED]
    questions, afters = _questions_counted(raw, labels), [*AFTER_ADVICE, NOT_RECORDED]
    agencies = _agencies_due(raw, labels)
    cube = _Cube()
    _add_outcomes(cube, raw, orgs, weeks, kinds)
    _add_consent_and_basis(cube, raw, labels, orgs, whys, bases)
    _add_unsure(cube, raw, labels, orgs, questions, afters)
    days = _add_follow_up(cube, raw, orgs, agencies)
    if raw.walks is not None:
        _add_walks(cube, raw, labels, kinds, questions)
    cube.settle(known=_known_cells(cube, known_org))
    return _published(cube, raw, o=focus if focus is not None else TOTAL, weeks=weeks, kinds=kinds,
                      labels=labels, states=(whys, bases), questions=questions, afters=afters, agencies=agencies,
                      days=days, start=start, end=end, partnership=partnership)


def _questions_counted(raw: Raw, labels: Labels) -> list[str]:
    """The chart's questions in its order, then any a record still names that the chart has dropped, so
    an old record's Not sure is still counted somewhere."""
    return list(labels.questions) + sorted({q for _, q, _, _ in raw.unsure} - set(labels.questions))


def _agencies_due(raw: Raw, labels: Labels) -> list[str]:
    """Only the agencies with a follow-up due in the view (in the partnership file's order, then Other,
    then those no longer listed, then not given): a list of agencies nobody used would be a column of
    zeros that a total gives away."""
    present = {agency or NOT_GIVEN for _, agency, *_ in raw.follow_up}
    agencies = [a for a in (*labels.agencies, OTHER_AGENCY) if a in present] + sorted(
        a for a in present if a not in labels.agencies and a not in (OTHER_AGENCY, NOT_GIVEN))
    agencies += [NOT_GIVEN] if NOT_GIVEN in present else []
    return agencies


def _add_outcomes(cube: _Cube, raw: Raw, orgs: list[str], weeks: list[dt.date], kinds: list[str]) -> None:
    """Decisions by organisation, week and outcome kind: the table every other one adds up to. A week,
    or an organisation, with no decisions at all is about nobody, so its cells need no protecting."""
    outcomes = Counter()
    for org, week, kind, n in raw.outcomes:
        outcomes[(org, week, kind)] += n
    cube.add("out", outcomes, [orgs, weeks, kinds])
    empty_weeks = {(org, week) for org in [*orgs, TOTAL] for week in [*weeks, TOTAL]
                   if cube.cells[("out", org, week, TOTAL)] == 0}
    cube.nobody.update(key for key in cube.cells if key[0] == "out" and (key[1], key[2]) in empty_weeks)


def _consent_state(given: str | None, why: str | None) -> str:
    """A record's consent as one state; a code no longer offered counts as not recorded (or, for the
    reason consent was not sought, as not chosen), never as text."""
    if given == "not_sought":
        return f"not_sought:{why if why in CONSENT_WHY else 'unstated'}"
    return given if given in CONSENT_LABELS else NOT_RECORDED


def _add_consent_and_basis(cube: _Cube, raw: Raw, labels: Labels, orgs: list[str], whys: list[str],
                           bases: list[str]) -> None:
    """Consent and lawful basis: each adds up to the decisions, and consent sought and not sought are
    published sums of their states, so the suppression is told all three."""
    states = [*CONSENT_LABELS, *(f"not_sought:{w}" for w in whys), NOT_RECORDED]
    consent, basis = Counter(), Counter()
    for org, given, why, n in raw.consent:
        consent[(org, _consent_state(given, why))] += n
    for org, lawful, n in raw.basis:
        basis[(org, lawful if lawful in labels.lawful_bases else NOT_RECORDED)] += n
    cube.add("con", consent, [orgs, states])
    cube.add("basis", basis, [orgs, bases])
    for org in [*orgs, TOTAL]:
        decisions = ("out", org, TOTAL, TOTAL)
        cube.same(decisions, ("con", org, TOTAL))
        cube.same(decisions, ("basis", org, TOTAL))
        cube.group(("con+", org, "sought"), [("con", org, state) for state in CONSENT_LABELS])
        cube.group(("con+", org, "not_sought"), [("con", org, f"not_sought:{w}") for w in whys])


def _add_unsure(cube: _Cube, raw: Raw, labels: Labels, orgs: list[str], questions: list[str],
                afters: list[str]) -> None:
    """Not sure, by organisation, question and what the advice led to. What the advice led to, summed
    over the questions, is never shown; and a reader of the chart knows which outcome each Not sure
    leads to, so those sums go in too."""
    unsure = Counter()
    for org, question, after, n in raw.unsure:
        unsure[(org, question, after if after in AFTER_ADVICE else NOT_RECORDED)] += n
    cube.add("unsure", unsure, [orgs, questions, afters])
    cube.hidden.update(("unsure", org, TOTAL, after) for org in [*orgs, TOTAL] for after in afters)
    for org in [*orgs, TOTAL]:
        _chart_sums(cube, labels, ("out", org, TOTAL), lambda q, org=org: ("unsure", org, q, TOTAL),
                    ("rest", org))


def _add_follow_up(cube: _Cube, raw: Raw, orgs: list[str], agencies: list[str]) -> defaultdict:
    """Follow-ups that were due, by organisation, receiving agency and state; and the days each took to
    be confirmed, by organisation and agency, for the medians (which are not cells: each is shown only
    beside a confirmed count that is)."""
    follow_up, days = Counter(), defaultdict(Counter)
    for org, agency, result, to_result, n in raw.follow_up:
        agency = agency or NOT_GIVEN
        state = result if result in ("confirmed", "not_done") else "open"
        follow_up[(org, agency, state)] += n
        if state == "confirmed" and to_result is not None:
            for who in ((org, agency), (org, TOTAL), (TOTAL, agency), (TOTAL, TOTAL)):
                days[who][to_result] += n
    # With no follow-up due, one empty column stands in, so the totals exist (as zeros).
    cube.add("fu", follow_up, [orgs, agencies or [NOT_GIVEN], FOLLOW_UP_STATES])
    return days


def _add_walks(cube: _Cube, raw: Raw, labels: Labels, kinds: list[str], questions: list[str]) -> None:
    """Walks that ended, recorded or not (partnership-wide: walks carry no organisation): by the kind
    they ended at, and by the question a walk stopped at Not sure, whose total is never shown."""
    walked = Counter({(kind,): n for kind, question, n in raw.walks
                      if question == "" and kind in labels.kinds})
    cube.add("walks", walked, [kinds])
    unsure_walks = Counter()
    for kind, question, n in raw.walks:
        if question:
            unsure_walks[(question,)] += n
    cube.add("walks_unsure", unsure_walks, [questions])
    cube.hidden.add(("walks_unsure", TOTAL))
    _chart_sums(cube, labels, ("walks",), lambda q: ("walks_unsure", q), ("walks_rest",))


def _known_cells(cube: _Cube, known_org: str | None) -> set | tuple:
    """The cells of the reader's own organisation: they can count its records themselves, so those
    cannot be what keeps another organisation's small count hidden."""
    return {key for key in cube.cells if len(key) > 1 and key[1] == known_org} if known_org else ()


def _chart_sums(cube: _Cube, labels: Labels, kind_key: tuple, unsure_key, rest_key: tuple) -> None:
    """A walk ends at its first "Not sure" (when every one leads straight to an outcome), so the
    decisions of a kind are the Not-sure counts of the questions that lead to it, plus those that
    reached it another way (never shown). Tell the suppression, as a reader of the chart could."""
    for kind in labels.kinds:
        questions = [q for q, leads_to in labels.unsure_leads_to.items() if leads_to == kind]
        if not questions:
            continue
        total, parts = (*kind_key, kind), [unsure_key(q) for q in questions]
        if any(part not in cube.cells for part in parts) or total not in cube.cells:
            continue
        if kind in labels.reached_otherwise:
            rest = cube.cells[total] - sum(cube.cells[p] for p in parts)
            if rest < 0:
                continue  # the counts disagree (a record changed behind the service's back): no sum to add
            cube.cells[(*rest_key, kind)] = rest
            cube.hidden.add((*rest_key, kind))
            parts.append((*rest_key, kind))
        elif cube.cells[total] != sum(cube.cells[p] for p in parts):
            continue
        cube.relations.append((total, tuple(parts)))


def _agency_name(agency: str, labels: Labels) -> str:
    if agency in labels.agencies:
        return labels.agencies[agency]
    return {OTHER_AGENCY: "Other", NOT_GIVEN: "Not given"}.get(agency, f"No longer listed ({agency})")


def _published(cube: _Cube, raw: Raw, *, o, weeks, kinds, labels, states, questions, afters, agencies, days,
               start, end, partnership) -> dict:
    whys, bases = states
    total = cube.cell(("out", o, TOTAL, TOTAL))

    def fu_row(agency) -> dict:
        due = cube.cell(("fu", o, agency, TOTAL))
        confirmed = cube.cell(("fu", o, agency, "confirmed"))
        return {
            "due": due, "confirmed": confirmed, "not_done": cube.cell(("fu", o, agency, "not_done")),
            # Due means the check-by date has passed, so whatever is still open is overdue now.
            "open": cube.cell(("fu", o, agency, "open")), "overdue_now": cube.cell(("fu", o, agency, "open")),
            "confirmed_share": _share(confirmed["count"], due["count"]),
            # A median of fewer than 5 days could single out one decision: shown only with its count.
            "median_days_to_confirm": None if confirmed["suppressed"] else _median(days.get((o, agency), {})),
        }

    names = dict(raw.organisations)
    report = {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "scope": "partnership" if partnership else "organisation",
        "organisation": {"id": o, "name": names[o]} if o != TOTAL else None,
        "threshold": THRESHOLD,
        "decisions": total,
        "outcomes": [{"kind": k, "label": labels.kinds[k], **cube.cell(("out", o, TOTAL, k)),
                      "share": _share(cube.shown[("out", o, TOTAL, k)], total["count"])} for k in kinds],
        "weeks": [{"week": w.isoformat(), "total": cube.cell(("out", o, w, TOTAL)),
                   "kinds": {k: cube.cell(("out", o, w, k)) for k in kinds}} for w in weeks],
        "unsure": [{"question": q, "text": labels.questions.get(q, q), **cube.cell(("unsure", o, q, TOTAL)),
                    "led_to": [{"after": a, "label": AFTER_ADVICE.get(a, "Not recorded"),
                                **cube.cell(("unsure", o, q, a))} for a in afters]} for q in questions],
        "follow_up": {**fu_row(TOTAL),
                      "by_agency": [{"agency": a, "name": _agency_name(a, labels), **fu_row(a)} for a in agencies]},
        "consent": [
            {"state": "sought", "label": "Consent sought", **cube.cell(("con+", o, "sought"))},
            *({"state": state, "label": label, **cube.cell(("con", o, state))} for state, label in CONSENT_LABELS.items()),
            {"state": "not_sought", "label": "Consent not sought", **cube.cell(("con+", o, "not_sought"))},
            *({"state": f"not_sought:{w}", "label": "Not sought: " + CONSENT_WHY.get(w, "reason not chosen").lower()
               if w in CONSENT_WHY else "Not sought: reason not chosen", **cube.cell(("con", o, f"not_sought:{w}"))}
              for w in whys),
            {"state": NOT_RECORDED, "label": "Not recorded", **cube.cell(("con", o, NOT_RECORDED))},
        ],
        "lawful_basis": [{"basis": b, "label": labels.lawful_bases.get(b, "Not recorded"), **cube.cell(("basis", o, b))}
                         for b in bases],
        "organisations": [{"id": org, "name": name, "decisions": cube.cell(("out", org, TOTAL, TOTAL))}
                          for org, name in raw.organisations] if partnership else [],
        "walks": None,
    }
    if raw.walks is not None:
        walks_total = cube.cell(("walks", TOTAL))
        report["walks"] = {
            "total": walks_total,
            "outcomes": [{"kind": k, "label": labels.kinds[k], **cube.cell(("walks", k))} for k in kinds],
            "unsure": [{"question": q, "text": labels.questions.get(q, q), **cube.cell(("walks_unsure", q)),
                        "share": _share(cube.shown[("walks_unsure", q)], walks_total["count"])} for q in questions],
        }
    return report

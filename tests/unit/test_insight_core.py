"""The insight cores, table-driven: facts from a record, the published report, the page's form, and
what the browser may send about walks."""

from __future__ import annotations

import datetime as dt

import pytest

from infoshare_widget.flowchart.chart import OUTCOME_LABELS, get_chart
from infoshare_widget.records.insight_facts import fact_of, week_of
from infoshare_widget.insight.report import Labels, _median, build, weeks_between
from infoshare_widget.insight.pages_view_model import ALL, check_choice, default_choice
from infoshare_widget.insight.service import Raw
from infoshare_widget.insight.tables_view_model import tables
from infoshare_widget.insight.walks import WalkError, check_walks
from infoshare_widget.records.details import CONSENT, LAWFUL_BASES

CHART = get_chart()
LABELS = Labels(kinds=OUTCOME_LABELS, questions={q: v.short for q, v in CHART.questions.items()},
                agencies={"police": "Police"}, lawful_bases=LAWFUL_BASES)
UTC = dt.UTC


@pytest.mark.parametrize("values, median", [
    ({}, None), ({4: 1}, 4), ({1: 1, 3: 1}, 2), ({3: 1, 4: 1, 5: 1, 6: 1, 10: 1}, 5), ({1: 3, 9: 2}, 1),
    ({2: 2, 8: 2}, 5), ({0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 20: 1}, 3.5),
])
def test_median_from_a_histogram(values, median):
    assert _median(values) == median


@pytest.mark.parametrize("created, day, week", [
    (dt.datetime(2026, 11, 2, 0, 30, tzinfo=UTC), dt.date(2026, 11, 2), dt.date(2026, 11, 2)),
    # 23:30 UTC on a summer Sunday is Monday 00:30 in the UK: the UK day and week count.
    (dt.datetime(2026, 7, 5, 23, 30, tzinfo=UTC), dt.date(2026, 7, 6), dt.date(2026, 7, 6)),
    (dt.datetime(2026, 11, 8, 23, 30, tzinfo=UTC), dt.date(2026, 11, 8), dt.date(2026, 11, 2)),
])
def test_a_fact_counts_the_uk_day_and_its_monday(created, day, week):
    fact = fact_of(created_at=created, outcome_kind="refer_now", path=[], amendments=[], lawful_bases=LAWFUL_BASES,
                   consents=CONSENT)
    assert (fact.day, fact.week) == (day, week) and week_of(day) == week


def test_a_fact_keeps_codes_only_and_the_latest_details_and_follow_up():
    created = dt.datetime(2026, 11, 2, 10, tzinfo=UTC)
    amendments = [
        ("details", created, {"recipient_agency": "police", "consent": "not_sought", "consent_why": "danger",
                              "lawful_basis": "public_task", "description": "Jo Bloggs, 3 Acacia Ave"}, None),
        ("details", created, {"lawful_basis": "made up", "consent_why": "because I said so",
                              "after_advice": "shared"}, dt.date(2026, 11, 9)),
        ("follow_up", created + dt.timedelta(days=4), {"result": "not_done"}, None),
        ("follow_up", created + dt.timedelta(days=6), {"result": "confirmed", "note": "Jo Bloggs"}, None),
    ]
    path = [{"id": "immediate_danger", "answer": "no"}, {"id": "significant_harm", "answer": "unsure"}]
    fact = fact_of(created_at=created, outcome_kind="seek_advice", path=path, amendments=amendments,
                   lawful_bases=LAWFUL_BASES, consents=CONSENT)
    # A value that is not a code from the list is dropped, never kept as text.
    assert (fact.agency, fact.consent, fact.consent_why, fact.lawful_basis) == ("police", "not_sought", None, None)
    assert (fact.after_advice, fact.check_by, fact.follow_up, fact.days_to_result) == (
        "shared", dt.date(2026, 11, 9), "confirmed", 6)
    assert fact.unsure == ("significant_harm",)
    assert "Jo Bloggs" not in repr(fact)


def _raw(**kwargs) -> Raw:
    raw = Raw(organisations=[("trust-a", "Trust A")])
    for name, value in kwargs.items():
        setattr(raw, name, value)
    return raw


def test_a_median_is_shown_beside_a_count_that_is_shown():
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 8)
    rows = [("trust-a", "police", "confirmed", days, 1) for days in (1, 2, 3, 4, 5, 6, 20)]
    rows += [("trust-a", "police", None, None, 6), ("trust-a", "police", "not_done", None, 5)]
    # A second agency, so no column is one agency's alone (the rest would then be known to be 0).
    rows += [("trust-a", "other", "confirmed", 9, 6), ("trust-a", "other", None, None, 8),
             ("trust-a", "other", "not_done", None, 9)]
    report = build(_raw(outcomes=[("trust-a", start, "refer_now", 41)], follow_up=rows,
                        consent=[("trust-a", None, None, 41)], basis=[("trust-a", None, 41)]), start=start, end=end,
                   labels=LABELS, partnership=False, focus="trust-a")
    police = next(a for a in report["follow_up"]["by_agency"] if a["agency"] == "police")
    assert police["confirmed"]["count"] == 7 and police["median_days_to_confirm"] == 4
    assert police["confirmed_share"] == round(100 * 7 / 18)
    # All agencies: 13 confirmed after 1, 2, 3, 4, 5, 6, 20 and six times 9 days: the median is 9.
    assert report["follow_up"]["confirmed"]["count"] == 13 and report["follow_up"]["median_days_to_confirm"] == 9


def test_every_count_below_5_reads_fewer_than_5_and_no_share_is_worked_from_one():
    start = dt.date(2026, 11, 2)
    report = build(_raw(outcomes=[("trust-a", start, "refer_now", 9), ("trust-a", start, "emergency", 3)],
                        consent=[("trust-a", "given", None, 12)], basis=[("trust-a", "public_task", 12)]),
                   start=start, end=start, labels=LABELS, partnership=False, focus="trust-a")
    by_kind = {o["kind"]: o for o in report["outcomes"]}
    assert by_kind["emergency"] == {**by_kind["emergency"], "count": None, "suppressed": True, "share": None}
    rows = {r["outcome"]: r for r in tables(report)["outcomes"].rows}
    assert rows["Emergency"]["decisions"] == "fewer than 5" and rows["Emergency"]["share"] == "not shown"
    assert rows["All decisions"]["decisions"] == "12"
    # 12 - 9 leaves 3 shared among the emergency count and the zeros: no one count can be worked out.
    assert rows["Refer now"]["decisions"] == "9"


@pytest.mark.parametrize("start, end, weeks", [
    (dt.date(2026, 11, 2), dt.date(2026, 11, 8), 1),
    (dt.date(2026, 11, 4), dt.date(2026, 11, 10), 2),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31), 53),
])
def test_weeks_between(start, end, weeks):
    found = weeks_between(start, end)
    assert len(found) == weeks and all(w.weekday() == 0 for w in found)


TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("form, partnership, errors", [
    ({"from": "2026-11-01", "to": "2026-11-30"}, False, {}),
    ({"from": "", "to": "2026-11-30"}, False, {"from": "Enter the start date"}),
    ({"from": "2026-02-30", "to": "2026-11-30"}, False, {"from": "The start date must be a real date"}),
    ({"from": "30/11/2026", "to": "2026-11-30"}, False, {"from": "The start date must be a real date"}),
    ({"from": "2026-11-30", "to": "2026-11-01"}, False, {"to": "The end date must be the same as or after the start date"}),
    ({"from": "2020-01-01", "to": "2026-11-30"}, False, {"to": "The period must be 2 years or shorter"}),
    ({"from": "2026-11-01", "to": "2026-11-30", "show": ALL}, False,
     {"show": "Choose your own organisation: the partnership view is not open to you"}),
    ({"from": "2026-11-01", "to": "2026-11-30", "show": ALL}, True, {}),
    ({"from": ["x"], "to": None}, False, {"from": "Enter the start date", "to": "Enter the end date"}),
])
def test_the_period_form(form, partnership, errors):
    checked = check_choice(form, TODAY, may_partnership=partnership)
    assert checked.errors == errors
    assert (checked.choice is None) == bool(errors)


def test_the_default_period_is_the_last_13_whole_weeks():
    choice = default_choice(TODAY)  # Monday 7 December 2026
    assert (choice.start, choice.end) == (dt.date(2026, 9, 7), dt.date(2026, 12, 6))


@pytest.mark.parametrize("start, end, today, shown", [
    # Widened to whole weeks, and cut at last Sunday (a week under way is not shown).
    (dt.date(2026, 11, 4), dt.date(2026, 11, 18), dt.date(2026, 12, 7), (dt.date(2026, 11, 2), dt.date(2026, 11, 22))),
    (dt.date(2026, 11, 2), dt.date(2026, 12, 7), dt.date(2026, 12, 7), (dt.date(2026, 11, 2), dt.date(2026, 12, 6))),
    (dt.date(2026, 11, 30), dt.date(2026, 12, 6), dt.date(2026, 12, 6), None),  # a week still under way
])
def test_a_period_is_shown_as_the_whole_weeks_that_have_ended(start, end, today, shown):
    from infoshare_widget.insight.service import PeriodError, ended_weeks

    if shown is None:
        with pytest.raises(PeriodError, match="whole weeks that have ended"):
            ended_weeks(start, end, today)
    else:
        assert ended_weeks(start, end, today) == shown


@pytest.mark.parametrize("start, end, ok", [
    (dt.date(2024, 1, 1), dt.date(2025, 12, 31), True),
    (dt.date(2024, 1, 1), dt.date(2026, 1, 1), False),
    (dt.date(2025, 1, 1), dt.date(2027, 1, 1), False),  # 731 days, and over two years
    (dt.date(2024, 2, 29), dt.date(2026, 2, 27), True),
])
def test_two_years_is_two_calendar_years(start, end, ok):
    from infoshare_widget.insight.service import PeriodError, check_period

    if ok:
        check_period(start, end)
    else:
        with pytest.raises(PeriodError):
            check_period(start, end)


@pytest.mark.parametrize("body, problem", [
    ({"walks": [{"kind": "refer_now", "unsure": []}]}, None),
    ({"walks": [{"kind": "seek_advice", "unsure": ["consent"]}] * 50}, None),
    ({"walks": [{"kind": "seek_advice", "unsure": ["consent"]}] * 51}, "from 1 to 50"),
    ({"walks": []}, "from 1 to 50"),
    ([], "nothing else"),
    ({"walks": [], "at": "2026-12-07T10:00"}, "nothing else"),
    ({"walks": [{"kind": "refer_now", "unsure": [], "answers": {}}]}, '"kind" and "unsure" only'),
    ({"walks": [{"kind": "refer_now"}]}, '"kind" and "unsure" only'),
    ({"walks": [{"kind": "whatever", "unsure": []}]}, "unknown outcome kind"),
    ({"walks": [{"kind": "seek_advice", "unsure": ["nope"]}]}, "unknown question"),
    ({"walks": [{"kind": "seek_advice", "unsure": ["consent", "consent"]}]}, "different question ids"),
    ({"walks": [{"kind": "seek_advice", "unsure": "consent"}]}, "different question ids"),
    ({"walks": [{"kind": "seek_advice", "unsure": [1]}]}, "unknown question"),
])
def test_what_the_browser_may_send_about_walks(body, problem):
    if problem is None:
        assert check_walks(body, CHART)
    else:
        with pytest.raises(WalkError, match=problem):
            check_walks(body, CHART)


def test_consent_sought_adds_given_and_both_kinds_of_refusal():
    start = dt.date(2026, 11, 2)
    report = build(_raw(outcomes=[("trust-a", start, "refer_now", 30)],
                        consent=[("trust-a", "given", None, 10), ("trust-a", "refused_overridden", None, 6),
                                 ("trust-a", "refused_respected", None, 7), ("trust-a", "not_sought", "danger", 7)],
                        basis=[("trust-a", "public_task", 30)]),
                   start=start, end=start, labels=LABELS, partnership=False, focus="trust-a")
    consent = {c["state"]: c["count"] for c in report["consent"]}
    assert consent["sought"] == 23 and consent["refused_respected"] == 7 and consent["not_recorded"] is None
    # 30 - 23 - 7 would give the 0 not recorded away: so "not sought" (or its one reason) is hidden.
    assert {consent["not_sought"], consent["not_sought:danger"]} == {None, 7}


def test_hidden_parts_that_could_only_be_0_take_another_part_with_them():
    from infoshare_widget.insight.suppress import margins, suppress

    # 20 = 10 + 10 + three hidden: those could only be 0, so one of the 10s is hidden too.
    cells, relations = margins({("a",): 10, ("b",): 10, ("c",): 0, ("d",): 0, ("e",): 0},
                               [["a", "b", "c", "d", "e"]])
    hidden = suppress(cells, relations)
    assert {("c",), ("d",), ("e",)} < hidden and len(hidden & {("a",), ("b",)}) == 1
    # Not when what is hidden adds up to 5 or more.
    cells, relations = margins({("a",): 10, ("b",): 10, ("c",): 3, ("d",): 2, ("e",): 0},
                               [["a", "b", "c", "d", "e"]])
    assert suppress(cells, relations) == {("c",), ("d",), ("e",)}


def test_what_the_reader_counts_for_themselves_does_not_give_away_another_organisation():
    from infoshare_widget.insight.suppress import margins, suppress

    # Two organisations: A has 7, B has 2. B's 2 is hidden; A's 7 and the total 9 would give it away,
    # and so would the total alone to a reader from A (who can count their own 7).
    cells, relations = margins({("A",): 7, ("B",): 2}, [["A", "B"]])
    plain = suppress(cells, relations)
    assert ("B",) in plain and len(plain) == 2
    from_a = suppress(cells, relations, known=[("A",)])
    assert ("B",) in from_a and (("*",) in from_a)


def test_not_sure_counts_add_up_to_the_advice_decisions_and_the_suppression_knows_it():
    from infoshare_widget.insight.figures_view_model import labels_for
    from infoshare_widget.base.settings import EXAMPLE_PARTNERSHIP_FILE, load_partnership

    labels = labels_for(CHART, load_partnership(EXAMPLE_PARTNERSHIP_FILE))
    # Every "Not sure" ends the walk: advice decisions are the sum of the Not-sure counts of the
    # questions that lead to advice. With 5 or more at every other one, the total less theirs would
    # give the 2 away.
    start = dt.date(2026, 11, 2)
    to_advice = [q for q, kind in labels.unsure_leads_to.items() if kind == "seek_advice"]
    assert {"significant_harm", "asked_by_social_care", "public_interest", "other_basis"} <= set(to_advice)
    counts = {q: 5 + n for n, q in enumerate(to_advice) if q != "other_basis"} | {"other_basis": 2}
    total = sum(counts.values())
    report = build(_raw(outcomes=[("trust-a", start, "seek_advice", total), ("trust-a", start, "refer_now", 20)],
                        unsure=[("trust-a", q, None, n) for q, n in counts.items()],
                        consent=[("trust-a", None, None, total + 20)], basis=[("trust-a", None, total + 20)]),
                   start=start, end=start, labels=labels, partnership=False, focus="trust-a")
    unsure = {u["question"]: u for u in report["unsure"]}
    assert unsure["other_basis"]["suppressed"]
    seek = next(o for o in report["outcomes"] if o["kind"] == "seek_advice")
    hidden = [q for q in counts if unsure[q]["suppressed"]] + (["total"] if seek["suppressed"] else [])
    assert len(hidden) >= 2, "the 2 could be worked out from the advice decisions"


def test_a_weeks_bar_shows_the_kinds_not_shown_as_one_segment():
    from infoshare_widget.insight.tables_view_model import HIDDEN_KINDS, chart_data

    start = dt.date(2026, 11, 2)
    report = build(_raw(outcomes=[("trust-a", start, "refer_now", 20)], consent=[("trust-a", None, None, 20)],
                        basis=[("trust-a", None, 20)]), start=start, end=start + dt.timedelta(days=6),
                   labels=LABELS, partnership=False, focus="trust-a")
    week = report["weeks"][0]
    # 20 referrals and nothing else: the 20 would say the other kinds are 0, so it is hidden...
    assert week["kinds"]["refer_now"]["suppressed"] and week["total"]["count"] == 20
    # ...and the bar still stands 20 high, as kinds not shown.
    bar = chart_data(report)["weeks"][0]
    assert bar[HIDDEN_KINDS] == 20 and bar["refer_now"] == 0


def test_a_week_with_no_decisions_does_not_hide_the_weeks_that_had_some():
    start = dt.date(2026, 11, 2)
    report = build(_raw(outcomes=[("trust-a", start, "refer_now", 12), ("trust-a", start, "emergency", 8)],
                        consent=[("trust-a", None, None, 20)], basis=[("trust-a", None, 20)]),
                   start=start, end=start + dt.timedelta(days=13), labels=LABELS, partnership=False, focus="trust-a")
    first, second = report["weeks"]
    # 20 = 20 + the empty second week: that it had none is about nobody, so the 20 stays.
    assert first["total"]["count"] == 20 and second["total"]["suppressed"]
    # Kinds are another matter: the other five kinds (all 0) are protected, so one of the 12 and 8 goes.
    shown = [k for k, c in first["kinds"].items() if not c["suppressed"]]
    assert len(shown) == 1


WEEK = dt.date(2026, 11, 2)
_FORTY = {"outcomes": [("trust-a", WEEK, "refer_now", 40)], "consent": [("trust-a", None, None, 40)],
          "basis": [("trust-a", None, 40)]}


# How a report names and orders what it counts, whatever the counts: codes it no longer offers,
# agencies and questions no longer listed, and the walks where they are not counted.
NAMED = [
    ("agencies in the partnership's order, then Other, then those no longer listed, then not given",
     {"follow_up": [("trust-a", a, "confirmed", 3, 6) for a in ("zeta", "police", None, "other", "alpha")]},
     lambda r: [(a["agency"], a["name"]) for a in r["follow_up"]["by_agency"]],
     [("police", "Police"), ("other", "Other"), ("alpha", "No longer listed (alpha)"),
      ("zeta", "No longer listed (zeta)"), ("not_given", "Not given")]),
    ("no follow-up due: no agency rows", {}, lambda r: r["follow_up"]["by_agency"], []),
    ("questions no longer in the chart come after its own, by id",
     {"unsure": [("trust-a", "zz_old", None, 6), ("trust-a", "aa_old", "shrugged", 6), ("trust-a", "consent", None, 6)]},
     lambda r: [(u["question"], u["text"]) for u in r["unsure"]][-3:],
     [("other_basis", CHART.questions["other_basis"].short), ("aa_old", "aa_old"), ("zz_old", "zz_old")]),
    ("a consent code not offered is not recorded, and a reason not offered is not chosen",
     {"consent": [("trust-a", "made_up", None, 10), ("trust-a", "not_sought", "weird", 10),
                  ("trust-a", "not_sought", "danger", 10), ("trust-a", "given", None, 10)]},
     lambda r: {c["state"]: c["count"] for c in r["consent"] if c["state"] in ("not_sought:unstated", "not_recorded")},
     {"not_sought:unstated": 10, "not_recorded": 10}),
    ("walks not counted", {}, lambda r: r["walks"], None),
    ("walks counted: only walks that ended, at a kind the chart has",
     {"walks": [("refer_now", "", 30), ("seek_advice", "consent", 7), ("seek_advice", "", 7), ("made_up", "", 9)]},
     lambda r: (r["walks"]["total"], next(u for u in r["walks"]["unsure"] if u["question"] == "consent")["count"]),
     ({"count": 37, "suppressed": False}, 7)),
]


@pytest.mark.parametrize(("case", "changes", "read", "expected"), NAMED, ids=[n[0] for n in NAMED])
def test_a_report_names_and_orders_what_it_counts(case, changes, read, expected):
    report = build(_raw(**{**_FORTY, **changes}), start=WEEK, end=WEEK, labels=LABELS, partnership=False,
                   focus="trust-a")
    assert read(report) == expected

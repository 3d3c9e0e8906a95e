"""Benchmark: the insight figures at 500,000 records, on SQLite and PostgreSQL.

The fact tables are filled as 500,000 records over two years in ten organisations would fill them:
each fact is derived by the same `fact_of` the service uses, from a random path of the chart and
random details and follow-ups (a quarter of the records have a check-by date, most of those a
result), and the weekly counts are then written from the facts as a rebuild does. The records
themselves are not written: the insight queries never read them.

Prints, median and p95 over 15 looks, for three views:
- one organisation, the last 13 weeks (the page's default);
- one organisation, two years;
- the partnership, every organisation, two years (all 500,000);
the time of the grouped queries alone (target: under 200 ms), and of the whole view (queries,
suppression over every table of the view, and building the figures).
"""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid

from sqlalchemy import insert, text
from sqlmodel import Session

from bench.flowchart import percentile
from bench.records import on_each_database
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.engine import all_paths
from infoshare_widget.records.insight_facts import AFTER_ADVICE, CONSENT_WHY, fact_of
from infoshare_widget.insight.report import build
from infoshare_widget.insight.service import gather
from infoshare_widget.records.insight_store import count_weeks
from infoshare_widget.insight.figures_view_model import labels_for
from infoshare_widget.base.db import make_engine, upgrade
from infoshare_widget.records.details import CONSENT, LAWFUL_BASES
from infoshare_widget.records.models import InsightFact, InsightUnsure
from infoshare_widget.base.acting import ensure_organisation
from infoshare_widget.base.settings import load_partnership, EXAMPLE_PARTNERSHIP_FILE

BIG = 500_000
ORGS = [f"org-{n:02d}" for n in range(10)]
END = dt.date(2026, 11, 30)
START = END - dt.timedelta(days=729)
LOOKS = 15


def fill(engine, count: int) -> None:
    """Facts for `count` records, written in bulk."""
    chart = get_chart()
    partnership = load_partnership(EXAMPLE_PARTNERSHIP_FILE)
    agencies = [a.id for a in partnership.agencies] + ["other"]
    paths = [(answers, outcome) for answers, outcome in all_paths(chart)]
    rng = random.Random(11)
    seconds = int((END - START).days * 86400)
    facts, unsure = [], []
    with Session(engine) as session:
        for i in range(count):
            answers, outcome = rng.choice(paths)
            created = dt.datetime.combine(START, dt.time(), tzinfo=dt.UTC) + dt.timedelta(seconds=rng.randrange(seconds))
            amendments = []
            if rng.random() < 0.6:
                check_by = (created + dt.timedelta(days=rng.randint(2, 30))).date() if rng.random() < 0.4 else None
                amendments.append(("details", created, {
                    "recipient_agency": rng.choice(agencies), "lawful_basis": rng.choice(list(LAWFUL_BASES)),
                    "consent": rng.choice(list(CONSENT)), "consent_why": rng.choice(list(CONSENT_WHY)),
                    "after_advice": rng.choice(list(AFTER_ADVICE))}, check_by))
                if check_by and rng.random() < 0.7:
                    amendments.append(("follow_up", created + dt.timedelta(days=rng.randint(1, 40)),
                                       {"result": "confirmed" if rng.random() < 0.8 else "not_done"}, None))
            fact = fact_of(created_at=created, outcome_kind=chart.outcomes[outcome].kind,
                           path=[{"id": q, "answer": a} for q, a in answers.items()], amendments=amendments,
                           lawful_bases=LAWFUL_BASES, consents=CONSENT)
            record_id, org = uuid.uuid4().hex, ORGS[i % len(ORGS)]
            facts.append({"record_id": record_id, "org_id": org, **fact.columns()})
            unsure.extend({"record_id": record_id, "question": q, "org_id": org, "day": fact.day,
                           "after_advice": fact.after_advice} for q in fact.unsure)
            if len(facts) >= 20_000:
                session.execute(insert(InsightFact), facts)
                if unsure:
                    session.execute(insert(InsightUnsure), unsure)
                facts, unsure = [], []
        if facts:
            session.execute(insert(InsightFact), facts)
        if unsure:
            session.execute(insert(InsightUnsure), unsure)
        count_weeks(session)  # the weekly counts, as a rebuild writes them
        session.commit()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))


def looks(engine, orgs: list[str], start: dt.date, partnership: bool) -> tuple[list[float], list[float]]:
    """Times (ms) of the queries alone, and of the whole view."""
    labels = labels_for(get_chart(), load_partnership(EXAMPLE_PARTNERSHIP_FILE))
    queries, whole = [], []
    with Session(engine) as session:
        for n in range(LOOKS + 1):
            began = time.perf_counter()
            raw = gather(session=session, org_ids=orgs, start=start, end=END, today=END)
            asked = time.perf_counter()
            raw.organisations = [(org, org.title()) for org in orgs]
            report = build(raw, start=start, end=END, labels=labels, partnership=partnership)
            done = time.perf_counter()
            session.commit()
            assert report["decisions"]["count"]
            if n:  # the first look warms the caches
                queries.append((asked - began) * 1000)
                whole.append((done - began) * 1000)
    return queries, whole


def fmt(values: list[float]) -> str:
    ordered = sorted(values)
    return f"median {ordered[len(ordered) // 2]:7.1f} ms   p95 {percentile(values, 95):7.1f} ms"


def run(name: str, url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        for org in ORGS:
            ensure_organisation(session=session, org_id=org, name=org.title())
    started = time.perf_counter()
    fill(engine, BIG)
    print(f"{name}: facts of {BIG:,} records written in {time.perf_counter() - started:.0f} s")
    views = (("one organisation, 13 weeks", ORGS[:1], END - dt.timedelta(weeks=13) + dt.timedelta(days=1), False),
             ("one organisation, 2 years", ORGS[:1], START, False),
             ("partnership (10 organisations), 2 years", ORGS, START, True))
    for label, orgs, start, partnership in views:
        queries, whole = looks(engine, orgs, start, partnership)
        print(f"  {label:42} queries {fmt(queries)}   whole view {fmt(whole)}   (target: queries < 200 ms)")
    engine.dispose()


def main() -> None:
    on_each_database(run)


if __name__ == "__main__":
    main()

"""Benchmark: records saved per second through the service, and one page of the list at 500,000.

Prints, for SQLite and for PostgreSQL (INFOSHARE_TEST_POSTGRES_URL, default the local server's
`test` database; skipped with a notice when it cannot be reached):
- records saved per second by record_decision (each a transaction that locks the chain head),
  from one writer and from four at once;
- the time to read one page of 20 from a table of 500,000 records (median and p95 over 30 reads):
  the newest page, a page filtered by outcome, and a page by case reference. Target: under 50 ms.
The 500,000 rows are written in bulk with real chain hashes, not through the one-at-a-time service.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlmodel import Session

from bench.flowchart import percentile
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.engine import all_paths
from infoshare_widget.records.chain import link_hash
from infoshare_widget.base.db import make_engine, upgrade
from infoshare_widget.base.models import ChainHead
from infoshare_widget.records.models import DecisionRecord, RecordAmendment
from infoshare_widget.base.acting import Actor, ensure_organisation
from infoshare_widget.records.service import (
    RecordFilter,
    amendment_content,
    list_records,
    new_reference,
    record_content,
    record_decision,
)

BIG = 500_000
BIG_LEAD = Actor("big", "Bench lead", "Bench", access="lead")
POSTGRES_URL = os.environ.get("INFOSHARE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def saved_per_second(engine, writers: int, each: int) -> float:
    chart = get_chart()
    answers = {"immediate_danger": "no", "significant_harm": "yes"}

    def write(n: int) -> None:
        with Session(engine) as session:
            actor = Actor("bench", f"Writer {n}", "Bench")
            for _ in range(each):
                record_decision(session=session, actor=actor, chart=chart, answers=answers)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return writers * each / (time.perf_counter() - start)


def fill(engine, count: int) -> None:
    """Write `count` records (and a details amendment for every tenth) in bulk, chained."""
    chart = get_chart()
    paths = [(answers, outcome) for answers, outcome in all_paths(chart)]
    rng = random.Random(7)
    with Session(engine) as session:
        head = session.get(ChainHead, "big")
        seq, prev = head.seq, head.hash
        start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        records, amendments = [], []
        references = {r for (r,) in session.exec(text("SELECT reference FROM decision_record")).all()}
        for i in range(count):
            answers, outcome = rng.choice(paths)
            reference = new_reference()
            while reference in references:
                reference = new_reference()
            references.add(reference)
            seq += 1
            record = DecisionRecord(
                id=uuid.uuid4().hex, reference=reference, org_id="big",
                created_at=start + dt.timedelta(minutes=i), recorded_by="Bench", recorded_role="Bench",
                outcome_id=outcome, outcome_kind=chart.outcomes[outcome].kind, chart_version=chart.version,
                path_json=json.dumps([{"id": k, "answer": v} for k, v in answers.items()]), seq=seq,
                prev_hash=prev, hash="",
            )
            record.hash = prev = link_hash(record_content(record), record.prev_hash)
            records.append(record.model_dump())
            if i % 10 == 0:
                seq += 1
                amendment = RecordAmendment(
                    id=uuid.uuid4().hex, record_id=record.id, org_id="big", kind="details",
                    created_at=record.created_at, author="Bench", author_role="Bench",
                    data_json="{}", case_reference=f"CR-{i}", check_by=None, seq=seq, prev_hash=prev, hash="",
                )
                amendment.hash = prev = link_hash(amendment_content(amendment), amendment.prev_hash)
                amendments.append(amendment.model_dump())
            if len(records) >= 20_000:
                session.execute(insert(DecisionRecord), records)
                if amendments:
                    session.execute(insert(RecordAmendment), amendments)
                records, amendments = [], []
        if records:
            session.execute(insert(DecisionRecord), records)
        if amendments:
            session.execute(insert(RecordAmendment), amendments)
        head = session.get(ChainHead, "big")
        head.seq, head.hash = seq, prev
        session.add(head)
        session.commit()
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def page_times(engine, filters: RecordFilter, page: int = 1, reads: int = 30) -> list[float]:
    times = []
    with Session(engine) as session:
        list_records(session=session, actor=BIG_LEAD, filters=filters, page=page)
        for _ in range(reads):
            start = time.perf_counter()
            result = list_records(session=session, actor=BIG_LEAD, filters=filters, page=page)
            times.append((time.perf_counter() - start) * 1000)
            assert result.items
    return times


def fmt(values: list[float]) -> str:
    return f"median {statistics.median(values):6.2f} ms   p95 {percentile(values, 95):6.2f} ms"


def run(name: str, url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        ensure_organisation(session=session, org_id="bench", name="Bench")
        ensure_organisation(session=session, org_id="big", name="Big")
    print(f"{name}")
    print(f"  records saved per second, 1 writer     {saved_per_second(engine, 1, 300):7.0f}")
    print(f"  records saved per second, 4 writers    {saved_per_second(engine, 4, 150):7.0f}")
    started = time.perf_counter()
    fill(engine, BIG)
    print(f"  wrote {BIG:,} records in bulk in {time.perf_counter() - started:.0f} s")
    print(f"  list, newest page of 20                {fmt(page_times(engine, RecordFilter()))}   (target < 50 ms)")
    print(f"  list, page 50                          {fmt(page_times(engine, RecordFilter(), page=50))}")
    print(f"  list, filtered by outcome              {fmt(page_times(engine, RecordFilter(outcome_kind='refer_now')))}")
    print(f"  list, by case reference                {fmt(page_times(engine, RecordFilter(case_reference='CR-250000')))}")
    engine.dispose()


def on_each_database(run) -> None:
    """Run `run(name, url)` on a fresh SQLite file, then on a throw-away PostgreSQL database (skipped
    with a notice when the server cannot be reached)."""
    with tempfile.TemporaryDirectory(prefix="infoshare-bench-") as work:
        run("SQLite (WAL)", f"sqlite:///{Path(work) / 'bench.db'}")
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"infoshare_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL: skipped, not reachable ({type(exc).__name__})")
        return
    try:
        run("PostgreSQL", POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    on_each_database(run)


if __name__ == "__main__":
    main()

"""Exports of an organisation's records as CSV and JSON, streamed. Takes a session; no Reflex.

Rows come from the database in keyset batches (records_after), each batch in its own short
database session, and go out as they are made: memory stays flat however many records there are,
and nothing passes through the websocket. Used by the records page's export buttons
(POST /api/v1/session/records/export) and by the API's records.csv.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator

from sqlmodel import Session

from infoshare_widget.csv_safety import safe_cell
from infoshare_widget.records.service import RecordFilter, records_after

CSV_COLUMNS = ("reference", "created_at", "outcome_kind", "outcome_id", "recorded_by", "recorded_role",
               "case_reference", "check_by", "follow_up", "chart_version", "id")
MAX_EXPORT_ROWS = 50_000
BATCH = 500


def iter_rows(*, sessions: Callable[[], Session], org_id: str, filters: RecordFilter, limit: int = MAX_EXPORT_ROWS,
              batch: int = BATCH) -> Iterator[dict]:
    """Every record matching the filters, newest first, as dicts (at most `limit`)."""
    after = None
    sent = 0
    while sent < limit:
        with sessions() as session:
            views = records_after(session=session, org_id=org_id, filters=filters, after=after,
                                  limit=min(batch, limit - sent))
        for view in views:
            yield view.as_dict()
        sent += len(views)
        if len(views) < batch:
            return
        last = views[-1].record
        after = (last.created_at, last.seq)


def _csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue()


def csv_chunks(rows: Iterator[dict]) -> Iterator[str]:
    """The rows as CSV, a header then a line per record; cells a spreadsheet would run as formulas
    are neutralised."""
    yield _csv_line(list(CSV_COLUMNS))
    for row in rows:
        yield _csv_line([safe_cell(str(row.get(c) or "")) for c in CSV_COLUMNS])


def json_chunks(rows: Iterator[dict]) -> Iterator[str]:
    """The rows as one JSON document, {"records": [...]}, written a record at a time."""
    yield '{"records": ['
    for n, row in enumerate(rows):
        yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"

"""Exports of an organisation's records as CSV and JSON, streamed. Takes a session; no Reflex.

Rows come from the database in keyset batches (records_after), each batch in its own short
database session, and go out as they are made: memory stays flat however many records there are,
and nothing passes through the websocket. Used by the records page's export buttons
(POST /api/v1/session/records/export) and by the API's records.csv.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable, Iterator

from sqlmodel import Session

from infoshare_widget.base.csv_safety import safe_cell
from infoshare_widget.base.acting import Actor
from infoshare_widget.records.service import RecordFilter, records_after, start_export

CSV_COLUMNS = ("reference", "created_at", "outcome_kind", "outcome_id", "recorded_by", "recorded_role",
               "case_reference", "check_by", "follow_up", "chart_version", "id")
MAX_EXPORT_ROWS = 50_000
BATCH = 500


def begin(*, sessions: Callable[[], Session], actor: Actor, filters: RecordFilter, what: str) -> None:
    """Check the actor may export and log it, before a response starts (raises Refused)."""
    with sessions() as session:
        start_export(session=session, actor=actor, filters=filters, what=what)


def iter_rows(*, sessions: Callable[[], Session], actor: Actor, filters: RecordFilter, limit: int = MAX_EXPORT_ROWS,
              batch: int = BATCH) -> Iterator[dict]:
    """Every record the actor may see matching the filters, newest first, as dicts (at most
    `limit`). Call begin() first: it checks the level and logs the export."""
    after = None
    sent = 0
    while sent < limit:
        with sessions() as session:
            views = records_after(session=session, actor=actor, filters=filters, after=after,
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


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return html.escape("" if value is None else str(value))


def printable_chunks(case_reference: str, rows: Iterator[dict]) -> Iterator[str]:
    """The records of one case as a plain HTML page to print or save for a subject access request
    (every value escaped; no scripts, no styles from elsewhere)."""
    title = f"Decision records for case {html.escape(case_reference)}"
    yield ("<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
           f"<title>{title}</title><style>body{{font-family:Arial,sans-serif;max-width:50rem;margin:1rem auto;"
           "padding:0 1rem;color:#0b0c0c}table{border-collapse:collapse;width:100%;margin-bottom:2rem}"
           "th,td{border:1px solid #b1b4b6;padding:.4rem;text-align:left;vertical-align:top}"
           "th{width:30%}</style></head><body>"
           f"<h1>{title}</h1><p>Prepared for a subject access request. Check each record for other people's "
           "information before it is released (UK GDPR Article 15(4)).</p>")
    count = 0
    for row in rows:
        count += 1
        yield f"<h2>Record {html.escape(str(row.get('reference', '')))}</h2><table>"
        for label, key in (("Recorded", "created_at"), ("By", "recorded_by"), ("Role", "recorded_role"),
                           ("Decision", "outcome_id"), ("Kind", "outcome_kind"),
                           ("Guidance version", "chart_version"), ("Answers", "path"),
                           ("Case reference", "case_reference"), ("Details", "details"), ("Check by", "check_by"),
                           ("Follow-up", "follow_up"), ("Follow-up note", "follow_up_note"),
                           ("Removed under the retention policy", "removed_on")):
            value = row.get(key)
            if key == "path" and isinstance(value, list):
                value = [f"{step.get('id')}: {step.get('answer')}" for step in value if isinstance(step, dict)]
            if value not in (None, "", [], {}):
                yield f"<tr><th scope=\"row\">{label}</th><td>{_cell(value)}</td></tr>"
        yield "</table>"
    if not count:
        yield "<p>There are no records with this case reference.</p>"
    yield "</body></html>\n"

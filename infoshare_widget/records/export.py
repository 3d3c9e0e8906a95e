"""Exports of an organisation's records as CSV and JSON. Takes a session; no Reflex.

Used by the records page's export buttons and by the API's records.csv alike.
"""

from __future__ import annotations

import csv
import io
import json

from sqlmodel import Session

from infoshare_widget.csv_safety import safe_cell
from infoshare_widget.records.service import MAX_PER_PAGE, RecordFilter, list_records

CSV_COLUMNS = ("reference", "created_at", "outcome_kind", "outcome_id", "recorded_by", "recorded_role",
               "case_reference", "check_by", "follow_up", "chart_version", "id")
MAX_EXPORT_ROWS = 50_000


def export_rows(*, session: Session, org_id: str, filters: RecordFilter, limit: int = MAX_EXPORT_ROWS) -> list[dict]:
    """Every record matching the filters, newest first, as dicts (at most `limit`)."""
    rows: list[dict] = []
    page = 1
    while len(rows) < limit:
        result = list_records(session=session, org_id=org_id, filters=filters, page=page, per_page=MAX_PER_PAGE)
        rows += [view.as_dict() for view in result.items]
        if not result.has_next:
            break
        page += 1
    return rows[:limit]


def to_csv(rows: list[dict]) -> str:
    """The rows as CSV; cells a spreadsheet would run as formulas are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(str(row.get(c) or "")) for c in CSV_COLUMNS])
    return out.getvalue()


def to_json(rows: list[dict]) -> str:
    """The rows as JSON: {"records": [...]}."""
    return json.dumps({"records": rows}, indent=1, ensure_ascii=False)

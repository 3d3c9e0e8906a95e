"""The published figures as tables to read (the charts' text alternatives and their CSV files) and as
the numbers the charts draw. Pure: no Reflex, no database. Takes only the published report, so what
a table or a chart shows has already been suppressed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from infoshare_widget.base.csv_safety import safe_cell
from infoshare_widget.flowchart.chart import OUTCOME_LABELS
from infoshare_widget.records.insight_facts import AFTER_ADVICE
from infoshare_widget.insight.report import NOT_RECORDED, SUPPRESSED_TEXT

NOT_SHOWN = "not shown"
# What the charts draw for each series: outcome kinds, then follow-up states.
FOLLOW_UP_SERIES = (("confirmed", "Confirmed"), ("not_done", "Not done"), ("open", "Still open (overdue)"))


# Every table's columns: (key, heading). The same for every view, so pages can lay them out once.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "outcomes": (("outcome", "Outcome"), ("decisions", "Decisions"), ("share", "Share")),
    "weeks": (("week", "Week beginning"), *OUTCOME_LABELS.items(), ("total", "All")),
    "unsure": (("question", "Question"), ("count", "Not sure"),
               *((a, f"Then: {label.lower()}") for a, label in {**AFTER_ADVICE, NOT_RECORDED: "Not recorded"}.items())),
    "follow_up": (("agency", "Receiving agency"), ("due", "Due"), ("confirmed", "Confirmed"), ("not_done", "Not done"),
                  ("open", "Still open (overdue)"), ("share", "Confirmed share"), ("median", "Median time to confirm")),
    "consent": (("state", "Consent"), ("decisions", "Decisions")),
    "lawful_basis": (("basis", "Lawful basis"), ("decisions", "Decisions")),
    "organisations": (("organisation", "Organisation"), ("decisions", "Decisions")),
    "walks": (("question", "Question"), ("count", "Not sure"), ("share", "Share of all walks")),
}
CAPTIONS = {
    "outcomes": "Decisions by outcome",
    "weeks": "Decisions by week and outcome",
    "unsure": "Questions answered \u201cNot sure\u201d in recorded decisions, and what the advice led to",
    "follow_up": "Follow-ups that were due, by receiving agency",
    "consent": "Consent",
    "lawful_basis": "Lawful basis",
    "organisations": "Decisions by organisation",
    "walks": "All walks that ended, recorded or not: questions answered \u201cNot sure\u201d",
}


@dataclass(frozen=True)
class Table:
    """A caption, column headings and rows of text (each row a dict by column key)."""

    name: str
    caption: str
    columns: tuple[tuple[str, str], ...]  # (key, heading)
    rows: tuple[dict[str, str], ...]

    def csv(self) -> str:
        """The table as CSV, headings first (cells a spreadsheet would run as formulas are neutralised)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([safe_cell(heading) for _, heading in self.columns])
        for row in self.rows:
            writer.writerow([safe_cell(row.get(key, "")) for key, _ in self.columns])
        return out.getvalue()


def count_text(cell: dict) -> str:
    """A count as people read it: the number, or 'fewer than 5'."""
    return SUPPRESSED_TEXT if cell["suppressed"] else f"{cell['count']:,}"


def _share(value: int | None) -> str:
    return NOT_SHOWN if value is None else f"{value}%"


def _days(value: float | None) -> str:
    if value is None:
        return NOT_SHOWN
    shown = f"{value:g}"
    return f"{shown} day" if shown == "1" else f"{shown} days"


def week_label(iso: str) -> str:
    """'2026-11-02' as '2 Nov 2026' (the Monday a week begins)."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day.strftime('%b %Y')}"


def tables(report: dict) -> dict[str, Table]:
    """Every table of a report, by name (outcomes, weeks, unsure, follow_up, consent, lawful_basis,
    and organisations and walks where the view has them)."""
    rows: dict[str, tuple[dict[str, str], ...]] = {
        "outcomes": (*({"outcome": o["label"], "decisions": count_text(o), "share": _share(o["share"])}
                       for o in report["outcomes"]),
                     {"outcome": "All decisions", "decisions": count_text(report["decisions"]),
                      "share": "100%" if report["decisions"]["count"] else NOT_SHOWN}),
        "weeks": tuple({"week": week_label(w["week"]), **{k: count_text(c) for k, c in w["kinds"].items()},
                        "total": count_text(w["total"])} for w in report["weeks"]),
        "unsure": tuple({"question": u["text"], "count": count_text(u),
                         **{led["after"]: count_text(led) for led in u["led_to"]}} for u in report["unsure"]),
        "consent": tuple({"state": c["label"], "decisions": count_text(c)} for c in report["consent"]),
        "lawful_basis": tuple({"basis": b["label"], "decisions": count_text(b)} for b in report["lawful_basis"]),
    }
    fu = report["follow_up"]

    def fu_row(name: str, row: dict) -> dict[str, str]:
        return {"agency": name, "due": count_text(row["due"]), "confirmed": count_text(row["confirmed"]),
                "not_done": count_text(row["not_done"]), "open": count_text(row["open"]),
                "share": _share(row["confirmed_share"]),
                "median": _days(row["median_days_to_confirm"])}

    rows["follow_up"] = (fu_row("All agencies", fu), *(fu_row(a["name"], a) for a in fu["by_agency"]))
    if report["organisations"]:
        rows["organisations"] = tuple({"organisation": o["name"], "decisions": count_text(o["decisions"])}
                                      for o in report["organisations"])
    if report["walks"] is not None:
        walks = report["walks"]
        rows["walks"] = (*({"question": u["text"], "count": count_text(u), "share": _share(u["share"])}
                           for u in walks["unsure"]),
                         {"question": "All walks that ended", "count": count_text(walks["total"]), "share": ""})
    return {name: Table(name, CAPTIONS[name], COLUMNS[name], found) for name, found in rows.items()}


def _drawn(cell: dict) -> int:
    """What a chart draws for a count: nothing for a suppressed one (its table says 'fewer than 5')."""
    return 0 if cell["suppressed"] else cell["count"]


HIDDEN_KINDS = "hidden"  # the part of a week's bar whose kinds are not shown


def _week_bar(week: dict) -> dict:
    """A week's bar: each kind shown, and, where the week's total is shown, the rest of it as one
    segment of kinds not shown (the total minus the kinds shown, which the table gives anyway)."""
    bar = {"week": week_label(week["week"]), **{k: _drawn(c) for k, c in week["kinds"].items()}}
    total = week["total"]
    bar[HIDDEN_KINDS] = 0 if total["suppressed"] else max(0, total["count"] - sum(
        c["count"] for c in week["kinds"].values() if not c["suppressed"]))
    return bar


def chart_data(report: dict) -> dict[str, list[dict]]:
    """The numbers each chart draws (suppressed counts drawn as nothing)."""
    return {
        "weeks": [_week_bar(w) for w in report["weeks"]],
        "unsure": [{"question": u["text"], "count": _drawn(u)} for u in report["unsure"]],
        "follow_up": [{"agency": a["name"], **{key: _drawn(a[key]) for key, _ in FOLLOW_UP_SERIES}}
                      for a in report["follow_up"]["by_agency"] if not a["due"]["suppressed"]],
        "consent": [{"state": c["label"], "count": _drawn(c)} for c in report["consent"]
                    if c["state"] in ("given", "refused_overridden", "refused_respected", "not_sought", "not_recorded")],
    }

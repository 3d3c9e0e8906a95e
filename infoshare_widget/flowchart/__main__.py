"""The decision content's review command.

    python -m infoshare_widget.flowchart content-review [--today YYYY-MM-DD] [--json]
    python -m infoshare_widget.flowchart content-review --stamp

Lists what needs attention, with where to check each: the rules, legal references, personal duties,
questions and outcomes past their next review date; the watch list's coming or unconfirmed changes in
the law whose look-again date has come; glossary entries past their review date; what is wrong in the
partnership file (hours nobody covers, a bank-holiday list that does not reach 12 months ahead); and
whether the version still matches the content. Exits 1 when anything needs attention, so it can run
from a scheduler. --stamp records the current version against the content, after a review that
changed it (raise the version first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from infoshare_widget.clock import uk_today
from infoshare_widget.flowchart.chart import ChartError, get_chart
from infoshare_widget.flowchart.review import describe_watch, due_items, stamp, version_problem, watch_due
from infoshare_widget.glossary.entries import GlossaryError
from infoshare_widget.glossary.loading import get_glossary
from infoshare_widget.settings import SettingsError, load_partnership, partnership_path



def _listed(heading: str, lines: list[str], nothing: str) -> None:
    """One part of the review: its heading and a line for each item, or what it says when there is none."""
    if not lines:
        print(nothing)
        return
    print(heading)
    for line in lines:
        print(f"  - {line}")

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infoshare_widget.flowchart")
    commands = parser.add_subparsers(dest="command", required=True)
    review = commands.add_parser("content-review", help="what is due for review, and whether the version is right")
    review.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the date to check against")
    review.add_argument("--json", action="store_true", help="print JSON instead of lines")
    review.add_argument("--stamp", action="store_true", help="record the version against the content")
    args = parser.parse_args(argv)
    try:
        chart = get_chart()
    except ChartError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.stamp:
        stamp(chart)
        print(f"Stamped version {chart.version}.")
        return 0
    try:
        glossary = get_glossary()
        path = partnership_path()
        partnership = load_partnership(path)
    except (GlossaryError, SettingsError) as exc:
        print(exc, file=sys.stderr)
        return 2
    today = args.today or uk_today()
    due = due_items(chart, today)
    watched = watch_due(chart, today)
    terms = glossary.due_entries(today)
    warnings = partnership.warnings(today)
    problem = version_problem(chart)
    if args.json:
        print(json.dumps({
            "version": chart.version, "last_reviewed": chart.last_reviewed.isoformat(),
            "next_review": chart.next_review.isoformat(), "version_problem": problem,
            "jurisdiction": chart.jurisdiction, "law_as_at": chart.law_as_at.isoformat(),
            "due": [{"item": d.item, "source": d.source, "next_review": d.next_review.isoformat(),
                     "days_over": d.days_over} for d in due],
            "watch_due": [{"id": wid, "title": item.title, "change": item.change, "source": item.source,
                           "look_again": item.look_again.isoformat(), "claims": list(item.claims)} for wid, item in watched],
            "glossary_due": [{"term": entry.term, "slug": entry.slug, "next_review": when.isoformat(),
                              "days_over": (today - when).days} for entry, when in terms],
            "partnership_file": str(path),
            "partnership_warnings": warnings,
        }, indent=1))
    else:
        print(f"Decision content version {chart.version}, last reviewed {chart.last_reviewed:%-d %B %Y}; "
              f"next review due {chart.next_review:%-d %B %Y}. It covers {chart.jurisdiction}, with the law as at "
              f"{chart.law_as_at:%-d %B %Y}.")
        print(f"Version: {problem}" if problem else "Version: matches the content.")
        _listed(f"{len(due)} item(s) due for review on {today:%-d %B %Y}:",
                [item.describe(chart) for item in due], f"Nothing is due for review on {today:%-d %B %Y}.")
        _listed(f"Watch list: {len(watched)} coming or unconfirmed change(s) to look at again:",
                [describe_watch(chart, wid, item) for wid, item in watched], "Watch list: nothing to look at again yet.")
        _listed(f"Glossary: {len(terms)} entr{'y' if len(terms) == 1 else 'ies'} past their review date:",
                [f"{entry.term}: next review was {when:%-d %B %Y} ({(today - when).days} days ago)"
                 for entry, when in terms], "Glossary: no entry is past its review date.")
        _listed(f"Partnership file {path}:", warnings,
                f"Partnership file {path}: hours and bank holidays are complete.")
    return 1 if due or watched or terms or warnings or problem else 0


if __name__ == "__main__":
    sys.exit(main())

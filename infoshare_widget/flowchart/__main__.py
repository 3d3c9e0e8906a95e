"""The decision content's review command.

    python -m infoshare_widget.flowchart content-review [--today YYYY-MM-DD] [--json]
    python -m infoshare_widget.flowchart content-review --stamp

Lists the rules, legal references, questions and outcomes past their next review date, with the
source to check each against, and whether the version still matches the content. Exits 1 when
anything needs attention, so it can run from a scheduler. --stamp records the current version
against the content, after a review that changed it (raise the version first).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from infoshare_widget.flowchart.chart import ChartError, get_chart
from infoshare_widget.flowchart.review import due_items, stamp, version_problem
from infoshare_widget.clock import uk_today


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
    today = args.today or uk_today()
    due = due_items(chart, today)
    problem = version_problem(chart)
    if args.json:
        print(json.dumps({
            "version": chart.version, "last_reviewed": chart.last_reviewed.isoformat(),
            "next_review": chart.next_review.isoformat(), "version_problem": problem,
            "due": [{"item": d.item, "source": d.source, "next_review": d.next_review.isoformat(),
                     "days_over": d.days_over} for d in due],
        }, indent=1))
    else:
        print(f"Decision content version {chart.version}, last reviewed {chart.last_reviewed:%-d %B %Y}; "
              f"next review due {chart.next_review:%-d %B %Y}.")
        print(f"Version: {problem}" if problem else "Version: matches the content.")
        if due:
            print(f"{len(due)} item(s) due for review on {today:%-d %B %Y}:")
            for item in due:
                print(f"  - {item.describe(chart)}")
        else:
            print(f"Nothing is due for review on {today:%-d %B %Y}.")
    return 1 if due or problem else 0


if __name__ == "__main__":
    sys.exit(main())

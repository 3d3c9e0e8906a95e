"""Keeping the decision content current: what is due for review, and whether the version moved with
the content. Pure: no Reflex import.

Every rule, legal reference, personal duty, question and outcome has a next review date. An item past it
is *due*. The watch list (coming or unconfirmed changes in the law) has look-again dates of its own.
A partnership that asks for strictness (`content_review.strict` in its file) gets a refusal to start
once an item is more than `grace_days` past it; otherwise the footer and `content-review` show it.

The version must change whenever the content does: `content/flowchart.fingerprint` holds the version
and a SHA-256 of the content it was set for, and a mismatch is reported (and fails the tests).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from infoshare_widget.flowchart.chart import DEFAULT_CHART_PATH, Chart, ChartError, WatchItem

FINGERPRINT_FILE = DEFAULT_CHART_PATH.with_suffix(".fingerprint")


@dataclass(frozen=True)
class DueItem:
    """An item past its next review date."""

    item: str
    source: str
    next_review: dt.date
    days_over: int

    def describe(self, chart: Chart) -> str:
        """One line for people: which item, since when, and where to check it."""
        source = chart.sources[self.source]
        return (f"{self.item}: next review was {self.next_review:%-d %B %Y} ({self.days_over} days ago); "
                f"check it against {source.title} <{source.url}>")


def due_items(chart: Chart, today: dt.date) -> list[DueItem]:
    """Items whose next review date has passed, most overdue first."""
    due = [
        DueItem(item, review.source, review.next_review, (today - review.next_review).days)
        for item, review in chart.reviewed_items()
        if review.next_review < today
    ]
    return sorted(due, key=lambda d: (-d.days_over, d.item))


def watch_due(chart: Chart, today: dt.date) -> list[tuple[str, WatchItem]]:
    """Watched changes in the law or guidance whose look-again date has come, earliest first."""
    due = [(wid, item) for wid, item in chart.watch.items() if item.look_again <= today]
    return sorted(due, key=lambda pair: (pair[1].look_again, pair[0]))


def describe_watch(chart: Chart, wid: str, item: WatchItem) -> str:
    """One line for people: what to look at again, what it would change, and where to look."""
    source = chart.sources[item.source]
    return (f"{item.title} (look again from {item.look_again:%-d %B %Y}). What it would change: {item.change} "
            f"Check {source.title} <{source.url}>")


def fingerprint(chart: Chart) -> str:
    """A SHA-256 of everything in the chart but its version and last-reviewed date."""
    content = chart.model_dump(mode="json", exclude={"version", "last_reviewed"})
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def stamped(path: Path = FINGERPRINT_FILE) -> tuple[str, str] | None:
    """The (version, fingerprint) last stamped, or None when there is no stamp."""
    try:
        version, digest = path.read_text(encoding="utf-8").split()
    except (OSError, ValueError):
        return None
    return version, digest


def version_problem(chart: Chart, path: Path = FINGERPRINT_FILE) -> str | None:
    """Why the version does not match the content, or None when it does."""
    stamp = stamped(path)
    if stamp is None:
        return f"{path.name} is missing: run content-review --stamp after setting the version"
    version, digest = stamp
    if digest != fingerprint(chart):
        if version == chart.version:
            return (f"the content has changed since version {version} was stamped: raise the version "
                    "(YEAR.N) and run content-review --stamp")
        return f"version {chart.version} is not stamped yet: run content-review --stamp"
    if version != chart.version:
        return f"the version changed to {chart.version} but the content did not: keep {version}"
    return None


def stamp(chart: Chart, path: Path = FINGERPRINT_FILE) -> None:
    """Record the chart's version against its content (after a review that changed something)."""
    path.write_text(f"{chart.version} {fingerprint(chart)}\n", encoding="utf-8")


def check_at_start(chart: Chart, *, strict: bool, grace_days: int, today: dt.date, source: str) -> list[DueItem]:
    """The due items; with strict, raise ChartError for any more than grace_days past its review."""
    due = due_items(chart, today)
    if strict:
        late = [d for d in due if d.days_over > grace_days]
        if late:
            raise ChartError(source, [
                f"{d.describe(chart)} (the partnership asks for strict review, with {grace_days} days' grace)"
                for d in late
            ])
    return due

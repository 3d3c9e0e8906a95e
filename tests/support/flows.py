"""Walking the decision helper in the browser: the heading on screen, answering the question shown
(checked first), the outcome expected, one walk to each outcome, and the shortest walk to refer now."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.engine import all_paths

CHART = get_chart()
LABEL = {"yes": "Yes", "no": "No", "unsure": "Not sure"}


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def answer(page: Page, qid: str, value: str) -> None:
    """Answer the question on screen, after checking it is the expected one."""
    expect(heading(page)).to_have_text(CHART.questions[qid].text)
    page.locator(f'[data-step="{qid}"]').get_by_role("radio", name=LABEL[value], exact=True).check()
    page.get_by_role("button", name="Continue").click()


def expect_outcome(page: Page, oid: str) -> None:
    expect(heading(page)).to_have_text(CHART.outcomes[oid].title)
    expect(page.get_by_text(CHART.outcomes[oid].decision)).to_be_visible()


def walk_to_refer_now(page: Page) -> None:
    """No to danger now, yes to significant harm: the refer-now outcome (a page, or a widget's frame)."""
    for qid, label in (("immediate_danger", "No"), ("significant_harm", "Yes")):
        page.locator(f'[data-step="{qid}"]').get_by_role("radio", name=label, exact=True).check()
        page.locator(f'[data-step="{qid}"]').get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer to children's social care now")


def outcome_routes() -> list[tuple[str, dict[str, str]]]:
    """One walk to each outcome of the chart, as (outcome id, answers in order), by outcome id."""
    seen: dict[str, dict[str, str]] = {}
    for answers, outcome in all_paths(CHART):
        seen.setdefault(outcome, answers)
    return sorted(seen.items())

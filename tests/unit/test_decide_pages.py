"""The decision helper's pages, rendered without a browser: the personal duties panel and the footer
that says where and when the content applies."""

import pytest

from infoshare_widget.flowchart.contact_cards import where_and_when_text
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.pages import content_footer, outcome_view
from infoshare_widget.base.settings import get_partnership

CHART = get_chart()


@pytest.mark.parametrize("oid", [oid for oid, o in CHART.outcomes.items() if o.duties])
def test_outcomes_with_duties_show_each_with_its_status_and_the_lado_card(oid):
    rendered = str(outcome_view(CHART, oid, CHART.outcomes[oid], get_partnership()))
    assert "Duties you may have yourself" in rendered
    for did in CHART.outcomes[oid].duties:
        duty = CHART.duties[did]
        assert f'"data-duty":"{did}"' in rendered
        assert duty.title in rendered
    assert "To be confirmed" in rendered and "In force" in rendered
    # The LADO's card says whether they are open now (assets/hours.js fills it in from data-open-key).
    assert '"data-open-key":"lado"' in rendered and "01632 960 005" in rendered


def test_outcomes_without_duties_have_no_panel():
    rendered = str(outcome_view(CHART, "share_anonymised", CHART.outcomes["share_anonymised"], get_partnership()))
    assert "Duties you may have yourself" not in rendered


def test_the_shown_outcomes_about_a_child_at_risk_all_have_the_panel():
    assert {"emergency", "emergency_unsure", "refer_now", "consult_front_door"} <= {
        oid for oid, o in CHART.outcomes.items() if o.duties}


def test_every_page_footer_says_where_and_when_the_content_applies():
    text = where_and_when_text()
    assert "covers England only" in text and f"{CHART.law_as_at:%-d %B %Y}" in text
    assert "Wales, Scotland and Northern Ireland have their own law and procedures" in text


def test_the_decide_footer_still_names_version_owner_and_review():
    rendered = str(content_footer(CHART, get_partnership()))
    assert f"Decision content version {CHART.version}" in rendered


def test_the_shared_page_frame_carries_it_on_every_page():
    """As the app composes the frame (the footer line comes from the decision content)."""
    import reflex as rx

    import infoshare_widget.infoshare_widget  # noqa: F401 - the app, which composes the page frame
    from infoshare_widget.components.layout import page_layout

    rendered = str(page_layout(rx.fragment(), current="glossary"))
    assert where_and_when_text() in rendered

"""The decision helper's pages, rendered without a browser: the personal duties panel, the footer
that says where and when the content applies, and the controls that print an outcome."""

import pytest

from infoshare_widget.flowchart.contact_cards import where_and_when_text
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.pages import content_footer, decide_page, outcome_view, print_controls
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


def test_print_this_outcome_is_a_plain_button_with_its_box_and_no_event():
    """flow.js prints (before React too) and the stylesheet reads the box: nothing goes to the server,
    so neither carries a Reflex event; both start hidden, for flow.js to show at an outcome."""
    rendered = str(print_controls())
    assert '"data-print-outcome":"",type:"button"},"Print this outcome"' in rendered
    assert 'id:"print-answers"' in rendered and 'type:"checkbox"' in rendered
    assert 'htmlFor:"print-answers"},"Include my answers"' in rendered
    assert '"data-print-controls":"",hidden:true' in rendered
    assert '"data-print-stamp":"",hidden:true' in rendered
    assert "addEvents" not in rendered and "onClick" not in rendered and "onChange" not in rendered


def test_the_decide_page_carries_the_print_controls_once():
    import infoshare_widget.infoshare_widget  # noqa: F401 - the app, which composes the page frame
    import reflex as rx

    rendered = str(decide_page(rx.fragment()))
    assert rendered.count('"data-print-outcome"') == 1 and rendered.count('"data-print-stamp"') == 1


def test_the_sources_line_is_left_off_paper_and_the_version_is_not():
    rendered = str(content_footer(CHART, get_partnership()))
    sources = rendered[rendered.index('"Based on: "') - 80:rendered.index('"Based on: "')]
    assert "no-print" in sources
    version = rendered[:rendered.index(f"Decision content version {CHART.version}")]
    assert "no-print" not in version

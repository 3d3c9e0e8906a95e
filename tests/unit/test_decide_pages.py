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


OFFERED = {"emergency", "emergency_unsure", "refer_now", "consult_front_door", "share_on_request_s47",
           "respect_refusal", "check_request", "seek_advice"}


@pytest.mark.parametrize("oid", list(CHART.outcomes))
def test_outcomes_that_send_someone_to_a_service_link_to_the_other_areas(oid):
    from infoshare_widget.flowchart.chart_view_model import offers_other_areas

    rendered = str(outcome_view(CHART, oid, CHART.outcomes[oid], get_partnership()))
    offered = offers_other_areas(CHART, CHART.outcomes[oid])
    assert offered == (oid in OFFERED)
    assert ('"data-areas-link":""' in rendered) == offered
    assert ("The child lives in another area?" in rendered) == offered
    # The areas' contacts are in the page once, not in each outcome (they would weigh on every one).
    assert "area-northvale-front_door" not in rendered


def _areas_block(partnership):
    from infoshare_widget.flowchart.contact_cards import other_areas

    return str(other_areas(partnership, sorted(OFFERED), ["emergency", "emergency_unsure"]))


def test_the_other_areas_block_lists_each_area_with_its_contacts_and_open_now():
    partnership = get_partnership()
    rendered = _areas_block(partnership)
    assert f'"data-shown-at":"{" ".join(sorted(OFFERED))}"' in rendered
    assert rendered.count('jsx("details",{className:"area"}') == 3
    for area in partnership.areas:
        assert f'"data-area-name":"{area.name.casefold()}"' in rendered
        keys = [f"area-{area.id}-{kind}" for kind in ("front_door", "out_of_hours", "lado")]
        assert f'"data-open-first":"{" ".join(keys)}"' in rendered  # "Open now: ..." above the cards
        for key, contact in zip(keys, (area.front_door, area.out_of_hours, area.lado)):
            assert f'"data-open-key":"{key}"' in rendered and contact.phone in rendered
    assert 'htmlFor:"area-search"' in rendered and '"aria-describedby":"area-search-hint"' in rendered
    # After 999 at an emergency; the front door elsewhere; and how to find an area not listed.
    assert '"data-shown-at":"emergency emergency_unsure",hidden:true},"After calling 999, tell the front door' in rendered
    assert "https://www.gov.uk/find-local-council" in rendered
    assert "ask for children's social care (the front door). If a child is in immediate danger, call 999." in rendered


def test_without_areas_listed_the_block_says_how_to_find_any_council_and_has_no_search():
    rendered = _areas_block(get_partnership().model_copy(update={"areas": ()}))
    assert "https://www.gov.uk/find-local-council" in rendered
    assert "area-search" not in rendered and "Choose the area" not in rendered


def test_the_hours_table_carries_every_area_s_contacts():
    from infoshare_widget.flowchart.chart_view_model import hours_table

    partnership = get_partnership()
    contacts = hours_table(partnership)["contacts"]
    for area in partnership.areas:
        assert contacts[f"area-{area.id}-front_door"]["phone"] == area.front_door.phone
        assert contacts[f"area-{area.id}-out_of_hours"]["open"] == area.out_of_hours.open
        assert contacts[f"area-{area.id}-lado"]["name"] == area.lado.name


def test_without_javascript_the_page_gives_each_area_s_front_door():
    from infoshare_widget.flowchart.pages import decide_page
    import reflex as rx

    rendered = str(decide_page(rx.fragment()))
    noscript = rendered[rendered.index('jsx("noscript"'):rendered.index('jsx("div",{className:"decide"')]
    assert "If the child lives in another area, call that area's front door" in noscript
    for area in get_partnership().areas:
        assert area.name in noscript and area.front_door.tel_href in noscript
    assert "https://www.gov.uk/find-local-council" in noscript


def test_without_javascript_or_areas_listed_the_page_says_how_to_find_the_child_s_council(monkeypatch):
    import reflex as rx

    from infoshare_widget.flowchart import pages

    monkeypatch.setattr(pages, "get_partnership", lambda: get_partnership().model_copy(update={"areas": ()}))
    rendered = str(pages.decide_page(rx.fragment()))
    rendered = rendered[rendered.index('jsx("noscript"'):rendered.index('jsx("div",{className:"decide"')]
    assert ('"If the child lives in another area, call that area\'s front door",": find its council on "'
            in rendered.replace("jsx(Fragment,{},),", ""))
    assert "https://www.gov.uk/find-local-council" in rendered and "ask for children's social care." in rendered
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

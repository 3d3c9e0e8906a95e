"""'The child lives in another area?' in a real Chromium: an area found by typing part of its name,
its contacts shown with whether each is open now, by pointer and by keyboard alone, on a 360 px
screen, before React has loaded, and the way to an area that is not listed; axe on every state."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from infoshare_widget.base.settings import get_partnership
from infoshare_widget.flowchart.chart import get_chart
from tests.support.browser import check_accessibility, open_widget, screenshot
from tests.support.flows import answer, expect_outcome, heading

CHART = get_chart()
UK = ZoneInfo("Europe/London")
# A Saturday at 11:00: Brookhaven's front door is open (Saturday mornings), Northvale's and Eastmarsh's
# are closed and their out-of-hours teams answer.
SATURDAY_MORNING = dt.datetime(2026, 12, 5, 11, 0, tzinfo=UK)
BUNDLE = re.compile(r"/assets/[^?]*\.js(\?.*)?$")
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _area(name: str):
    return next(area for area in get_partnership().areas if area.name == name)


@contextmanager
def at_outcome(browser, base_url: str, answers: list[tuple[str, str]], oid: str, width: int = 360):
    """A page at an outcome, the browser's clock fixed on a Saturday morning."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB", timezone_id="UTC")
    try:
        context.clock.set_fixed_time(SATURDAY_MORNING)
        page = context.new_page()
        open_widget(page, base_url)
        for qid, value in answers:
            answer(page, qid, value)
        expect_outcome(page, oid)
        yield page
    finally:
        context.close()


REFER_NOW = [("immediate_danger", "no"), ("significant_harm", "yes")]


def areas_section(page: Page):
    return page.locator("section.areas")


def test_an_area_is_found_by_part_of_its_name_and_its_contacts_say_who_is_open_now(browser, base_url, axe):
    brookhaven = _area("Brookhaven City Council")
    with at_outcome(browser, base_url, REFER_NOW, "refer_now") as page:
        contacts = page.locator("section.step:visible").get_by_role("heading", name="Who to contact")
        expect(contacts).to_be_visible()
        page.locator("section.step:visible").get_by_role("link", name="The child lives in another area?").click()
        section = areas_section(page)
        expect(section.get_by_role("heading", level=2, name="The child lives in another area?")).to_be_focused()
        expect(section.get_by_text("Use the front door of the council where the child lives.")).to_be_visible()
        expect(section.get_by_text("After calling 999")).to_be_hidden()
        assert page.url == base_url + "/"  # no address change, so Back still walks the decision helper
        check_accessibility(axe, page, "the other areas, none chosen")

        search = section.get_by_role("searchbox", name="Search the areas")
        search.fill("brook")
        expect(section.get_by_text("Brookhaven City Council", exact=True)).to_be_visible()
        expect(section.get_by_text("Northvale Borough Council", exact=True)).to_be_hidden()
        expect(section.get_by_text("Eastmarsh County Council", exact=True)).to_be_hidden()
        section.get_by_text("Brookhaven City Council", exact=True).click()

        area = section.locator("li", has_text="Brookhaven City Council")
        door = area.locator('[data-contact="area-brookhaven-front_door"]')
        expect(door.get_by_role("link", name=brookhaven.front_door.phone)).to_have_attribute(
            "href", brookhaven.front_door.tel_href)
        expect(door.locator(".contact__status")).to_have_text("Open now")
        expect(area.locator('[data-contact="area-brookhaven-out_of_hours"] .contact__status')).to_have_text("Closed now")
        expect(area.get_by_role("status")).to_have_text(
            f"Open now: {brookhaven.front_door.name}, {brookhaven.front_door.phone}.")
        expect(area.get_by_text(brookhaven.note)).to_be_visible()
        assert page.evaluate(OVERFLOW) == 0
        screenshot(page, "areas-brookhaven-360")
        check_accessibility(axe, page, "an area chosen, at 360 px")

        # Nothing matches: the page says so, and how to find the council for any other area.
        search.fill("Atlantis")
        expect(section.get_by_text("No area in the list matches.")).to_be_visible()
        expect(section.locator("li[data-area-name]:visible")).to_have_count(0)
        expect(section.get_by_role("link", name="GOV.UK: Find your local council")).to_have_attribute(
            "href", "https://www.gov.uk/find-local-council")
        expect(section.get_by_text("ask for children's social care (the front door)")).to_be_visible()
        check_accessibility(axe, page, "no area matches")
        search.fill("")
        expect(section.locator("li[data-area-name]:visible")).to_have_count(3)
        expect(section.get_by_text("No area in the list matches.")).to_be_hidden()


def test_keyboard_alone_finds_an_area_and_reaches_its_front_door(browser, base_url, axe):
    eastmarsh = _area("Eastmarsh County Council")
    with at_outcome(browser, base_url, REFER_NOW, "refer_now", width=1024) as page:
        page.locator("section.step:visible").get_by_role("link", name="The child lives in another area?").focus()
        page.keyboard.press("Enter")
        section = areas_section(page)
        expect(section.get_by_role("heading", level=2)).to_be_focused()
        page.keyboard.press("Tab")
        expect(section.get_by_role("searchbox", name="Search the areas")).to_be_focused()
        # Two words, in any case, each part of the name; Enter opens the one area left.
        page.keyboard.type("MARSH county")
        page.keyboard.press("Enter")
        summary = section.get_by_text(eastmarsh.name, exact=True)
        expect(summary).to_be_focused()
        area = section.locator("li", has_text=eastmarsh.name)
        expect(area.get_by_role("status")).to_have_text(f"Open now: {eastmarsh.out_of_hours.name}, "
                                                        f"{eastmarsh.out_of_hours.phone}.")
        page.keyboard.press("Tab")
        expect(area.get_by_role("link", name=eastmarsh.front_door.phone)).to_be_focused()
        # Enter on the summary closes the area again (a native <details>).
        summary.focus()
        page.keyboard.press("Enter")
        expect(area.get_by_role("link", name=eastmarsh.front_door.phone)).to_be_hidden()
        check_accessibility(axe, page, "the other areas by keyboard")


def test_after_an_emergency_999_comes_first_and_only_service_outcomes_offer_other_areas(browser, base_url, axe):
    with at_outcome(browser, base_url, [("immediate_danger", "yes")], "emergency") as page:
        section = areas_section(page)
        expect(section).to_be_visible()
        expect(section.get_by_text("After calling 999, tell the front door of the council where the child lives."
                                   )).to_be_visible()
        expect(section.get_by_text("Use the front door of the council")).to_be_hidden()
        check_accessibility(axe, page, "the emergency outcome with the other areas")
        # Back to the first question: the other areas go with the outcome.
        page.get_by_role("button", name="Back").filter(visible=True).click()
        expect(heading(page)).to_have_text(CHART.questions["immediate_danger"].text)
        expect(section).to_be_hidden()
        answer(page, "immediate_danger", "no")
        answer(page, "significant_harm", "no")
        answer(page, "asked_for_information", "no")
        answer(page, "legitimate_purpose", "no")
        expect_outcome(page, "do_not_share_no_purpose")
        expect(section).to_be_hidden()
        expect(page.get_by_role("link", name="The child lives in another area?")).to_have_count(0)


def test_an_area_is_chosen_before_react_loads_and_stays_chosen_when_it_does(browser, base_url):
    northvale = _area("Northvale Borough Council")
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True,
                                  locale="en-GB", timezone_id="UTC")
    context.clock.set_fixed_time(SATURDAY_MORNING)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    held = []
    page.route(BUNDLE, lambda route: held.append(route))  # the bundle waits until the test lets it go
    try:
        page.goto(base_url + "/", wait_until="commit")
        expect(heading(page)).to_have_text(CHART.questions["immediate_danger"].text)
        for qid, label in (("immediate_danger", "No"), ("significant_harm", "Yes")):
            page.locator(f'[data-step="{qid}"]').get_by_role("radio", name=label, exact=True).tap()
            page.locator(f'[data-step="{qid}"]').get_by_role("button", name="Continue").tap()
        expect_outcome(page, "refer_now")
        expect(page.locator("#widget-ready")).to_have_count(0)
        assert held, "the React bundle was not requested"

        page.locator("section.step:visible").get_by_role("link", name="The child lives in another area?").tap()
        section = areas_section(page)
        search = section.get_by_role("searchbox", name="Search the areas")
        search.fill("north")
        search.press("Enter")
        area = section.locator("li", has_text=northvale.name)
        expect(area.get_by_role("link", name=northvale.front_door.phone)).to_be_visible()
        expect(section.get_by_text("Brookhaven City Council", exact=True)).to_be_hidden()
        expect(page.locator("#widget-ready")).to_have_count(0)
        assert page.url == base_url + "/"

        # React arrives: the chosen area stays open, and who is open now is filled in.
        page.unroute(BUNDLE)
        expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)
        expect(area.get_by_role("link", name=northvale.front_door.phone)).to_be_visible()
        expect(area.locator('[data-contact="area-northvale-front_door"] .contact__status')).to_have_text("Closed now")
        expect(area.get_by_role("status")).to_have_text(
            f"Open now: {northvale.out_of_hours.name}, {northvale.out_of_hours.phone}.")
        expect(search).to_have_value("north")
        assert not errors, errors
    finally:
        context.close()

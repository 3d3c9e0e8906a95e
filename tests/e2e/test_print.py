"""Printing an outcome (issue 23): every outcome on one A4 page, with the decision, who to contact, the
duties, what to record and the content's version; no header, navigation or Exit this page; the answers
only when asked for; "Print this outcome" prints and nothing is saved or sent."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from infoshare_widget.base.settings import get_partnership
from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.chart_view_model import offers_other_areas, outcome_contacts
from infoshare_widget.flowchart.contact_cards import where_and_when_text
from infoshare_widget.flowchart.engine import all_paths
from tests.support.browser import check_accessibility, open_widget, screenshot
from tests.support.flows import answer, expect_outcome, heading, outcome_routes

CHART = get_chart()
PARTNERSHIP = get_partnership()
VERSION_LINE = f"Decision content version {CHART.version}"
# A browser's own print dialog leaves about 10 mm on every side (Chromium's "Default" margins).
MARGINS = {side: "10mm" for side in ("top", "right", "bottom", "left")}
# One /Type /Page object per page of the PDF (the /Type /Pages tree node is not one).
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
LONGEST_WALK = max(all_paths(CHART), key=lambda path: len(path[0]))


def pdf_pages(page: Page) -> int:
    """The number of A4 pages the page prints on, as Chromium prints it (backgrounds off)."""
    pdf = page.pdf(format="A4", print_background=False, margin=MARGINS)
    return len(PAGE_OBJECT.findall(pdf))


def step(page: Page):
    return page.locator("section.step:visible")


def walk(page: Page, answers: dict[str, str], outcome: str) -> None:
    for qid, value in answers.items():
        answer(page, qid, value)
    expect_outcome(page, outcome)


def test_the_page_count_finds_every_page(page, base_url):
    """The instrument: a page that cannot fit on one sheet counts as more than one."""
    open_widget(page, base_url)
    page.emulate_media(media="print")
    assert pdf_pages(page) == 1
    page.evaluate("document.body.style.minHeight = '300mm'")
    assert pdf_pages(page) == 2


def test_every_outcome_prints_on_one_a4_page_with_what_it_must_carry(page, base_url):
    """Each outcome, printed as it stands and with the answers included: one A4 page, holding the
    decision, a contact's number and hours, the duties, what to record, and the content's version,
    and not the header, navigation, Exit this page, the record panel or the print controls."""
    open_widget(page, base_url)
    for oid, answers in outcome_routes():
        outcome = CHART.outcomes[oid]
        walk(page, answers, oid)
        # On screen, and not on paper: the frame, the controls and the record panel.
        off_paper = (page.get_by_role("button", name="Exit this page"), page.get_by_role("banner"),
                     page.get_by_role("navigation"), page.get_by_role("button", name="Print this outcome"),
                     page.get_by_label("Include my answers"), step(page).get_by_role("button", name="Back", exact=True),
                     page.get_by_role("heading", name="Record this decision"),
                     page.get_by_role("heading", name="Your answers"),
                     step(page).get_by_role("link", name="Look up a word in the glossary"))
        if offers_other_areas(CHART, outcome):  # the other areas' search is for the screen
            off_paper += (page.get_by_role("link", name="The child lives in another area?").first,
                          page.get_by_role("heading", name="The child lives in another area?"))
        for shown in off_paper:
            expect(shown).to_be_visible()
        paper_only = page.get_by_text("Example contacts: these numbers reach no one.")
        expect(paper_only).to_be_hidden()  # on screen, the notice at the top says it
        page.emulate_media(media="print")
        for gone in off_paper:
            expect(gone).to_be_hidden()
        expect(heading(page)).to_have_text(outcome.title)
        expect(step(page).get_by_text(outcome.decision)).to_be_visible()
        record = next(s for s in outcome.next_steps if s.kind == "record")
        expect(step(page).get_by_text(record.text)).to_be_visible()
        cards = outcome_contacts(outcome.contacts, PARTNERSHIP)
        with_phone = next((c.contact for c in cards if c.contact.phone), None)
        if with_phone:
            expect(step(page).get_by_role("link", name=with_phone.phone).first).to_be_visible()
        with_hours = next((c.contact for c in cards if c.contact.hours), None)
        if with_hours:
            expect(step(page).get_by_text(with_hours.hours).first).to_be_visible()
        if any(c.contact.open for c in cards):  # who is open as it is printed
            expect(step(page).get_by_role("status")).to_contain_text(re.compile("open", re.IGNORECASE))
        if outcome.duties:
            expect(step(page).get_by_role("heading", name="Duties you may have yourself")).to_be_visible()
            for did in outcome.duties:
                expect(step(page).get_by_role("heading", name=CHART.duties[did].title)).to_be_visible()
        expect(page.get_by_text(VERSION_LINE)).to_be_visible()
        # The example partnership's numbers reach no one, and the paper says so.
        expect(page.get_by_text("Example contacts: these numbers reach no one.")).to_be_visible()
        expect(page.get_by_text(where_and_when_text())).to_be_visible()
        assert pdf_pages(page) == 1, f"{oid} prints on more than one A4 page"
        page.emulate_media(media="screen")
        page.get_by_label("Include my answers").check()
        page.emulate_media(media="print")
        expect(page.get_by_role("heading", name="Your answers")).to_be_visible()
        assert pdf_pages(page) == 1, f"{oid} with the answers prints on more than one A4 page"
        page.emulate_media(media="screen")
        page.get_by_label("Include my answers").uncheck()
        page.get_by_role("button", name="Start again").click()


def test_the_answers_print_only_when_asked_for(page, base_url, axe):
    """'Your answers' (without its Change links) is on paper only while "Include my answers" is ticked,
    and the longest walk of the chart still prints on one page with them."""
    answers, oid = LONGEST_WALK
    open_widget(page, base_url)
    walk(page, answers, oid)
    box = page.get_by_label("Include my answers")
    expect(box).not_to_be_checked()
    expect(page.get_by_role("button", name=re.compile("^Change your answer"))).to_have_count(len(answers))
    expect(page.get_by_role("button", name="Start again")).to_have_count(1)
    check_accessibility(axe, page, f"the outcome {oid} with the print controls")
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Your answers")).to_be_hidden()
    page.emulate_media(media="screen")
    box.check()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Your answers")).to_be_visible()
    rows = page.locator(".summary-list__row:visible")
    expect(rows).to_have_count(len(answers))
    expect(rows.first).to_contain_text(CHART.questions[CHART.start].text)
    # The Change links and Start again stay on the screen.
    expect(page.get_by_role("button", name=re.compile("^Change your answer"))).to_have_count(0)
    expect(page.get_by_role("button", name="Start again")).to_have_count(0)
    assert pdf_pages(page) == 1
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, for people to look at
    screenshot(page, f"print-{oid}-with-answers")
    page.emulate_media(media="screen")
    box.uncheck()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", name="Your answers")).to_be_hidden()


def test_print_this_outcome_prints_dated_and_sends_nothing(page, base_url):
    """The button calls the browser's print; the printout says when it was printed (UK time); nothing
    goes to the server: no request, and no websocket frame but the socket's own keep-alive."""
    page.clock.set_fixed_time(dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London")))
    page.add_init_script("window.printCalls = 0; window.print = () => { window.printCalls += 1; };")
    # Registered before the page's own scripts: what the stamp said as the browser's printing ended.
    page.add_init_script("window.addEventListener('afterprint', () => {"
                         " window.stampPrinted = document.querySelector('[data-print-stamp]').textContent; });")
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))
    requests: list[str] = []
    open_widget(page, base_url)
    walk(page, {"immediate_danger": "no", "significant_harm": "yes"}, "refer_now")
    page.wait_for_timeout(300)  # what the outcome itself sends has gone
    page.on("request", lambda request: requests.append(request.url))
    before = len(sent)
    page.get_by_label("Include my answers").check()
    button = page.get_by_role("button", name="Print this outcome")
    expect(button).to_have_attribute("type", "button")
    button.click()
    assert page.evaluate("window.printCalls") == 1
    page.emulate_media(media="print")
    expect(page.get_by_text("Printed on Tuesday 1 December 2026 at 10:00, UK time.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your answers")).to_be_visible()
    page.emulate_media(media="screen")
    # Only on paper: the line is not on the screen.
    expect(page.get_by_text("Printed on Tuesday")).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="print")
    expect(page.get_by_text("Printed on Tuesday")).to_be_hidden()
    # The browser's own printing (Chromium's print path, as Ctrl+P takes) dates the printout too, and
    # the line goes when it ends.
    pdf_pages(page)
    assert page.evaluate("window.stampPrinted").startswith("Printed on Tuesday 1 December 2026 at 10:00")
    expect(page.get_by_text("Printed on Tuesday")).to_be_hidden()
    page.emulate_media(media="screen")
    page.wait_for_timeout(500)
    keep_alive = {"2", "3"}  # Engine.IO's ping and pong
    assert [frame for frame in sent[before:] if frame not in keep_alive] == []
    assert requests == []
    assert "?" not in page.url
    # The box is not remembered: a reload brings the outcome back with the box clear.
    page.reload()
    expect_outcome(page, "refer_now")
    expect(page.get_by_label("Include my answers")).not_to_be_checked()
    # The instrument works: recording the decision is the moment something does go to the server.
    page.get_by_role("button", name="Record this decision").click()
    expect(page.get_by_label("Organisation").first).to_be_visible()
    assert any("record_decision" in frame for frame in sent)


def test_the_print_controls_at_360_px(browser, base_url, axe):
    """On a phone the controls fit: no sideways scroll, axe passes; they show at outcomes only."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    try:
        open_widget(page, base_url)
        expect(page.get_by_role("button", name="Print this outcome")).to_be_hidden()
        walk(page, {"immediate_danger": "no", "significant_harm": "yes"}, "refer_now")
        button = page.get_by_role("button", name="Print this outcome")
        button.scroll_into_view_if_needed()
        expect(button).to_be_visible()
        expect(page.get_by_label("Include my answers")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
        check_accessibility(axe, page, "the refer-now outcome with the print controls at 360 px")
        screenshot(page, "outcome-print-controls-360px")
        page.get_by_role("button", name="Back").click()
        expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)
        expect(page.get_by_role("button", name="Print this outcome")).to_be_hidden()
    finally:
        context.close()

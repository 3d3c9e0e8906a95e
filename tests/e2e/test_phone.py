"""The widget as people meet it on a phone: the first tap works before React has loaded, Back,
Forward and reload keep the place, Exit this page and the contrast control, small screens and zoom,
the glossary one tap away, and no JavaScript at all."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from playwright.sync_api import Browser, Page, expect

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.base.settings import get_partnership
from tests.support import CHROMIUM, CHROMIUM_ARGS, ROOT
from tests.support.browser import SCREENSHOTS, WCAG_22_AA, check_accessibility, open_widget, screenshot, watch_policy
from tests.support.flows import answer, expect_outcome, heading

CHART = get_chart()
EXIT_PAGE = get_partnership().exit_page
# The React bundle and its chunks (Vite puts them under /assets/); the page's own scripts are inline.
BUNDLE = re.compile(r"/assets/[^?]*\.js(\?.*)?$")


def phone(browser: Browser, **options):
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True,
                                  locale="en-GB", **options)
    return context, context.new_page()


def stored_answers(page: Page) -> str | None:
    return page.evaluate("sessionStorage.getItem('infoshare-answers')")


def test_taps_made_before_react_loads_act_at_once_and_hydration_keeps_them(browser, base_url):
    context, page = phone(browser)
    held = []
    page.route(BUNDLE, lambda route: held.append(route))  # the bundle waits until the test lets it go
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    try:
        page.goto(base_url + "/", wait_until="commit")
        expect(heading(page)).to_have_text(CHART.questions["immediate_danger"].text)
        expect(page.locator("#widget-ready")).to_have_count(0)
        assert held, "the React bundle was not requested"
        # Continue with no answer shows the error, then an answer moves on: no reload, nothing sent.
        page.get_by_role("button", name="Continue").tap()
        expect(page.get_by_role("alert")).to_contain_text("Select Yes, No or Not sure")
        page.get_by_role("radio", name="No", exact=True).tap()
        page.get_by_role("button", name="Continue").tap()
        expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)
        assert page.url == base_url + "/"
        assert not any("answer=" in url for url in sent)
        page.locator('[data-step="significant_harm"]').get_by_role("radio", name="Yes", exact=True).tap()
        page.locator('[data-step="significant_harm"]').get_by_role("button", name="Continue").tap()
        expect_outcome(page, "refer_now")
        expect(page.locator("#widget-ready")).to_have_count(0)

        # Now React arrives and takes over the same place.
        page.unroute(BUNDLE)
        expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)
        expect_outcome(page, "refer_now")
        expect(page).to_have_title(f"{CHART.outcomes['refer_now'].title} - InfoShare")
        expect(page.get_by_role("button", name="Record this decision")).to_be_visible()
        page.get_by_role("button", name="Back").filter(visible=True).tap()
        expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)
        expect(page.locator('[data-step="significant_harm"]').get_by_role("radio", name="Yes", exact=True)).to_be_checked()
    finally:
        context.close()


def test_back_forward_and_reload_keep_the_place(page, base_url):
    open_widget(page, base_url)
    answer(page, "immediate_danger", "no")
    answer(page, "significant_harm", "no")
    answer(page, "asked_for_information", "no")
    expect(heading(page)).to_have_text(CHART.questions["legitimate_purpose"].text)
    page.go_back()
    expect(heading(page)).to_have_text(CHART.questions["asked_for_information"].text)
    expect(page.locator('[data-step="asked_for_information"]').get_by_role("radio", name="No", exact=True)).to_be_checked()
    page.go_back()
    expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)
    expect(page.locator('[data-step="significant_harm"]').get_by_role("radio", name="No", exact=True)).to_be_checked()
    page.go_back()
    expect(heading(page)).to_have_text(CHART.questions["immediate_danger"].text)
    page.go_forward()
    page.go_forward()
    page.go_forward()
    expect(heading(page)).to_have_text(CHART.questions["legitimate_purpose"].text)
    page.reload()
    expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)
    expect(heading(page)).to_have_text(CHART.questions["legitimate_purpose"].text)
    expect(page.locator(".answers")).to_contain_text(CHART.questions["significant_harm"].text)
    # The answers are on the device only: never in the address.
    assert page.url == base_url + "/"
    answer(page, "legitimate_purpose", "no")
    outcome = CHART.questions["legitimate_purpose"].answers["no"]
    expect_outcome(page, outcome)
    page.go_back()
    expect(heading(page)).to_have_text(CHART.questions["legitimate_purpose"].text)
    page.go_back()
    page.go_back()
    page.go_back()
    expect(heading(page)).to_have_text(CHART.questions["immediate_danger"].text)
    page.go_forward()
    page.go_forward()
    page.go_forward()
    page.go_forward()
    expect_outcome(page, outcome)


def test_the_glossary_is_one_tap_from_a_question_and_back_returns_to_it(page, base_url):
    open_widget(page, base_url)
    answer(page, "immediate_danger", "no")
    step = page.locator('[data-step="significant_harm"]')
    step.get_by_role("link", name="Look up a word in the glossary").click()
    search = page.get_by_role("searchbox", name="Search the glossary")
    search.fill("s47")
    expect(page.locator("#glossary-results li").first).to_contain_text("47")
    page.get_by_role("link", name="Back to your question").click()
    expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)
    expect(page.locator(".answers")).to_contain_text(CHART.questions["immediate_danger"].text)
    # The browser's Back, too.
    page.locator('[data-step="significant_harm"]').get_by_role("link", name="Look up a word in the glossary").click()
    expect(search).to_be_visible()
    page.go_back()
    expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)


@pytest.mark.parametrize("how", ["button", "shift three times"])
def test_exit_this_page_leaves_at_once_and_forgets_the_answers(page, base_url, how):
    page.route(f"{EXIT_PAGE}**", lambda route: route.fulfill(body="<title>Weather</title><h1>Weather</h1>",
                                                              content_type="text/html"))
    open_widget(page, base_url)
    answer(page, "immediate_danger", "no")
    expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)
    assert stored_answers(page)
    if how == "button":
        page.get_by_role("button", name="Exit this page").click()
    else:
        page.locator("body").press("Shift")
        page.locator("body").press("Shift")
        page.locator("body").press("Shift")
    expect(page).to_have_url(re.compile("^" + re.escape(EXIT_PAGE)))
    # Back comes to the widget (the exit replaced the page in the history) with nothing kept.
    page.go_back()
    expect(page.locator("#widget-ready")).to_be_attached(timeout=30_000)
    expect(heading(page)).to_have_text(CHART.questions["immediate_danger"].text)
    assert stored_answers(page) is None
    expect(page.locator(".answers")).to_be_hidden()


def test_high_contrast_is_remembered_and_meets_aaa(page, base_url, axe):
    open_widget(page, base_url)
    toggle = page.get_by_role("button", name="High contrast")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("data-contrast", "high")
    aaa = WCAG_22_AA + ["wcag2aaa"]
    for state in ("question", "outcome"):
        if state == "outcome":
            answer(page, "immediate_danger", "no")
            answer(page, "significant_harm", "yes")
            expect_outcome(page, "refer_now")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": aaa}})
        assert results.violations_count == 0, results.generate_report()
    screenshot(page, "high-contrast-refer-now")
    page.reload()
    expect(page.get_by_role("button", name="High contrast")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="High contrast").click()
    expect(page.locator("html")).not_to_have_attribute("data-contrast", "high")


@pytest.mark.parametrize("media", [{"forced_colors": "active"}, {"contrast": "more"},
                                   {"color_scheme": "dark"}], ids=["forced colours", "more contrast", "dark"])
def test_system_contrast_settings_pass_axe_and_panels_keep_their_borders(browser, base_url, axe, media):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, **media)
    page = context.new_page()
    try:
        open_widget(page, base_url)
        answer(page, "immediate_danger", "yes")
        expect_outcome(page, "emergency")
        check_accessibility(axe, page, f"the emergency outcome with {media}")
        if "forced_colors" in media:
            width = page.locator(".step:not([hidden]) .panel").evaluate("e => getComputedStyle(e).borderTopWidth")
            assert width != "0px"
        screenshot(page, "emergency-" + "-".join(media.values()))
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/glossary", "/sign-in"])
def test_nothing_is_cut_off_at_200_percent_zoom_on_a_phone(browser, base_url, path):
    """360 px at 200% zoom leaves 180 CSS px: the page reflows; nothing needs sideways scrolling."""
    context = browser.new_context(viewport={"width": 180, "height": 640}, locale="en-GB")
    page = context.new_page()
    try:
        open_widget(page, base_url, path)
        if path == "/":
            answer(page, "immediate_danger", "no")
            answer(page, "significant_harm", "yes")
            expect_outcome(page, "refer_now")
        if path == "/glossary":
            page.get_by_role("searchbox", name="Search the glossary").fill("marac")
            expect(page.locator("#glossary-results li").first).to_be_visible()
        overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect(); return r.width && r.right > document.documentElement.clientWidth + 1;
        }).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
        assert page.evaluate(overflow) == 0, wide
        # Every contact card, and every line in it, fits the screen.
        for box in page.locator(".step:not([hidden]) .contact").all():
            bounds = box.bounding_box()
            assert bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= 180, bounds
            assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
        screenshot(page, f"zoom-200{path.replace('/', '-') or '-decide'}")
    finally:
        context.close()


def test_the_glossary_on_a_phone_shows_the_first_result_above_the_keyboard(browser, base_url):
    context, page = phone(browser)
    try:
        open_widget(page, base_url, "/glossary")
        search = page.get_by_role("searchbox", name="Search the glossary")
        search.tap()
        search.fill("marac")
        first = page.locator("#glossary-results li").first
        expect(first).to_contain_text("MARAC")
        # An on-screen keyboard covers about the lower half of a 640 px screen.
        bounds = first.bounding_box()
        assert bounds["y"] + min(bounds["height"], 60) <= 320, bounds
        screenshot(page, "glossary-phone")
    finally:
        context.close()


NO_SCRIPTS = r"""
import json, sys
from playwright.sync_api import sync_playwright
url, chromium, args, shot = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=chromium, args=[*args, "--blink-settings=scriptEnabled=false"])
    page = browser.new_page(viewport={"width": 360, "height": 640})
    page.goto(url, wait_until="commit")  # without scripts the page never fires "load"
    page.wait_for_selector("footer")
    page.screenshot(path=shot, full_page=True)
    seen = page.evaluate("() => ({visible: [...document.querySelectorAll('main *, .exit-this-page a, header button')]"
                         ".filter(e => e.checkVisibility() && e.childElementCount === 0).map(e => e.textContent.trim()),"
                         "links: [...document.querySelectorAll('main a')].filter(e => e.checkVisibility())"
                         ".map(e => e.getAttribute('href'))})")
    print(json.dumps(seen))
    browser.close()
"""


def test_without_javascript_the_page_says_what_to_do_in_an_emergency(base_url):
    """Scripts off in Blink itself, in a browser of its own (Playwright's per-page switch leaves
    <noscript> unparsed, so it cannot show what people without scripts see)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    run = subprocess.run([sys.executable, "-c", NO_SCRIPTS, base_url + "/", CHROMIUM, json.dumps(CHROMIUM_ARGS),
                          str(SCREENSHOTS / "no-javascript.png")], capture_output=True, text=True, timeout=120,
                         check=True)
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    text = " ".join(seen["visible"])
    partnership = get_partnership()
    assert "If a child is in immediate danger, call" in text and "999" in seen["visible"], text[:500]
    assert {"tel:999", partnership.front_door.tel_href, partnership.out_of_hours.tel_href} <= set(seen["links"])
    # A child who lives in another area: each listed area's front door, and how to find any other.
    assert {area.front_door.tel_href for area in partnership.areas} <= set(seen["links"])
    assert "https://www.gov.uk/find-local-council" in seen["links"]
    assert "Continue" not in seen["visible"]  # no dead form
    assert "Exit this page" in seen["visible"]  # a plain link: it works without scripts
    assert "High contrast" not in seen["visible"]  # it needs scripts


def test_the_phone_flow_breaks_no_policy(browser, base_url):
    context, page = phone(browser)
    violations = watch_policy(page)
    try:
        open_widget(page, base_url)
        answer(page, "immediate_danger", "unsure")
        expect_outcome(page, "emergency_unsure")
        assert violations == []
    finally:
        context.close()


def test_nothing_floats_over_the_answer_when_scrolled(browser, base_url):
    """Exit this page stays at the top of the page: scrolled down a phone screen, nothing covers
    the outcome's heading (a floating bar hid the end of it)."""
    context, page = phone(browser)
    try:
        open_widget(page, base_url)
        answer(page, "immediate_danger", "no")
        answer(page, "significant_harm", "yes")
        expect_outcome(page, "refer_now")
        heading_box = heading(page).evaluate("""h => { window.scrollTo(0, h.getBoundingClientRect().top + scrollY - 2);
            const r = h.getBoundingClientRect(); return [r.right - 4, r.top + 4, r.left + 4]; }""")
        for x in (heading_box[0], heading_box[2]):
            assert heading(page).evaluate("(h, [x, y]) => h.contains(document.elementFromPoint(x, y))",
                                          [x, heading_box[1]]), (x, heading_box)
    finally:
        context.close()


def test_the_first_paint_rewrite_finds_react_router_s_links_in_the_built_pages(widget):
    """The contract test of compat/web_build.py, on the real build: React Router still writes the
    stylesheet link and the module preloads as web/first_paint.py looks for them, in every page."""
    from infoshare_widget.compat.web_build import MODULE_PRELOAD, STYLESHEET_LINK

    if widget.folder is None:
        pytest.skip("a widget started elsewhere (E2E_BASE_URL): its build is not here to read")
    built = ROOT / ".web" / "build" / "client"
    pages = sorted(built.rglob("*.html"))
    assert pages, f"compat/web_build.py: no built pages under {built}"
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert STYLESHEET_LINK.search(html), (
            f"compat/web_build.py: React Router no longer writes the stylesheet link as STYLESHEET_LINK "
            f"expects in {path.relative_to(built)}; the first paint waits for the stylesheet again")
        assert MODULE_PRELOAD.search(html), (
            f"compat/web_build.py: React Router no longer writes the module preloads as MODULE_PRELOAD "
            f"expects in {path.relative_to(built)}")


def test_the_first_paint_needs_no_stylesheet_request_and_the_styles_stay_whole(page, base_url):

    import httpx

    # As served (gzip and plain): the stylesheet is in the page, its link waits, the bundle's
    # preloads queue behind the page.
    for encoding in ("gzip", "identity"):
        raw = httpx.get(base_url + "/", headers={"Accept-Encoding": encoding})
        html = raw.text
        assert raw.status_code == 200 and '<style data-inlined="/assets/__reflex_global_styles' in html
        assert re.search(r'rel="stylesheet" type="text/css" media="print" onload="this.media=\'all\'"', html)
        assert 'rel="modulepreload"' in html and not re.search(r'rel="modulepreload" href="[^"]+"/>', html)
    # In the browser: the link is live once loaded, React took over without a hydration error (the
    # page fixture fails on any page error), and the page is styled as before.
    open_widget(page, base_url)
    assert page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.media === 'all')")
    assert page.evaluate("getComputedStyle(document.querySelector('.header')).backgroundColor") == "rgb(11, 12, 12)"
    chart = get_chart()
    answer(page, chart.start, "no")
    expect(heading(page)).not_to_have_text(chart.questions[chart.start].text)

"""The decision helper in a real Chromium: paths, errors, back and change, keyboard, narrow screens, axe."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
import json
import urllib.request
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from infoshare_widget.flowchart.chart import get_chart
from infoshare_widget.flowchart.engine import all_paths
from infoshare_widget.flowchart.chart_view_model import hours_table
from infoshare_widget.base.hours import open_at
from infoshare_widget.base.settings import get_partnership
from tests.support.scenarios import ASKED, NOT_S47, OWN_WORRY, TO_CONSENT, UNSURE_SCENARIOS
from tests.support import assert_rows_agree
from tests.support.browser import check_accessibility, open_widget, screenshot
from tests.support.flows import answer, expect_outcome, heading

CHART = get_chart()
TO_SHARE_WITHOUT_CONSENT = [
    ("immediate_danger", "no"),
    ("significant_harm", "no"),
    ("asked_for_information", "no"),
    ("legitimate_purpose", "yes"),
    ("identifiable", "yes"),
    ("confidential", "yes"),
    ("consent", "no"),
    ("public_interest", "yes"),
    ("other_basis", "yes"),
]
# The same outcome when someone else has asked: every question of the chart on one walk.
ASKED_BY_SOMEONE_ELSE = [
    ("immediate_danger", "no"),
    ("significant_harm", "no"),
    ("asked_for_information", "yes"),
    ("asked_by_social_care", "no"),
    ("asked_by_police", "no"),
    ("court_order", "no"),
    ("asked_by_partners", "no"),
    *TO_SHARE_WITHOUT_CONSENT[3:],
]


def radio(page: Page, label: str):
    """A radio of the question on screen (every question is in the page; only one is shown)."""
    return page.get_by_role("radio", name=label, exact=True)


def test_emergency_path(page, base_url, axe):
    open_widget(page, base_url)
    answer(page, "immediate_danger", "yes")
    expect_outcome(page, "emergency")
    expect(page.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(page).to_have_title("Call 999 now - InfoShare")
    check_accessibility(axe, page, "the emergency outcome")


def test_refer_now_path_shows_the_front_door(page, base_url, axe):
    open_widget(page, base_url)
    answer(page, "immediate_danger", "no")
    answer(page, "significant_harm", "yes")
    expect_outcome(page, "refer_now")
    expect(page.get_by_role("link", name="01632 960 001").first).to_have_attribute("href", "tel:01632960001")
    expect(page.locator(".panel__body:visible")).to_contain_text("you do not need consent")
    screenshot(page, "outcome-refer-now")
    check_accessibility(axe, page, "the refer-now outcome")


def test_full_path_to_share_without_consent(page, base_url, axe):
    open_widget(page, base_url)
    screenshot(page, "question")
    for qid, value in TO_SHARE_WITHOUT_CONSENT:
        check_accessibility(axe, page, f"question {qid}")
        answer(page, qid, value)
    expect_outcome(page, "share_without_consent")
    for section in ("Why", "How to share", "What to do next", "Your answers"):
        expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()
    rows = page.locator(".summary-list__row:visible")
    expect(rows).to_have_count(len(TO_SHARE_WITHOUT_CONSENT))
    expect(rows.nth(6)).to_contain_text("Has the person agreed")
    expect(rows.nth(6)).to_contain_text("No")
    expect(rows.nth(7)).to_contain_text("justified to prevent harm")
    # The picture marks the path taken: each chosen exit says so to screen readers too.
    chosen = page.locator(".flow__yours:visible")
    expect(chosen).to_have_count(len(TO_SHARE_WITHOUT_CONSENT))
    expect(page.locator('[data-exit="consent:no"] .flow__yours')).to_be_visible()
    expect(page.locator('[data-exit="consent:yes"] .flow__yours')).to_be_hidden()
    screenshot(page, "outcome-share-without-consent")
    check_accessibility(axe, page, "the share-without-consent outcome")


def test_continue_without_an_answer_shows_the_error_summary(page, base_url, axe):
    open_widget(page, base_url)
    page.get_by_role("button", name="Continue").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page).to_have_title("Error: Is anyone in immediate danger? - InfoShare")
    expect(page.locator(".error-message:visible")).to_have_text("Error: Select Yes, No or Not sure")
    screenshot(page, "question-error")
    check_accessibility(axe, page, "the error state")
    summary.get_by_role("link", name="Select Yes, No or Not sure").click()
    expect(radio(page, "Yes")).to_be_focused()
    radio(page, "No").check()
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)
    expect(page.get_by_role("alert")).to_have_count(0)


def test_none_preselected_back_keeps_the_answer_change_and_start_again(page, base_url):
    open_widget(page, base_url)
    for shown_radio in page.get_by_role("radio").all():
        expect(shown_radio).not_to_be_checked()
    expect(page.get_by_role("button", name="Back")).to_have_count(0)
    answer(page, "immediate_danger", "no")
    for shown_radio in page.get_by_role("radio").all():
        expect(shown_radio).not_to_be_checked()
    answer(page, "significant_harm", "no")
    page.get_by_role("button", name="Back").click()
    expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)
    expect(radio(page, "No")).to_be_checked()
    answer(page, "significant_harm", "no")
    answer(page, "asked_for_information", "no")
    answer(page, "legitimate_purpose", "no")
    expect_outcome(page, "do_not_share_no_purpose")
    # Change the first answer from the summary list: the question comes back with its answer.
    page.get_by_role("button", name="Change your answer to: Is anyone in immediate danger?").click()
    expect(heading(page)).to_have_text(CHART.questions["immediate_danger"].text)
    expect(radio(page, "No")).to_be_checked()
    answer(page, "immediate_danger", "yes")
    expect_outcome(page, "emergency")
    expect(page.locator(".summary-list__row:visible")).to_have_count(1)
    page.get_by_role("button", name="Start again").click()
    expect(heading(page)).to_have_text(CHART.questions["immediate_danger"].text)
    for shown_radio in page.get_by_role("radio").all():
        expect(shown_radio).not_to_be_checked()


def _walk_to(page: Page, answers: dict[str, str]) -> None:
    for qid, value in answers.items():
        answer(page, qid, value)


@pytest.mark.parametrize(("scenario", "answers", "outcome", "kind"), UNSURE_SCENARIOS,
                         ids=[s[0] for s in UNSURE_SCENARIOS])
def test_not_sure_never_delays_protection(page, base_url, axe, scenario, answers, outcome, kind):
    """Every 'Not sure' in the browser: an emergency, a consultation now, or advice with a way back."""
    open_widget(page, base_url)
    _walk_to(page, answers)
    expect_outcome(page, outcome)
    step = page.locator("section.step:visible")
    question = list(answers)[-1]
    if outcome == "emergency_unsure":
        expect(step.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
        expect(step.get_by_text(CHART.outcomes[outcome].note)).to_be_visible()
        expect(step.get_by_role("button", name="Go back to the question")).to_have_count(0)
        screenshot(page, "outcome-unsure-danger")
        check_accessibility(axe, page, "unsure about danger")
        return
    expect(step.get_by_text(CHART.questions[question].unsure_note)).to_be_visible()
    if outcome == "consult_front_door":
        cards = step.locator(".contact")
        expect(cards.nth(0)).to_contain_text("Front door consultation line")
        expect(cards.nth(1)).to_contain_text("Out of hours")
        expect(step.get_by_text(CHART.outcomes[outcome].note)).to_be_visible()
        # Names may be given; a conversation without them only where the front door offers one.
        expect(step.get_by_text("with the child's and family's names")).to_be_visible()
        expect(step.locator("[data-duty]")).to_have_count(len(CHART.outcomes[outcome].duties))
        screenshot(page, "outcome-unsure-harm")
        check_accessibility(axe, page, "unsure about significant harm")
    else:
        expect(step.locator(".contact").filter(has_text="Your designated safeguarding lead")).to_be_visible()
        expect(step.get_by_role("status")).to_contain_text("Open now:")
        if outcome == "check_request":
            check_accessibility(axe, page, f"check the request, after Not sure at {question}")
    page.get_by_role("button", name="Go back to the question").click()
    expect(heading(page)).to_have_text(CHART.questions[question].text)
    for shown_radio in page.get_by_role("radio").all():
        expect(shown_radio).not_to_be_checked()


UK = ZoneInfo("Europe/London")
# (moment in UK time, the front door's status, the out-of-hours team's status, who the page names first)
MOMENTS = {
    "weekday 10:00": (dt.datetime(2026, 12, 1, 10, 0, tzinfo=UK), "Open now", "Closed now", "Children's Front Door (MASH)"),
    "weekday 20:00": (dt.datetime(2026, 12, 1, 20, 0, tzinfo=UK), "Closed now", "Open now", "Emergency Duty Team"),
    "Sunday": (dt.datetime(2026, 12, 6, 13, 0, tzinfo=UK), "Closed now", "Open now", "Emergency Duty Team"),
    "bank holiday": (dt.datetime(2026, 12, 28, 10, 0, tzinfo=UK), "Closed now", "Open now", "Emergency Duty Team"),
}


@contextmanager
def refer_now_at(browser, base_url: str, at: dt.datetime, width: int):
    """A page at the refer-now outcome, the browser's clock fixed at `at` (UTC zone, UK content)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB", timezone_id="UTC")
    try:
        context.clock.set_fixed_time(at)
        page = context.new_page()
        open_widget(page, base_url)
        answer(page, "immediate_danger", "no")
        answer(page, "significant_harm", "yes")
        expect_outcome(page, "refer_now")
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_refer_now_says_who_is_open_now(browser, base_url, axe, moment):
    """The browser's clock is set to each moment: the page says who answers the phone then."""
    at, front_door, out_of_hours, first = MOMENTS[moment]
    with refer_now_at(browser, base_url, at, width=360) as page:
        step = page.locator("section.step:visible")
        expect(step.locator('[data-contact="front_door"] .contact__status')).to_have_text(front_door)
        expect(step.locator('[data-contact="out_of_hours"] .contact__status')).to_have_text(out_of_hours)
        expect(step.get_by_role("status")).to_contain_text(f"Open now: Example Borough {first}")
        if moment == "weekday 20:00":
            screenshot(page, "outcome-refer-now-evening-360")
            check_accessibility(axe, page, "refer now in the evening, at 360 px")


def test_the_browser_and_the_server_agree_on_who_is_open(page, base_url):
    """assets/hours.js against infoshare_widget/base/hours.py, for every contact, across a fortnight, and
    past the end of the bank-holiday list (where both say unknown, never a guess).

    Both sides answer from the table the page carries, so this compares the two implementations
    only; that the table is the partnership's is checked first, on its own.
    """
    open_widget(page, base_url)
    table = page.evaluate("window.INFOSHARE_HOURS")
    assert table == json.loads(json.dumps(hours_table(get_partnership()))), (
        "the page's hours table is not the example partnership's: the widget was started with other hours")
    holidays = [dt.date.fromisoformat(day) for day in table["bank_holidays"]]
    until = dt.date.fromisoformat(table["bank_holidays_until"])
    hours = {key: None if contact["open"] is None else {day: tuple(map(tuple, ranges))
                                                         for day, ranges in contact["open"].items()}
             for key, contact in table["contacts"].items()}
    moments = [dt.datetime(2026, 12, 19, 0, 0, tzinfo=UK) + dt.timedelta(minutes=37 * n) for n in range(560)]
    moments += [dt.datetime(2027, 3, 28, 0, 30, tzinfo=dt.UTC) + dt.timedelta(minutes=30 * n) for n in range(6)]
    # Either side of midnight at the end of the list, in UK time.
    moments += [dt.datetime(until.year, until.month, until.day, 23, 0, tzinfo=UK) + dt.timedelta(minutes=20 * n)
                for n in range(6)]
    keys = list(hours)
    from_browser = page.evaluate(
        "([keys, times]) => times.map((t) => keys.map((k) => InfoShareHours.openAt(k, new Date(t))))",
        [keys, [m.timestamp() * 1000 for m in moments]],
    )
    expected = [[open_at(hours[k], m, holidays, until=until) for k in keys] for m in moments]
    assert all(value is None for row in expected[-3:] for value in row)  # past the end: really unknown
    assert_rows_agree([(m.isoformat(), k) for m in moments for k in keys],
                      [value for row in from_browser for value in row], [value for row in expected for value in row],
                      what="open at (moment, contact)", got_name="hours.js", expected_name="hours.py")


def test_keyboard_alone(page, base_url):
    open_widget(page, base_url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    # Move to the first radio, pick "No" with the arrow key, submit with Enter.
    radio(page, "Yes").focus()
    page.keyboard.press("ArrowDown")
    expect(radio(page, "No")).to_be_checked()
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text(CHART.questions["significant_harm"].text)
    expect(heading(page)).to_be_focused()
    # Tab past the glossary terms explained in the question, to the first radio.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    expect(radio(page, "Yes")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")
    expect_outcome(page, "refer_now")


@pytest.mark.parametrize("width", [320, 360])
def test_narrow_screens_do_not_scroll_sideways(browser, base_url, width):
    context = browser.new_context(viewport={"width": width, "height": 700})
    page = context.new_page()
    try:
        open_widget(page, base_url)
        overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate(overflow) == 0
        chart_toggle = page.get_by_text("See the whole flowchart")
        expect(chart_toggle).to_be_visible()
        first_box = page.get_by_text("Anyone in immediate danger?", exact=True)
        expect(first_box).to_be_hidden()
        chart_toggle.click()
        expect(first_box).to_be_visible()
        screenshot(page, f"question-{width}px")
        for qid, value in TO_SHARE_WITHOUT_CONSENT:
            answer(page, qid, value)
        expect_outcome(page, "share_without_consent")
        assert page.evaluate(overflow) == 0
        screenshot(page, f"outcome-{width}px")
    finally:
        context.close()


def _outcome_routes():
    """One path to each outcome, as (outcome id, answers in order)."""
    seen = {}
    for answers, outcome in all_paths(CHART):
        seen.setdefault(outcome, answers)
    return sorted(seen.items())


@pytest.mark.parametrize(("outcome", "answers"), _outcome_routes(), ids=[o for o, _ in _outcome_routes()])
def test_every_outcome_page_walks_and_passes_axe(page, base_url, axe, outcome, answers):
    open_widget(page, base_url)
    for qid, value in answers.items():
        answer(page, qid, value)
    expect_outcome(page, outcome)
    check_accessibility(axe, page, f"outcome {outcome}")


def test_every_path_in_the_browser_matches_the_python_engine(page, base_url):
    """flow.js mirrors engine.py: walk all paths in the page and compare each outcome."""
    open_widget(page, base_url)
    for answers, outcome in all_paths(CHART):
        for qid, value in answers.items():
            answer(page, qid, value)
        expect_outcome(page, outcome)
        page.get_by_role("button", name="Start again").click()


def test_every_question_page_passes_axe(page, base_url, axe):
    open_widget(page, base_url)
    for qid, value in ASKED_BY_SOMEONE_ELSE:
        expect(heading(page)).to_have_text(CHART.questions[qid].text)
        check_accessibility(axe, page, f"question {qid}")
        answer(page, qid, value)
    expect_outcome(page, "share_without_consent")
    assert set(CHART.questions) == {qid for qid, _ in ASKED_BY_SOMEONE_ELSE}


def test_asked_by_childrens_social_care_during_child_protection_enquiries(page, base_url, axe):
    """A GP or housing officer asked during section 47 enquiries is told to share, under legal obligation."""
    open_widget(page, base_url)
    _walk_to(page, {**ASKED, "asked_by_social_care": "yes"})
    expect_outcome(page, "share_on_request_s47")
    step = page.locator("section.step:visible")
    expect(step.get_by_text(CHART.outcomes["share_on_request_s47"].note)).to_be_visible()
    step.get_by_text("The law behind this").click()
    expect(step.get_by_role("link", name=CHART.legal["ca1989_s47_9"].title)).to_be_visible()
    expect(step.get_by_role("link", name=CHART.legal["uk_gdpr_art6_1c"].title)).to_be_visible()
    expect(step.get_by_text("To be confirmed").first).to_be_visible()  # the list in s47(11)
    screenshot(page, "outcome-asked-by-social-care")
    check_accessibility(axe, page, "asked by children's social care")


def test_asked_by_the_police(page, base_url, axe):
    open_widget(page, base_url)
    _walk_to(page, {**NOT_S47, "asked_by_police": "yes"})
    expect_outcome(page, "share_on_police_request")
    step = page.locator("section.step:visible")
    step.get_by_text("The law behind this").click()
    expect(step.get_by_role("link", name=CHART.legal["dpa2018_part3"].title)).to_be_visible()
    expect(step.get_by_role("link", name=CHART.legal["dpa2018_sch2_p2"].title)).to_be_visible()
    check_accessibility(axe, page, "asked by the police")


def test_consent_refused_below_the_threshold_is_respected(page, base_url, axe):
    open_widget(page, base_url)
    _walk_to(page, {**OWN_WORRY, **TO_CONSENT, "consent": "no", "public_interest": "no"})
    expect_outcome(page, "respect_refusal")
    step = page.locator("section.step:visible")
    expect(step.get_by_text(CHART.outcomes["respect_refusal"].note)).to_be_visible()
    expect(step.get_by_role("heading", level=2, name="What to do instead")).to_be_visible()
    expect(step.locator(".contact").filter(has_text="Out of hours")).to_be_visible()
    check_accessibility(axe, page, "the respect-the-refusal outcome")


def test_refer_now_shows_the_personal_duties_with_the_lado_open_or_closed(browser, base_url, axe):
    with refer_now_at(browser, base_url, dt.datetime(2026, 12, 1, 10, 0, tzinfo=UK), width=1024) as page:
        step = page.locator("section.step:visible")
        expect(step.get_by_role("heading", level=2, name="Duties you may have yourself")).to_be_visible()
        fgm = step.locator('[data-duty="fgm_reporting"]')
        expect(fgm.get_by_role("heading", level=3)).to_have_text(CHART.duties["fgm_reporting"].title)
        expect(fgm).to_contain_text("101")
        expect(fgm).to_contain_text("In force")
        lado = step.locator('[data-duty="lado"]')
        expect(lado).to_contain_text("To be confirmed")
        expect(lado.locator('[data-contact="lado"] .contact__status')).to_have_text("Open now")
        expect(lado.get_by_role("link", name="01632 960 005")).to_have_attribute("href", "tel:01632960005")
        expect(step.locator('[data-duty="csa_reporting"]')).to_contain_text("To be confirmed")
        # One "Open now" line on the page: the one above the contacts.
        expect(step.get_by_role("status")).to_have_count(1)
        screenshot(page, "outcome-refer-now-duties")
        check_accessibility(axe, page, "refer now with the personal duties")


@pytest.mark.parametrize("path", ["/", "/glossary", "/records"])
def test_every_page_says_where_and_when_the_content_applies(page, base_url, path):
    open_widget(page, base_url, path)
    footer = page.locator("footer")
    expect(footer).to_contain_text(f"This content covers England only, with the law as it stood on "
                                   f"{CHART.law_as_at:%-d %B %Y}")
    expect(footer).to_contain_text("Wales, Scotland and Northern Ireland have their own law and procedures")


def test_the_api_answers_on_the_running_widget(base_url):
    with urllib.request.urlopen(f"{base_url}/api/v1/flowchart") as response:
        assert json.load(response)["start"] == "immediate_danger"
    request = urllib.request.Request(
        f"{base_url}/api/v1/flowchart/evaluate",
        data=json.dumps({"answers": dict(TO_SHARE_WITHOUT_CONSENT)}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        body = json.load(response)
    assert body["outcome"]["kind"] == "share_without_consent"
    assert [step["id"] for step in body["path"]] == [qid for qid, _ in TO_SHARE_WITHOUT_CONSENT]


def test_answering_sends_nothing_to_the_server(page, base_url):
    """The privacy promise in docs/security.md: while someone decides, no answer leaves the browser."""
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))
    requests: list[str] = []
    open_widget(page, base_url)
    page.on("request", lambda request: requests.append(request.url + (request.post_data or "")))
    before = len(sent)
    for qid, value in TO_SHARE_WITHOUT_CONSENT:
        answer(page, qid, value)
    expect_outcome(page, "share_without_consent")
    page.get_by_role("button", name="Change your answer to: Is anyone in immediate danger?").click()
    answer(page, "immediate_danger", "unsure")
    expect_outcome(page, "emergency_unsure")
    page.wait_for_timeout(500)
    leaked = [frame for frame in sent[before:] if any(qid in frame for qid in CHART.questions)]
    assert not leaked, leaked
    assert not [url for url in requests if any(qid in url for qid in CHART.questions)]
    assert "answer" not in page.url and "?" not in page.url
    # The instrument works: recording the decision is the moment the answers do go to the server.
    page.get_by_role("button", name="Record this decision").click()
    expect(page.get_by_label("Organisation").first).to_be_visible()
    assert any("immediate_danger" in frame for frame in sent[before:])

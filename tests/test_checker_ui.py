"""The checker as a visitor uses it: answers typed into the form, the result card, sharing, the calendar file,
worked examples, keyboard use, accessibility (axe-core), phone widths, and a worker that crashes.

Each test loads one page (starting Python takes seconds) and checks several things on it."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

import rules
from rules import words
from rules.cases import Case, load_cases
from tests.browser import (
    LOAD_TIMEOUT_MS,
    answer_form,
    as_url_text,
    axe_violations,
    checker_url,
    crashing_worker,
    decision,
    expect_status,
    field_box,
    fill,
    guard,
    long_date,
    screenshot,
    wait_ready,
    yen,
)

pytestmark = pytest.mark.browser

CASES = load_cases()
# One language per program keeps the run short; the accessibility test below shows every page in both.
SCENARIO_LANG = {"ismartphones": "en", "line-device": "ja", "line-byod": "en"}


def expected(case: Case) -> dict[str, Any]:
    """CPython's decision on the case's answers with its claim date (as the page is given them)."""
    return rules.evaluate(case.program, case.with_claim_date(), today=case.today).to_dict()


def typeable(program: str, case: Case) -> bool:
    """Whether a visitor can enter these answers: a date input cannot hold 30 February and a list offers only
    its choices (links can carry both; test_browser checks those)."""
    fields = {spec["name"]: spec for spec in rules.questions(program)["fields"]}
    kinds = {name: spec["kind"] for name, spec in fields.items()}
    for name, value in case.answers.items():
        if kinds.get(name) == "choice" and str(value) not in {c["value"] for c in fields[name]["choices"]}:
            return False
        if kinds.get(name) == "bool" and str(value) not in ("true", "false"):
            return False
        if kinds.get(name) in ("date", "month"):
            try:
                date.fromisoformat(str(value) + ("-01" if kinds[name] == "month" else ""))
            except ValueError:
                return False
    return True


def chosen_cases(program: str, limit: int = 5) -> list[Case]:
    """The worked examples, then the first case of each status not yet shown: varied, but few."""
    # an empty form has no card to compare: test_an_empty_form_argues_nothing_and_invites_the_visitor_to_start
    cases = [c for c in load_cases(program) if typeable(program, c) and c.answers]
    picked = [c for c in cases if c.example]
    for case in cases:
        if case.status not in {c.status for c in picked}:
            picked.append(case)
    return picked[:limit]


def first_example(program: str) -> dict[str, Any]:
    return next(c for c in load_cases(program) if c.example and c.status == "covered")


# ---------------------------------------------------------------- checks on the result card
def expect_card(page: Page, want: dict[str, Any], lang: str) -> None:
    """The card shows the decision's verdict, fee, total, coverage end and each deadline, as formatted for people."""
    region = decision(page)
    expect(region).to_have_attribute("data-status", want["status"], timeout=LOAD_TIMEOUT_MS)
    expect(region.get_by_test_id("verdict")).to_have_text(words.group("status", lang)[want["status"]])  # one table of words
    if want["fee_jpy"] is not None:
        expect(region).to_have_attribute("data-fee-jpy", str(want["fee_jpy"]))
        total = region.get_by_test_id("total")
        if want["customer_pays_jpy_with_tax"]:  # the sum: fee + tax + any excess = what you pay
            expect(total.get_by_test_id("fee")).to_contain_text(yen(want["fee_jpy"], lang))
            expect(total).to_contain_text(yen(want["customer_pays_jpy_with_tax"], lang))
        else:
            expect(total).to_have_text(re.compile("^(Free of charge|無料)$"))
    else:
        expect(region).not_to_have_attribute("data-fee-jpy", re.compile(".*"))
    if want["coverage_end"]:
        expect(region.get_by_test_id("coverage")).to_contain_text(long_date(want["coverage_end"], lang))
    for item in want["obligations"]:
        row = region.locator(f'li[data-code="{item["code"]}"]')
        if item["due"]:
            expect(row.locator(".wc-tag")).to_contain_text(long_date(item["due"], lang))
        if item["penalty_jpy"]:  # shown with tax
            expect(row.locator(".wc-tag")).to_contain_text(yen(item["penalty_jpy_with_tax"], lang))
    terms = page.locator("[data-wc]").first.get_attribute("data-terms")
    for reason in want["reasons"]:  # each reason links to its clause
        expect(region.locator(f'li[data-code="{reason["code"]}"] a').first).to_have_attribute("href", f"{terms}#{reason['clause']}")


def tab_to(page: Page, name: str, presses: int = 3) -> None:
    """Press Tab until the field called `name` has the focus (a date input may keep it for one more Tab)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}; focus is on {page.evaluate('document.activeElement.outerHTML.slice(0, 120)')}")


# ---------------------------------------------------------------- tests
@pytest.mark.parametrize("program", sorted(rules.PROGRAMS))
def test_answers_typed_into_the_form_match_the_scenarios(watched: Page, site_url: str, program: str) -> None:
    lang = SCENARIO_LANG[program]
    watched.goto(checker_url(site_url, program, lang))
    wait_ready(watched)
    for case in chosen_cases(program):
        answer_form(watched, case.with_claim_date())
        want = expected(case)
        assert want["status"] == case.status, case.name
        expect_card(watched, want, lang)


def test_an_answer_that_a_question_depends_on_shows_and_hides_it_and_the_ones_after_it(watched: Page, site_url: str) -> None:
    case = first_example("line-byod")
    watched.goto(checker_url(site_url, "line-byod", "en", case.with_claim_date()))
    expect_status(watched, "covered")
    condition, incident = field_box(watched, "registered_in_good_condition"), field_box(watched, "incident_date")
    imei = field_box(watched, "imei").locator("input")

    # Typing an answer no question depends on (the IMEI) leaves the questions as they are.
    imei.click()
    imei.press_sequentially("490154203237518")
    expect(imei).to_have_value("490154203237518")
    expect(field_box(watched, "imei").locator(".wc-error")).to_be_empty()
    expect(condition).to_be_visible()
    expect(incident).to_be_visible()

    # No registration date: the question about the phone's condition and the IMEI go, and with them the claim's questions.
    fill(watched, "imei_registered_date", "")
    expect(condition).to_be_hidden()
    expect(imei).to_be_hidden()
    expect(incident).to_be_hidden()

    # The date again: the questions are back, with the answers the visitor gave before.
    fill(watched, "imei_registered_date", case.answers["imei_registered_date"])
    expect(condition).to_be_visible()
    expect(condition.locator('input[value="true"]')).to_be_checked()
    expect(imei).to_have_value("490154203237518")
    expect(incident.locator("input")).to_have_value(case.answers["incident_date"])
    expect_status(watched, "covered")


def test_typing_errors_stay_at_their_field_and_the_last_answer_wins(watched: Page, site_url: str) -> None:
    case = first_example("line-byod")
    watched.goto(checker_url(site_url, "line-byod", "en", case.with_claim_date()))
    expect_status(watched, "covered")

    # A bad IMEI checksum: the message is at the field, tied to it, and what was typed stays.
    imei = field_box(watched, "imei").locator("input")
    imei.click()
    imei.press_sequentially("490154203237519")  # the right checksum is 8: one digit off
    expect_status(watched, "invalid")
    error = field_box(watched, "imei").locator(".wc-error")
    expect(error).not_to_be_empty()
    assert error.get_attribute("id") in imei.get_attribute("aria-describedby").split()
    expect(imei).to_have_attribute("aria-invalid", "true")
    expect(imei).to_have_value("490154203237519")
    expect(imei).to_be_focused()  # re-rendering the answer never takes the visitor out of the field
    imei.fill("")
    expect_status(watched, "covered")
    expect(imei).not_to_have_attribute("aria-invalid", "true")

    # Two changes in one go: whatever order the answers come back in, the card shows the last one.
    watched.evaluate("""() => {
        const set = (value) => { const input = document.querySelector('.wc-field[data-field="claims_past_year"] input');
                                 input.value = value; input.dispatchEvent(new Event('input', { bubbles: true })); };
        set('2'); set('1');
    }""")
    expect(decision(watched)).to_have_attribute("data-fee-jpy", "8000", timeout=LOAD_TIMEOUT_MS)
    watched.wait_for_timeout(500)  # room for a stale answer to arrive late and (wrongly) win
    expect(decision(watched)).to_have_attribute("data-status", "covered")
    expect(decision(watched)).to_have_attribute("data-fee-jpy", "8000")
    assert "claims_past_year=1" in watched.url


def test_examples_share_link_calendar_and_reload(watched: Page, site_url: str) -> None:
    watched.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    watched.goto(checker_url(site_url, "line-device", "en"))
    wait_ready(watched)
    fill(watched, "bought_from_line", "true")  # the questions that open the later ones
    fill(watched, "joined_at_signup", "true")
    fill(watched, "cancelled_date", "2026-01-01")  # not in the example: clicking the example must clear it

    # A worked example fills the form with exactly its answers and answers it.
    example = watched.locator("a[data-example]").first
    example.click()
    case = next(c for c in load_cases("line-device") if c.example)
    want = expected(case)
    expect_card(watched, want, "en")
    expect(field_box(watched, "cancelled_date").locator("input")).to_have_value("")
    expect(field_box(watched, "damage").locator("select")).to_have_value(case.answers["damage"])

    # The calendar file: coverage end and every obligation with a due date, all-day events.
    with watched.expect_download() as download:
        watched.get_by_role("button", name="Add dates to calendar").click()
    assert download.value.suggested_filename == "warranty-line-device.ics"
    ics = download.value.path().read_bytes().decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    unfolded = ics.replace("\r\n ", "")
    dues = [want["coverage_end"]] + [o["due"] for o in want["obligations"] if o["due"]]
    for due in dues:
        assert f"DTSTART;VALUE=DATE:{due.replace('-', '')}" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == len(set(dues))  # one event per date
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))

    # Copy link, by keyboard: a visible confirmation, and the clipboard holds the answers.
    copy = watched.get_by_role("button", name="Copy link")
    copy.focus()
    watched.keyboard.press("Enter")
    expect(watched.get_by_role("status")).to_contain_text("Link copied")
    link = watched.evaluate("navigator.clipboard.readText()")
    assert link.startswith(watched.url.partition("#")[0] + "#") and "damage=" in link
    # It pins the claim date the answer was computed for, so that it gives the same answer on a later day.
    assert f"claim_date={want['claim_date']}" in link, link

    # The link restores the form and the answer.
    watched.goto("about:blank")
    watched.goto(link)
    expect_card(watched, want, "en")
    expect(field_box(watched, "damage").locator("select")).to_have_value(case.answers["damage"])


def test_the_whole_flow_works_by_keyboard(browser: Browser, site_url: str) -> None:
    """Tab into the form, choose with arrow keys, type dates: the verdict appears (ismartphones 30-day return)."""
    context = browser.new_context(locale="en-US")  # date inputs take month/day/year keystrokes in en-US
    page = context.new_page()
    watch = guard(page, site_url)
    page.goto(checker_url(site_url, "ismartphones", "en"))
    wait_ready(page)
    tab_to(page, "request", presses=80)  # past the site's header and navigation, into the form
    page.keyboard.press("ArrowDown")  # warranty → return
    tab_to(page, "item")
    page.keyboard.press("ArrowDown")  # the first choice: a mobile device
    tab_to(page, "received_date")
    page.keyboard.type("03012026")  # 1 March 2026
    tab_to(page, "claim_date")
    page.keyboard.type("03312026")  # 31 March 2026
    tab_to(page, "item_state")  # the warranty questions are hidden, so never reached
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # unshipped → unopened
    expect_status(page, "covered")
    expect(decision(page).get_by_test_id("verdict")).to_have_text("Covered")
    expect(decision(page).get_by_test_id("coverage")).to_contain_text("31 March 2026")
    assert "request=return" in page.url and "item_state=unopened" in page.url
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Start over"
    for _ in range(20):  # past the clause links in the answer, to its buttons
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Copy link":
            break
    else:
        raise AssertionError("Tab never reached the Copy link button")
    assert not watch.problems(), watch.problems()
    context.close()


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("program", sorted(rules.PROGRAMS))
def test_every_checker_page_is_accessible_and_fits_a_phone(watched: Page, site_url: str, program: str, lang: str) -> None:
    """axe-core finds nothing with an answer shown; 360 px wide never scrolls sideways; screenshots for people."""
    case = first_example(program)
    watched.set_viewport_size({"width": 1280, "height": 900})
    watched.goto(checker_url(site_url, program, lang, case.with_claim_date()))
    expect_status(watched, "covered")
    found = axe_violations(watched)  # the whole page: Material's header, nav and search included
    assert found == [], json.dumps(found)
    screenshot(watched, f"{program}-{lang}-1280")
    watched.set_viewport_size({"width": 360, "height": 780})
    watched.wait_for_timeout(100)
    assert watched.evaluate("document.scrollingElement.scrollWidth") <= 360
    screenshot(watched, f"{program}-{lang}-360")


def test_a_crashed_worker_is_restarted_once(page: Page, site_url: str) -> None:
    """The first worker dies on its first question; a fresh one starts and the visitor still gets the answer."""
    watch = guard(page, site_url)
    requested = crashing_worker(page, crashes=1)
    case = first_example("ismartphones")
    page.goto(checker_url(site_url, "ismartphones", "en", case.with_claim_date()))
    expect_status(page, "covered")
    assert len(requested) == 2  # the crashed worker, then exactly one restart
    expect(decision(page).get_by_test_id("verdict")).to_have_text("Covered")
    # The crash itself is reported inside the worker; nothing else may go wrong.
    assert [p for p in watch.problems() if "simulated worker crash" not in p] == []


def test_printing_lists_the_answers_given_as_text(watched: Page, site_url: str) -> None:
    """Form controls print poorly, so printing starts by writing the answers as a plain list (on beforeprint)."""
    case = first_example("ismartphones")
    watched.goto(checker_url(site_url, "ismartphones", "en", case.with_claim_date()))
    expect_status(watched, "covered")
    printed = watched.locator("[data-wc-print]")
    expect(printed.locator("dt")).to_have_count(0)  # nothing is written while answering
    watched.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    shown = watched.locator(".wc-field:not([hidden])")
    labels = [shown.nth(i).locator("label, legend").first.inner_text().strip() for i in range(shown.count())]
    terms = printed.locator("dt").all_inner_texts()
    assert terms and set(terms) <= set(labels)
    assert len(terms) == len([k for k, v in case.with_claim_date().items() if v not in ("", None)])


def test_an_embed_whose_early_worker_fails_to_load_still_answers(page: Page, site_url: str) -> None:
    """The embed page starts the worker before its form is in place: a worker script that fails then (a
    network hiccup, a deploy in progress) is restarted once, and the visitor still gets the answer."""
    watch = guard(page, site_url)
    requested: list[str] = []

    def handle(route: Any) -> None:
        requested.append(route.request.url)
        if len(requested) == 1:
            route.fulfill(status=200, content_type="text/javascript", body='throw new Error("simulated worker load failure");')
        else:
            route.continue_()

    page.route(re.compile(r"/assets/checker/worker\.js$"), handle)
    case = first_example("ismartphones")
    page.goto(f"{site_url}/embed/ismartphones/?lang=en#" + urlencode({k: as_url_text(v) for k, v in case.with_claim_date().items()}))
    expect_status(page, "covered")
    assert len(requested) == 2
    assert [p for p in watch.problems() if "simulated worker load failure" not in p] == []


def test_a_worker_that_keeps_crashing_is_given_up(browser: Browser, site_url: str) -> None:
    """A worker that crashes every time is restarted once per restart delay (shortened here), then the page says the
    checker is unavailable rather than spinning, with a retry button. Service workers are blocked here: once the
    site's own (site/sw.js) is registered, it serves worker.js to new workers itself, past the test's stand-in."""
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    guard(page, site_url)
    page.add_init_script("globalThis.warrantyCheckerConfig = { restartDelaysMs: [50, 100, 200] }")
    requested = crashing_worker(page, crashes=99)
    case = first_example("ismartphones")
    page.goto(checker_url(site_url, "ismartphones", "en", case.with_claim_date()))
    expect_status(page, "unavailable")
    expect(decision(page).get_by_test_id("retry")).to_be_visible()
    assert len(requested) == 4  # the first worker and three restarts
    context.close()


@pytest.mark.parametrize(
    "path", ["", "ja/", "terms/line-byod/", "ja/terms/ismartphones/", "interpretations/", "ja/embed/", "embed/line-device/?lang=ja"]
)
def test_the_other_pages_are_accessible_too(watched: Page, site_url: str, path: str) -> None:
    """Home, terms, interpretations, the embed docs and a chrome-less embed page: axe-core finds nothing."""
    watched.goto(f"{site_url}/{path}")
    watched.wait_for_load_state("load")
    found = axe_violations(watched)
    assert found == [], json.dumps(found)

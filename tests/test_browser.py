"""End-to-end in the system Chromium against the built public/: prefill, live answers, privacy, failure modes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

import rules
from rules.cases import Case, load_cases
from tests.browser import checker_url, decision, expect_status, field_box, fill, guard, wait_ready

pytestmark = pytest.mark.browser

CASES = load_cases()


def first_case(program: str, status: str) -> Case:
    return next(c for c in load_cases(program) if c.status == status)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("program", sorted(rules.PROGRAMS))
def test_a_prefilled_link_shows_its_answer(watched: Page, site_url: str, program: str, lang: str) -> None:
    case = first_case(program, "covered")
    answers = case.with_claim_date()
    watched.goto(checker_url(site_url, program, lang, answers))
    expect_status(watched, "covered")
    expected = rules.evaluate(program, answers, today=case.today).to_dict()
    if expected["fee_jpy"] is not None:
        expect(decision(watched)).to_have_attribute("data-fee-jpy", str(expected["fee_jpy"]))
    expect(decision(watched).get_by_test_id("verdict")).to_have_text("Covered" if lang == "en" else "保証の対象です")
    assert watched.locator("html").get_attribute("lang") == lang


def test_the_query_string_prefills_too(watched: Page, site_url: str) -> None:
    case = first_case("ismartphones", "not_covered")
    answers = case.with_claim_date()
    watched.goto(checker_url(site_url, "ismartphones", "en", answers, where="?"))
    expect_status(watched, "not_covered")
    # Read once, the answers move to the fragment: a shared link never carries them to a server.
    assert "?" not in watched.url and f"received_date={answers['received_date']}" in watched.url.split("#", 1)[1]


def test_an_unreadable_yes_no_from_a_link_is_explained_at_its_field(watched: Page, site_url: str) -> None:
    answers = {
        "item": "mobile_device",
        "received_date": "2026-01-15",
        "claim_date": "2026-03-01",
        "cause": "defect",
        "opened_or_modified": "maybe",
        "serial_unreadable": "false",
        "sim": "standard",
    }
    watched.goto(checker_url(site_url, "ismartphones", "en", answers))
    expect_status(watched, "invalid")
    expected = rules.evaluate("ismartphones", answers, today="2026-03-01").to_dict()["errors"]
    assert [e["field"] for e in expected] == ["opened_or_modified"]
    # At its field the message does not repeat the question: the rules' message without the label in front of it.
    label = rules.PROGRAMS["ismartphones"].field("opened_or_modified").label["en"]
    assert expected[0]["message"]["en"].startswith(f"{label}: ")
    rest = expected[0]["message"]["en"].removeprefix(f"{label}: ")
    expect(field_box(watched, "opened_or_modified").locator(".wc-error")).to_have_text(rest[0].upper() + rest[1:])
    fill(watched, "opened_or_modified", "false")  # picking an answer replaces what could not be read
    expect_status(watched, "covered")


def test_changing_an_answer_changes_the_decision(watched: Page, site_url: str) -> None:
    case = first_case("ismartphones", "covered")
    answers = case.with_claim_date()
    watched.goto(checker_url(site_url, "ismartphones", "en", answers))
    expect_status(watched, "covered")
    fill(watched, "claim_date", "2099-12-31")
    expect_status(watched, "not_covered")
    assert "claim_date=2099-12-31" in watched.url  # the share link follows the form


def test_a_bad_answer_is_explained_at_its_field_and_kept(watched: Page, site_url: str) -> None:
    watched.goto(
        checker_url(site_url, "ismartphones", "en", {"item": "mobile_device", "received_date": "2026-02-30", "claim_date": "2026-03-01"})
    )
    expect_status(watched, "invalid")
    box = field_box(watched, "received_date")
    expect(box.locator(".wc-error")).to_contain_text("does not exist")
    expect(box.locator("input")).to_have_value("2026-02-30")
    expect(box.locator("input")).to_have_attribute("aria-invalid", "true")
    assert box.locator("input").get_attribute("aria-describedby").endswith("-error")


def test_an_empty_form_argues_nothing_and_invites_the_visitor_to_start(watched: Page, site_url: str) -> None:
    """Before any answer: no reasons, no "Why", no list of everything missing; an invitation and the first question."""
    watched.goto(checker_url(site_url, "ismartphones", "ja"))
    expect_status(watched, "incomplete")
    expect(decision(watched).get_by_test_id("headline")).to_contain_text("上の質問に最初から答えてください")
    expect(decision(watched).locator("li")).to_have_count(0)
    expect(watched.locator("[data-wc-actions]")).to_be_hidden()
    first = rules.PROGRAMS["ismartphones"].field("item").label["ja"]
    expect(watched.get_by_test_id("status")).to_contain_text(first)  # the status names the next question
    fill(watched, "item", "accessory")  # one answer, and the card lists what is still needed
    expect(decision(watched).get_by_test_id("missing")).to_contain_text(rules.PROGRAMS["ismartphones"].field("received_date").label["ja"])


def test_the_form_is_usable_before_python_loads(page: Page, site_url: str) -> None:
    """With the runtime held back, the form is already there and says it is loading."""
    watch = guard(page, site_url)
    page.route("**/*.wasm", lambda route: None)  # never answered: Python cannot start
    page.goto(checker_url(site_url, "ismartphones"))
    expect(decision(page)).to_have_attribute("data-status", "loading")
    fill(page, "item", "accessory")
    expect(field_box(page, "item").locator("select")).to_have_value("accessory")
    assert not watch.offsite


@pytest.mark.parametrize("program", sorted(rules.PROGRAMS))
def test_browser_and_cpython_agree_on_every_scenario(watched: Page, site_url: str, program: str) -> None:
    cases = [c for c in CASES if c.program == program]
    watched.goto(checker_url(site_url, program))
    wait_ready(watched)
    got = watched.evaluate(
        """async (cases) => Promise.all(cases.map((c) => globalThis.warrantyChecker.evaluate(c.program, c.answers, c.today)))""",
        [{"program": program, "answers": c.answers, "today": c.today} for c in cases],
    )
    for case, browser_decision in zip(cases, got, strict=True):
        assert browser_decision == case.decide(), case.name


def test_the_guard_catches_a_request_to_another_origin(browser: Browser, site_url: str) -> None:
    """The privacy check can fail: a page that calls out is caught (with the site's policy bypassed, which would
    otherwise refuse the request before the guard could see it)."""
    page = browser.new_context(bypass_csp=True).new_page()
    watch = guard(page, site_url)
    page.goto(f"{site_url}/")
    page.evaluate("fetch('http://example.invalid/x').catch(() => {})")
    page.wait_for_timeout(300)
    assert watch.offsite == ["http://example.invalid/x"]
    page.context.close()

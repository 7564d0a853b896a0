"""The compact status that stays in view while a visitor answers (DESIGN: [data-testid="status"]), driven as a
person drives it: answering question after question on a phone and a desktop, then following it to the card."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

import rules
from rules.cases import load_cases
from tests.browser import LOAD_TIMEOUT_MS, as_url_text, decision, expect_status, field_box, fill, screenshot

pytestmark = pytest.mark.browser

# The ¥70,000 repair typed in full-width digits: a covered line-byod case with most questions answered.
CASE = next(case for case in load_cases("line-byod") if case.answers.get("repair_cost_jpy") == "７０，０００")


# The labels of the questions shown and not yet answered: "incomplete" names one of them, the next.
UNANSWERED_LABELS = """boxes => boxes.filter((b) => b.querySelector("input:checked") === null
    && [...b.querySelectorAll("input:not([type=radio]), select")].every((i) => i.value === ""))
  .map((b) => b.querySelector("legend, label").firstChild.textContent.trim())"""


@pytest.mark.parametrize(("lang", "width"), [("en", 360), ("ja", 360), ("en", 1280), ("ja", 1280)])
def test_the_status_stays_beside_each_question_and_leads_to_the_card(watched: Page, site_url: str, lang: str, width: int) -> None:
    watched.set_viewport_size({"width": width, "height": 800})
    watched.goto(f"{site_url}/{'ja/' if lang == 'ja' else ''}check/line-byod/")
    status = watched.get_by_test_id("status")
    expect(decision(watched)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    answers = CASE.with_claim_date()
    order = watched.locator(".wc-field").evaluate_all("boxes => boxes.map((b) => b.dataset.field)")
    typed: dict[str, str] = {}
    for name in order:
        if name not in answers or not field_box(watched, name).is_visible():
            continue
        field = field_box(watched, name)
        field.scroll_into_view_if_needed()  # the visitor scrolls to the question, then answers it
        fill(watched, name, as_url_text(answers[name]))
        typed[name] = as_url_text(answers[name])
        expect(status).to_be_in_viewport()
        expect(field).to_be_in_viewport()
        # The rules' own answer to what is typed so far (the page's day is today): card and status catch up with it.
        want = rules.evaluate(CASE.program, typed, today=date.today()).status
        expect(decision(watched)).to_have_attribute("data-status", want, timeout=LOAD_TIMEOUT_MS)
        expect(status).to_have_attribute("data-status", want, timeout=LOAD_TIMEOUT_MS)
        if want == "incomplete":
            unanswered = watched.locator(".wc-field:not([hidden])").evaluate_all(UNANSWERED_LABELS)
            expect(status).to_contain_text(re.compile("|".join(re.escape(label) for label in unanswered)))
        if len(typed) == 3:
            screenshot(watched, f"status-while-answering-{lang}-{width}")
    expect_status(watched, CASE.status)
    expect(status).to_have_attribute("data-status", "covered")
    expect(status).to_contain_text(re.compile("24,400"))
    screenshot(watched, f"status-after-last-answer-{lang}-{width}")
    status.get_by_role("button").click()
    expect(decision(watched)).to_be_in_viewport()
    expect(decision(watched)).to_be_focused()

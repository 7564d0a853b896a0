"""Answers typed into the form as people type them: an unreadable date, full-width digits, a yen amount with
separators. Each gets its message at the field (or is read), and nothing typed is lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from rules.cases import load_cases
from tests.browser import answer_form, expect_status, field_box, fill

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("lang", "typed"), [("en", "02302026"), ("ja", "0315")])
def test_a_date_the_browser_cannot_read_gets_its_message_at_the_field(watched: Page, site_url: str, lang: str, typed: str) -> None:
    """02/30/2026 or a half-typed year: the browser's date input holds no value, so the checker says so at the field."""
    watched.set_viewport_size({"width": 360, "height": 800})
    watched.goto(f"{site_url}/{'ja/' if lang == 'ja' else ''}check/ismartphones/")
    fill(watched, "item", "mobile_device")
    box = field_box(watched, "received_date")
    box.locator("input").click()
    watched.keyboard.type(typed)
    expect_status(watched, "invalid")
    error = box.locator(".wc-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("2026-03-10")  # the rules' bad_date message, in the page's language
    expect(error).to_contain_text("年・月・日" if lang == "ja" else "year, month and day")
    assert box.locator("input").evaluate("input => input.validity.badInput"), "what was typed is still in the input"
    assert field_box(watched, "item").locator("select").input_value() == "mobile_device"  # and nothing else was lost


# The scenario of a ¥70,000 repair typed in full-width digits: the visitor answers it, then mistypes the cost.
FULL_WIDTH_REPAIR = next(case for case in load_cases("line-byod") if case.answers.get("repair_cost_jpy") == "７０，０００")


def test_a_repair_cost_typed_in_full_width_digits_with_separators_is_read(watched: Page, site_url: str) -> None:
    watched.goto(f"{site_url}/ja/check/line-byod/")
    answer_form(watched, FULL_WIDTH_REPAIR.with_claim_date())
    expect_status(watched, "covered")
    box = field_box(watched, "repair_cost_jpy")
    box.locator("input").fill("１，２，３")
    expect_status(watched, "invalid")
    expect(box.locator(".wc-error")).to_contain_text("70,000")
    box.locator("input").fill("７０，０００円")
    expect(box.locator(".wc-error")).to_be_empty()
    expect_status(watched, "covered")
    expect(watched.get_by_test_id("decision")).to_contain_text("24,400")  # fee ¥4,000 + tax ¥400 + ¥20,000 above the cap
    assert box.locator("input").input_value() == "７０，０００円"

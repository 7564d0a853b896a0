"""The header's language switch, used as a visitor uses it: answers and place are kept across languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from rules.cases import load_cases
from tests.browser import answer_form, expect_status, field_box, screenshot

pytestmark = pytest.mark.browser

# A refused iPhone exchange: the card it gives has to survive the switch, not only the typed answers.
IOS_EXCHANGE = next(case for case in load_cases("line-byod") if case.expect.get("excludes") == ["ios_exchange"])


def switch_language(page: Page, to: str) -> None:
    """Open the header's language menu and choose the other language, as a visitor does."""
    page.locator(".md-header__option .md-select button").click()
    page.get_by_test_id(f"lang-{to}").click()


@pytest.mark.parametrize(("start", "to", "width"), [("en", "ja", 360), ("ja", "en", 1280)])
def test_switching_language_keeps_the_answers_and_the_question_in_view(
    watched: Page, site_url: str, start: str, to: str, width: int
) -> None:
    watched.set_viewport_size({"width": width, "height": 800})
    prefix = "ja/" if start == "ja" else ""
    watched.goto(f"{site_url}/{prefix}check/line-byod/")
    answers = IOS_EXCHANGE.with_claim_date()
    answer_form(watched, answers)
    expect_status(watched, IOS_EXCHANGE.status)
    field_box(watched, "service").locator("select").focus()  # the question the visitor was answering
    switch_language(watched, to)

    expect(watched).to_have_url(f"{site_url}/{'ja/' if to == 'ja' else ''}check/line-byod/" + watched.url.partition("/check/line-byod/")[2])
    assert "#" in watched.url and "service=exchange" in watched.url
    expect(watched.locator("html")).to_have_attribute("lang", to)
    expect_status(watched, IOS_EXCHANGE.status)
    assert field_box(watched, "service").locator("select").input_value() == "exchange"
    assert field_box(watched, "contract_date").locator("input").input_value() == answers["contract_date"]
    expect(field_box(watched, "service")).to_be_in_viewport()
    screenshot(watched, f"language-switch-{start}-to-{to}-{width}")


@pytest.mark.parametrize(("start", "to"), [("en", "ja"), ("ja", "en")])
def test_switching_language_on_a_terms_page_keeps_the_clause_in_view(watched: Page, site_url: str, start: str, to: str) -> None:
    watched.set_viewport_size({"width": 360, "height": 800})
    prefix = "ja/" if start == "ja" else ""
    watched.goto(f"{site_url}/{prefix}terms/line-byod/#lnb-repair-cap")
    expect(watched.locator("#lnb-repair-cap")).to_be_in_viewport()
    switch_language(watched, to)
    expect(watched).to_have_url(f"{site_url}/{'ja/' if to == 'ja' else ''}terms/line-byod/#lnb-repair-cap")
    expect(watched.locator("#lnb-repair-cap")).to_be_in_viewport()

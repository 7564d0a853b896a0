"""The home page's chooser and the privacy page, as a visitor meets them: answer a question by clicking, land on the
right checker; follow the footer's privacy link from any page, in either language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

import rules
from tests.browser import axe_violations, screenshot

pytestmark = pytest.mark.browser

# (language, the answer a visitor clicks, the checker it must open); the chooser's wording is the page's own.
CHOICES = [
    ("en", "From ismartphones.jp", "ismartphones"),
    ("en", "From LINE Mobile, with the SIM", "line-device"),
    ("en", "My own phone, with a LINE Mobile SIM", "line-byod"),
    ("ja", "ismartphones.jp で購入した", "ismartphones"),
    ("ja", "LINEモバイルで SIM とセットで購入した", "line-device"),
    ("ja", "自分の端末に LINEモバイルの SIM を入れている", "line-byod"),
]


def checker_page(site_url: str, prefix: str, program: str) -> re.Pattern[str]:
    """The checker's address; the checker itself may add the form's answers after the `#`."""
    return re.compile(re.escape(f"{site_url}/{prefix}check/{program}/") + r"(#.*)?$")


@pytest.mark.parametrize(("lang", "answer", "program"), CHOICES)
def test_one_answer_on_the_home_page_opens_the_right_checker(watched: Page, site_url: str, lang: str, answer: str, program: str) -> None:
    prefix = "ja/" if lang == "ja" else ""
    watched.goto(f"{site_url}/{prefix}")
    watched.get_by_test_id("chooser").get_by_role("link", name=re.compile(re.escape(answer))).click()
    expect(watched).to_have_url(checker_page(site_url, prefix, program))
    expect(watched.get_by_role("heading", level=1)).to_be_visible()
    expect(watched.locator(f'[data-program="{program}"] [data-testid="decision"]')).to_be_attached()
    assert rules.PROGRAMS[program].title[lang] in watched.locator("section.wc").first.inner_text()


@pytest.mark.parametrize(("lang", "answer", "program"), [("en", "No", "line-byod"), ("ja", "はい", "line-device")])
def test_not_sure_which_line_option_leads_to_a_second_question(watched: Page, site_url: str, lang: str, answer: str, program: str) -> None:
    prefix = "ja/" if lang == "ja" else ""
    watched.set_viewport_size({"width": 360, "height": 800})
    watched.goto(f"{site_url}/{prefix}")
    watched.get_by_test_id("chooser").get_by_role("link").last.click()
    second = watched.locator("#which-line-option")
    expect(second).to_be_in_viewport()
    watched.locator("#which-line-option + .wc-chooser").get_by_role("link", name=re.compile(f"^{answer}")).click()
    expect(watched).to_have_url(checker_page(site_url, prefix, program))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_footer_leads_every_page_to_the_privacy_page(watched: Page, site_url: str, lang: str) -> None:
    prefix = "ja/" if lang == "ja" else ""
    for path in ("", "terms/line-byod/", "interpretations/"):
        watched.goto(f"{site_url}/{prefix}{path}")
        watched.get_by_test_id("privacy-link").click()
        expect(watched).to_have_url(f"{site_url}/{prefix}privacy/")
        expect(watched.locator("#kept")).to_be_visible()
        expect(watched.locator("#kept + ul")).to_contain_text("12 MB")


@pytest.mark.parametrize(("lang", "width"), [("en", 360), ("en", 1280), ("ja", 360), ("ja", 1280)])
def test_home_and_privacy_pages_pass_axe_at_phone_and_desktop_widths(watched: Page, site_url: str, lang: str, width: int) -> None:
    prefix = "ja/" if lang == "ja" else ""
    watched.set_viewport_size({"width": width, "height": 900})
    for path, name in (("", "home"), ("privacy/", "privacy")):
        watched.goto(f"{site_url}/{prefix}{path}")
        screenshot(watched, f"{name}-{lang}-{width}")
        assert axe_violations(watched) == []


def test_japanese_pages_name_the_site_in_japanese_and_the_logo_leads_home_in_japanese(watched: Page, site_url: str) -> None:
    watched.goto(f"{site_url}/ja/terms/line-byod/")
    expect(watched).to_have_title(re.compile("保証チェッカー$"))
    expect(watched.locator(".md-header__topic").first).to_have_text("保証チェッカー")
    watched.locator(".md-header__button.md-logo").click()
    expect(watched).to_have_url(f"{site_url}/ja/")
    expect(watched.get_by_role("heading", level=1)).to_contain_text("どの保証が使えますか？")

"""Material's own parts of a checker page (the site search, the dark theme toggle) work from the visitor's first touch,
though on these pages the theme's script waits for the first answer (boot.js): driven while the runtime still
downloads on a slow network, so that the visitor reaches them before any answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser import LOAD_TIMEOUT_MS, decision

pytestmark = pytest.mark.browser

# 1 MB/s with 100 ms of latency: the ~3.6 MB of the runtime take seconds; the theme's script and the search index do not.
SLOW = {"offline": False, "latency": 100, "downloadThroughput": 1_000_000, "uploadThroughput": 200_000}
# A word of each language's pages, and the search's first words once it is ready (Material's own).
SEARCH = {"en": ("accessory", "Type to start searching"), "ja": ("アクセサリー", "検索キーワードを入力してください")}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_search_and_the_theme_toggle_work_on_a_checker_page_before_its_first_answer(watched: Page, site_url: str, lang: str) -> None:
    watched.set_viewport_size({"width": 1280, "height": 800})
    cdp = watched.context.new_cdp_session(watched)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)  # Chromium applies it to the worker's fetches too
    watched.goto(f"{site_url}/{'ja/' if lang == 'ja' else ''}check/line-byod/")
    expect(decision(watched)).to_have_attribute("data-status", "loading")  # no answer yet: the runtime is on its way
    word, ready = SEARCH[lang]
    box = watched.locator("input.md-search__input")
    box.click()
    expect(watched.locator(".md-search-result__meta")).to_have_text(ready, timeout=30_000)
    box.fill(word)
    box.press("End")
    expect(watched.locator(".md-search-result__item a, a.md-search-result__link").first).to_be_visible(timeout=30_000)
    expect(decision(watched)).to_have_attribute("data-status", "loading")  # found at the visitor's touch, not after the answer
    box.press("Escape")
    watched.locator('label[title^="Dark theme"]').click()
    expect(watched.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    # And the checker, untouched by all this, gives its first answer once the runtime is in.
    expect(decision(watched)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_back_to_top_appears_on_a_checker_page_once_it_has_answered(watched: Page, site_url: str, lang: str) -> None:
    """A visitor on a phone who never touched the header: the answer comes, they read down the form and scroll back up
    a little, and the theme's "back to top" button appears and takes them there."""
    watched.set_viewport_size({"width": 360, "height": 800})
    watched.goto(f"{site_url}/{'ja/' if lang == 'ja' else ''}check/line-byod/")
    expect(decision(watched)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    watched.mouse.wheel(0, 1500)
    watched.wait_for_function("scrollY > 1000")
    watched.mouse.wheel(0, -300)
    top = watched.locator(".md-top")
    expect(top).not_to_have_attribute("hidden", "")
    top.click()
    watched.wait_for_function("scrollY === 0")

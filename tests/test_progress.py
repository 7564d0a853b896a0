"""While the checker's runtime downloads on a slow network, the visitor sees how far it is: a real <progress> of the
bytes received over the known total, and plain words with MB figures, in the card and in the compact status, in both
languages, on a phone and a desktop; then the answer arrives and the bar goes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from rules.cases import load_cases
from tests.browser import LOAD_TIMEOUT_MS, as_url_text, decision

pytestmark = pytest.mark.browser

# 1 MB/s with 100 ms of latency: the ~3.6 MB the runtime sends take a few seconds, long enough to watch the bar move.
SLOW = {"offline": False, "latency": 100, "downloadThroughput": 1_000_000, "uploadThroughput": 200_000}
WORDS = {
    "en": lambda got, of: f"Getting the checker ready: {got} of {of} MB",
    "ja": lambda got, of: f"チェッカーを準備しています：{of} MB中 {got} MB",
}
FIGURE = r"\d+\.\d"
# Every text the compact status's live region holds, in order: what a screen reader would announce.
# And every [value, max] the card's bar shows, in order: what a sighted visitor sees move.
RECORD_ANNOUNCEMENTS = """
window.__said = [];
window.__bar = [];
new MutationObserver(() => {
  const live = document.querySelector('[data-testid="status"] [aria-live="polite"]');
  if (live && live.textContent !== window.__said.at(-1)) window.__said.push(live.textContent);
  const bar = document.querySelector('[data-testid="decision"] progress');
  if (bar && bar.value !== window.__bar.at(-1)?.[0]) window.__bar.push([bar.value, bar.max]);
}).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["value", "max"] });
"""


def sent_megabytes(public_dir: Path) -> str:
    """The size, as the page words it, of what the server sends for the runtime: the brotli'd wasm and rules archive."""
    sent = sum(
        path.stat().st_size
        for path in [*public_dir.glob("runtime/pyodide-*/pyodide.asm.wasm.br"), *public_dir.glob("runtime/python-*.zip.br")]
    )
    return f"{sent / 1e6:.1f}"


def case_answers(program: str) -> str:
    case = next(c for c in load_cases(program) if c.status == "covered")
    return "&".join(f"{k}={as_url_text(v)}" for k, v in case.with_claim_date().items())


@pytest.mark.parametrize(
    ("path", "lang", "width"),
    [
        ("check/line-byod/", "en", 360),
        ("check/line-byod/", "en", 1280),
        ("ja/check/line-byod/", "ja", 360),
        ("ja/check/line-byod/", "ja", 1280),
        ("terms/line-byod/", "en", 360),  # the checker embedded in a terms page
        ("embed/line-byod/?lang=ja", "ja", 360),  # the chrome-less page the one-line embed frames
    ],
)
def test_a_slow_download_shows_a_growing_bar_in_plain_words_then_the_answer(
    watched: Page, site_url: str, public_dir: Path, path: str, lang: str, width: int
) -> None:
    watched.set_viewport_size({"width": width, "height": 800})
    watched.add_init_script(RECORD_ANNOUNCEMENTS)
    cdp = watched.context.new_cdp_session(watched)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)  # Chromium applies it to the worker's fetches too
    prefilled = "terms/" not in path  # a terms page's fragment belongs to its clauses
    watched.goto(f"{site_url}/{path}" + (f"#{case_answers('line-byod')}" if prefilled else ""), timeout=LOAD_TIMEOUT_MS)

    card, status = decision(watched), watched.get_by_test_id("status")
    bar = card.get_by_test_id("progress")
    expect(bar).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(card).to_have_attribute("data-status", "loading")
    total = sent_megabytes(public_dir)
    words = re.compile(re.escape(WORDS[lang]("@", total)).replace("@", FIGURE))
    expect(card).to_contain_text(words)
    expect(status).to_contain_text(words)
    expect(status.locator("progress")).to_be_visible()
    if prefilled:  # on a checker's own page it is in view at once (on a terms page, once the reader reaches the form)
        expect(status.locator("progress")).to_be_in_viewport()
    assert "Python" not in card.inner_text() and "Python" not in status.inner_text()

    if prefilled:
        expect(card).to_have_attribute("data-status", "covered", timeout=LOAD_TIMEOUT_MS)
    else:
        expect(card).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    expect(watched.locator("progress")).to_have_count(0)  # the bar goes, in the card and in the status
    shown = watched.evaluate("window.__bar")
    assert all(0 <= value <= maximum and maximum > 1_000_000 for value, maximum in shown), shown
    seen = [value for value, _ in shown]
    assert len(seen) >= 3 and seen == sorted(seen), f"the bar should grow while the runtime downloads: {seen}"
    said = [text for text in watched.evaluate("window.__said") if "MB" in text]
    assert said and all(words.fullmatch(text) for text in said), said
    assert len(said) < len(seen), f"announced {len(said)} times for {len(seen)} moves of the bar: {said}"
    assert len(said) <= 8, f"a screen reader would hear every chunk: {said}"

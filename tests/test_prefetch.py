"""The runtime fetched ahead (site/assets/checker/prefetch.js): a page that leads to a checker fetches the runtime into the
browser's cache once it is idle, the checker a visitor opens next does not download it again, and a visitor who asks
to save data gets nothing ahead. Requests are counted at the server (no Playwright routing: it turns the cache off)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import build
from tests.browser import LOAD_TIMEOUT_MS, decision

pytestmark = pytest.mark.browser

RUNTIME = (
    "/assets/checker/checker.js",
    "/assets/checker/client.js",
    "/assets/checker/worker.js",
    "/pyodide.asm.mjs",
    "/pyodide.asm.wasm",
    ".zip",
)
SAVE_DATA = "Object.defineProperty(navigator.connection, 'saveData', { get: () => true });"
# Load, then two idle periods of the browser, then a moment: prefetch.js has made its first request by then.
SETTLE = "() => new Promise((done) => requestIdleCallback(() => requestIdleCallback(() => setTimeout(done, 1500))))"


class Counted:
    """A server of the built site that records every response's path and status."""

    def __init__(self, site_dir: Path) -> None:
        served = self.served = []
        handler = build.serving.make_handler(site_dir)

        class Counting(handler):  # type: ignore[misc, valid-type]
            def send_response(self, code: int, message: str | None = None) -> None:
                served.append((self.url_path(), int(code)))
                super().send_response(code, message)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def sent(self, ending: str) -> int:
        """How many times a file was sent in full (a 304 sends no body)."""
        return sum(1 for path, code in self.served if path.endswith(ending) and code == 200)

    def wait_for(self, page: Page, ending: str) -> None:
        for _ in range(LOAD_TIMEOUT_MS // 200):
            if self.sent(ending):
                return
            page.wait_for_timeout(200)


@pytest.fixture
def counted(public_dir: Path) -> Iterator[Counted]:
    server = Counted(public_dir)
    yield server
    server.server.shutdown()


def offsite(page: Page, origin: str) -> list[str]:
    requested: list[str] = []
    page.on(
        "request", lambda request: requested.append(request.url) if not request.url.startswith((origin + "/", "data:", "blob:")) else None
    )
    return requested


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_home_page_fetches_the_runtime_once_when_idle_and_the_checker_finds_it(page: Page, counted: Counted, lang: str) -> None:
    elsewhere = offsite(page, counted.url)
    page.goto(f"{counted.url}/{'ja/' if lang == 'ja' else ''}")
    expect(page.get_by_test_id("chooser")).to_be_visible()
    page.evaluate(SETTLE)
    assert counted.sent(RUNTIME[0]) == 1, counted.served
    for name in RUNTIME:  # the others follow, one after another
        counted.wait_for(page, name)
        assert counted.sent(name) == 1, (name, counted.served)
    # After the page's own content: the page, its styles and scripts all came before the first runtime file.
    paths = [path for path, _ in counted.served]
    first = min(i for i, path in enumerate(paths) if path.endswith(RUNTIME))
    own = [i for i, path in enumerate(paths) if path.endswith(("/", ".css")) or "/javascripts/bundle." in path]
    assert own and max(own) < first, paths

    # The visitor picks a checker from the chooser and answers: the runtime comes from the browser's cache.
    page.get_by_test_id("chooser").get_by_role("link").first.click()
    expect(decision(page)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    for name in RUNTIME:
        assert counted.sent(name) == 1, f"{name} was downloaded again: {counted.served}"
    assert elsewhere == []


def test_a_visitor_saving_data_gets_nothing_ahead(page: Page, counted: Counted) -> None:
    elsewhere = offsite(page, counted.url)
    page.add_init_script(SAVE_DATA)
    page.goto(f"{counted.url}/")
    expect(page.get_by_test_id("chooser")).to_be_visible()
    assert page.evaluate("navigator.connection.saveData") is True
    page.evaluate(SETTLE)
    page.wait_for_timeout(2000)
    assert not any(counted.sent(name) for name in RUNTIME), counted.served
    # The checker itself still works, fetching the runtime when the visitor opens it.
    page.get_by_test_id("chooser").get_by_role("link").first.click()
    expect(decision(page)).not_to_have_attribute("data-status", "loading", timeout=LOAD_TIMEOUT_MS)
    assert counted.sent(".wasm") == 1
    # Nor is the site kept for offline use after that answer: installing would fetch the pages not yet seen.
    page.evaluate(SETTLE)
    assert page.evaluate("async () => (await navigator.serviceWorker.getRegistration()) === undefined")
    assert counted.sent("sw.js") == 0, counted.served
    assert elsewhere == []


# ----------------------------------------------------------------------------- the one-line embed on another site
NEAR = """() => { const el = document.querySelector("warranty-checker");
  window.scrollTo(0, el.getBoundingClientRect().top + scrollY - innerHeight - 1000); }"""  # 1000 px below the fold


@pytest.mark.parametrize("save_data", [False, True])
def test_an_embed_placeholder_coming_near_fetches_the_runtime_ahead_and_its_checker_finds_it(
    page: Page, counted: Counted, other_site: tuple[Path, str], save_data: bool
) -> None:
    folder, url = other_site
    requested: list[str] = []
    page.on(
        "request", lambda r: requested.append(r.url) if not r.url.startswith((counted.url + "/", url + "/", "data:", "blob:")) else None
    )
    if save_data:
        page.add_init_script(SAVE_DATA)
    (folder / "faq.html").write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>FAQ</title></head><body><h1>FAQ</h1>
<script type="module" src="{counted.url}/embed.js"></script><div style="height: 5000px">Questions and answers.</div>
<warranty-checker program="ismartphones" lang="en" item="mobile_device"></warranty-checker></body></html>""",
        encoding="utf-8",
    )
    page.goto(f"{url}/faq.html")
    page.evaluate(SETTLE)
    assert not any(counted.sent(name) for name in RUNTIME[1:]), "a placeholder far below fetches nothing"

    page.evaluate(NEAR)  # the reader scrolls towards it
    page.evaluate(SETTLE)
    checker = page.locator("warranty-checker")
    if save_data:
        page.wait_for_timeout(2000)
        assert not any(counted.sent(name) for name in RUNTIME[1:]), counted.served
    else:
        for name in RUNTIME[1:]:
            counted.wait_for(page, name)
            assert counted.sent(name) == 1, (name, counted.served)
    expect(checker.get_by_test_id("embed-placeholder")).to_be_visible()  # the checker itself waits until the reader is there
    expect(checker.get_by_test_id("embed-frame")).to_have_count(0)

    checker.scroll_into_view_if_needed()
    region = page.frame_locator("warranty-checker [data-testid=embed-frame]").get_by_test_id("decision")
    expect(region).to_have_attribute("data-status", "incomplete", timeout=LOAD_TIMEOUT_MS)
    for name in RUNTIME[1:]:
        assert counted.sent(name) == 1, f"{name}: {counted.served}"  # fetched ahead, or now: once either way
    assert requested == []

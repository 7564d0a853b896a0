"""Start-up and answers under hostile conditions: a slow or stalled network, a runtime that cannot run, a worker that
dies or hangs, odd URLs, a hardened browser (issue 17). Each test asserts what the visitor sees."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

import rules
from rules.cases import load_cases
from tests.browser import LOAD_TIMEOUT_MS, as_url_text, checker_url, decision, expect_status, fill, guard, yen

pytestmark = pytest.mark.browser

WASM = re.compile(r"/pyodide\.asm\.wasm$")
WORKER = re.compile(r"/assets/checker/worker\.js$")
NETWORK_WORDS = {"en": "network connection", "ja": "通信"}
RETRY = {"en": "Try again", "ja": "もう一度試す"}


def case_named(program: str, start: str) -> dict[str, str]:
    case = next(c for c in load_cases(program) if c.name.startswith(start))
    return case.with_claim_date()


def covered(program: str) -> dict[str, Any]:
    return (next(c for c in load_cases(program) if c.status == "covered")).with_claim_date()


def config(page: Page, **limits: Any) -> None:
    """Shortened time limits for this page (checker.js reads globalThis.warrantyCheckerConfig)."""
    import json

    page.add_init_script(f"globalThis.warrantyCheckerConfig = {json.dumps(limits)}")


# -- 1. slow networks: a stall ends start-up, slowness does not ------------------------------------------------
def test_a_slow_network_that_keeps_sending_gets_its_answer(page: Page, site_url: str) -> None:
    """Chrome's network emulation (400 ms latency, 250 kB/s: ~15 s for the ~3.8 MB first visit, three times the 5 s
    stall budget set here) still ends in the answer, because bytes keep arriving; the page reports them as they come."""
    watch = guard(page, site_url)
    config(page, stallMs=5000)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions", {"offline": False, "latency": 400, "downloadThroughput": 250_000, "uploadThroughput": 50_000}
    )
    page.goto(checker_url(site_url, "ismartphones", "en", covered("ismartphones")), timeout=LOAD_TIMEOUT_MS)
    expect(decision(page)).to_have_attribute("data-status", "covered", timeout=LOAD_TIMEOUT_MS * 2)
    progress = page.evaluate("() => globalThis.warrantyChecker.progress")
    assert progress["total"] and progress["received"] == progress["total"], progress
    worker = next(w for w in page.workers if WORKER.search(w.url))
    took = worker.evaluate("performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm')).duration")
    assert took > 5000, f"the emulated wasm download took {took:.0f} ms: not longer than the stall budget, so this proves nothing"
    assert not watch.problems(), watch.problems()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_stalled_download_says_so_and_the_retry_button_works(page: Page, site_url: str, lang: str) -> None:
    """The wasm never arrives (a server that stops sending): after the stall budget and one automatic retry, the card
    blames the network in plain words, names the provider's contact, and its retry button gets the answer."""
    guard(page, site_url)
    config(page, stallMs=1500)
    held: list[Route] = []
    page.route(WASM, lambda route: held.append(route) if len(held) < 2 else route.continue_())
    program = "line-byod"
    page.goto(checker_url(site_url, program, lang, covered(program)))
    expect_status(page, "unavailable")
    card = decision(page)
    expect(card).to_contain_text(NETWORK_WORDS[lang])
    expect(card.get_by_test_id("contact")).to_have_text(rules.questions(program)["contact"]["message"][lang])
    expect(card.get_by_role("link")).to_have_attribute(
        "href", f"../../terms/{program}/" if lang == "en" else f"../../../ja/terms/{program}/"
    )
    assert len(held) == 2  # the first try and the automatic retry
    for route in held:
        route.abort()  # the stalled connections drop (else the browser's cache lock would queue the retry behind them)
    card.get_by_role("button", name=RETRY[lang]).click()
    expect_status(page, "covered")


# -- 2. a start-up that cannot succeed fails fast ---------------------------------------------------------------
def refuse_wasm_by_policy(route: Route) -> None:
    """Serve worker.js under a policy without 'wasm-unsafe-eval' (a worker's own response sets its policy)."""
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": "script-src 'self'"})


@pytest.mark.parametrize("how", ["aborted", "404", "refused by policy"])
def test_a_runtime_that_cannot_load_is_unavailable_within_15_seconds(page: Page, site_url: str, how: str) -> None:
    guard(page, site_url)
    if how == "aborted":
        page.route(WASM, lambda route: route.abort())
    elif how == "404":
        page.route(WASM, lambda route: route.fulfill(status=404, body="missing"))
    else:
        page.route(WORKER, refuse_wasm_by_policy)
    page.goto(checker_url(site_url, "ismartphones", "en", covered("ismartphones")))
    expect(decision(page)).to_have_attribute("data-status", "unavailable", timeout=15_000)  # the one timing bound asserted
    if how == "refused by policy":
        expect(decision(page)).to_contain_text("does not let the checker run")
        expect(decision(page).get_by_test_id("retry")).to_have_count(0)  # trying again would not help
    else:
        expect(decision(page).get_by_test_id("retry")).to_be_visible()


def test_a_host_that_serves_the_runtime_as_plain_bytes_still_answers(page: Page, site_url: str) -> None:
    """A host that sends the wasm without `application/wasm` (a bare static server, a misconfigured CDN): compiling it
    as it streams in is refused, so worker.js compiles it from its bytes instead, and the visitor gets the answer."""
    watch = guard(page, site_url)
    served: list[str] = []

    def as_plain_bytes(route: Route) -> None:
        response = route.fetch()
        served.append(route.request.url)
        route.fulfill(response=response, headers={**response.headers, "content-type": "application/octet-stream"})

    page.route(WASM, as_plain_bytes)
    page.goto(checker_url(site_url, "ismartphones", "en", covered("ismartphones")))
    expect_status(page, "covered")
    assert served, "the wasm went past the test's route, so this proves nothing"
    assert not watch.problems(), watch.problems()


# -- 3. a dead or stuck worker never leaves a stale answer ------------------------------------------------------
KILL = {
    "closes itself": "self.close()",
    "hangs in a loop": "setTimeout(() => { for (;;) {} }, 0)",
}


@pytest.mark.parametrize("how", sorted(KILL))
def test_a_worker_that_dies_silently_is_replaced_and_the_next_answer_is_right(page: Page, site_url: str, how: str) -> None:
    """¥4,400 is on the card; the worker then dies without a word (or hangs). Changing the repair cost to ¥62,000 must
    not leave ¥4,400 there: the card says it is working the answer out again, a new worker starts, and shows ¥16,400."""
    watch = guard(page, site_url)
    config(page, answerMs=1500)
    answers = case_named("line-byod", "A repair costing ¥49,999")
    page.goto(checker_url(site_url, "line-byod", "en", answers))
    expect_status(page, "covered")
    expect(decision(page).get_by_test_id("summary")).to_contain_text(yen(4400, "en"))
    worker = next(w for w in page.workers if WORKER.search(w.url))
    worker.evaluate(KILL[how])
    fill(page, "repair_cost_jpy", "62000")
    expect(decision(page)).to_have_attribute("data-status", "loading")  # the old figure is gone at once
    expect(decision(page)).not_to_contain_text(yen(4400, "en"))
    expect_status(page, "covered")
    expect(decision(page).get_by_test_id("summary")).to_contain_text(yen(16400, "en"))
    fill(page, "repair_cost_jpy", "49999")  # and the new worker keeps answering
    expect(decision(page).get_by_test_id("summary")).to_contain_text(yen(4400, "en"))
    assert not watch.problems(), watch.problems()


# -- 6. any URL that serves the page answers ---------------------------------------------------------------------
@pytest.mark.parametrize("path", ["//check/ismartphones/", "//ja/check/ismartphones/"])
@pytest.mark.parametrize("where", ["#", "?"])
def test_a_url_with_doubled_slashes_answers(page: Page, site_url: str, public_dir: Path, path: str, where: str) -> None:
    """A host that serves the page at //check/… as it is (our servers redirect it; not every host does): the checker
    still answers, and keeps the answers in the address (history.replaceState) without leaving the page."""
    watch = guard(page, site_url)
    html = (public_dir / path.strip("/") / "index.html").read_text()
    page.route(
        lambda url: url.split("?")[0].split("#")[0] == site_url + path,
        lambda route: route.fulfill(status=200, content_type="text/html", body=html),
    )
    query = "&".join(f"{k}={as_url_text(v)}" for k, v in covered("ismartphones").items())
    page.goto(f"{site_url}{path}{where}{query}")
    expect_status(page, "covered")
    fill(page, "cause", "misuse")
    expect_status(page, "not_covered")
    assert "cause=misuse" in page.url and page.url.startswith(site_url + path)
    assert not watch.problems(), watch.problems()


# -- 9. a hardened browser where even looking at Cache Storage throws ---------------------------------------------
def test_a_browser_where_caches_throws_still_answers(page: Page, site_url: str) -> None:
    watch = guard(page, site_url)

    def hardened(route: Route) -> None:
        if "?" in route.request.url:
            route.continue_()
            return
        body = (
            'import "./worker.js?real";\n'  # the real worker (it reads caches only once the page's init message comes)
            'Object.defineProperty(self, "caches", { get() { throw new DOMException("Storage is disabled", "SecurityError"); } });\n'
        )
        route.fulfill(status=200, content_type="text/javascript", body=body)

    page.route(re.compile(r"/assets/checker/worker\.js(\?real)?$"), hardened)
    page.goto(checker_url(site_url, "ismartphones", "ja", covered("ismartphones")))
    expect_status(page, "covered")
    assert page.evaluate("() => globalThis.warrantyChecker.started.snapshot") == "none"
    assert not watch.problems(), watch.problems()
